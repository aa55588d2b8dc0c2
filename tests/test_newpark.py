"""A park unlike the seeds, built the way a new user builds it.

``tests/fixtures/newpark``: a Jiangsu development zone's 2023 work summary
(a government portal page, published January 2024) and its 2024 H1 WeChat
article: full-width digits, 一季度 and 前三季度 figures, a fall (同比下降3.2%),
foreign capital in 亿美元 and 万美元, a revised full-year figure, projects
moving from 签约 to 开工 and from 开工 to 投产, targets settled by the later
report. The tests assert what a reader sees.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from parkreport import load_corpus
from parkreport.build import build_site
from parkreport.derive import Derived, derive

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "newpark"


@pytest.fixture(scope="module")
def derived() -> Derived:
    return derive(load_corpus(FIXTURE))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("newpark") / "site"
    build_site(FIXTURE, output, search=False, incremental=False)
    return output


def _text(site: Path, page: str) -> str:
    """The page's visible words, one space between them."""
    raw = (site / page / "index.html").read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", "", raw, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def test_newpark_fall_keeps_its_sign(site: Path) -> None:
    text = _text(site, "parks/jinhu/2023")
    assert "固定资产投资 126.3亿元 2023年全年 实际 同比 ↓ -3.2%" in text
    assert "由2023年全年126.3亿元及同比增长-3.2%推算" in text


def test_newpark_dollars_stay_dollars(site: Path, derived: Derived) -> None:
    text = _text(site, "metrics/foreign-capital-used")
    assert "2023年全年 1.26亿美元 实际" in text
    assert "2024年上半年 0.68亿美元 预计" in text  # 6800万美元, converted within the currency
    assert "亿元" not in text.split("实际利用外资（亿美元）", 1)[1].split("也称")[0]
    units = {p.observation.value.unit for s in derived.series if s.metric == "foreign-capital-used"
             for p in s.points if p.observation.value is not None}
    assert units == {"亿美元"}


def test_newpark_projects_move_through_their_stages(site: Path) -> None:
    jingao = _text(site, "projects/jinhu-jingao")
    assert re.search(r"2023年9月 签约 .*2024年3月 在建", jingao)
    assert "产能 5GW高效电池片" in jingao
    hengfeng = _text(site, "projects/jinhu-hengfeng")
    assert re.search(r"在建 .*2024年5月 投产 新增产值 2.5亿元", hengfeng)
    assert "当前阶段 投产" in hengfeng


def test_newpark_targets_are_settled_by_the_later_report(derived: Derived) -> None:
    status = {t.what: t.status for t in derived.targets if t.ref.report == "jinhu-2023"}
    assert status["确保晶澳电池片项目上半年开工建设"] == "met"
    assert status["力争恒丰精密轴承项目年内建成投产"] == "met"
    assert status["力争规模以上工业总产值突破420亿元"] == "open"  # 2024 is not over on 2024-07-16


def test_newpark_signing_dated_last_september_counts_in_its_year(derived: Derived) -> None:
    """The 2023 summary came out in January 2024; its September signing is not a 2024 signing."""
    summary = derived.park_year("jinhu", 2024)
    assert summary is not None
    assert summary.signings_count is None
    assert summary.signings_amount == ()


def test_newpark_year_lists_only_targets_its_own_reports_set(site: Path) -> None:
    """The 2024 article revises a 2023 figure; its 2024 target is not one set in 2023."""
    text = _text(site, "parks/jinhu/2023")
    assert "开发区将力争全年规上工业总产值突破420亿元" not in text
    assert "力争规模以上工业总产值突破420亿元" in text


def test_newpark_revision_is_adopted_and_listed(site: Path) -> None:
    text = _text(site, "parks/jinhu/2023")
    assert "386.5亿元（实际数）与389.2亿元（核实数，采用）" in text
    assert "规上工业增加值（2023）的数值在来源中未知，不作为0处理" in text


@pytest.mark.parametrize(("growth", "words", "status"), [("下降4.9%", "同比下降4.9%", "missed"), ("增长9.1%", "同比增长9.1%", "met")])
def test_newpark_growth_target_is_settled_by_the_later_growth(tmp_path: Path, growth: str, words: str,
                                                              status: str) -> None:
    """"固定资产投资增长8%以上" is a growth target: the 2024 growth settles it, not the amount in 亿元."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    sentence = f"完成固定资产投资120.1亿元，同比{growth}"
    (content / "sources" / "jinhu-2024.txt").write_text(f"2024年，{sentence}。\n", encoding="utf-8")
    yoy = -4.9 if growth.startswith("下降") else 9.1
    (content / "reports" / "jinhu-2024.yaml").write_text(
        "id: jinhu-2024\nparks: [jinhu]\ntitle: 2024年工作总结\npublished: '2025-01-20'\nperiod: '2024'\n"
        "kind: work_summary\nindicators:\n  - metric: fixed-asset-investment\n    value: 120.1\n    unit: 亿元\n"
        f"    period: '2024'\n    yoy_pct: {yoy}\n    quote: {sentence}\n", encoding="utf-8")
    (target,) = [t for t in derive(load_corpus(content)).targets if t.what == "固定资产投资增长8%以上"]
    assert (target.status, target.reason_zh) == (status, f"2024年全年{words}")


def test_newpark_year_warns_only_about_its_own_figures(site: Path) -> None:
    """The 2023 page keeps the 2023 revision note but not the 2024 H1 estimates of the revising article."""
    text = _text(site, "parks/jinhu/2023")
    assert "386.5亿元（实际数）与389.2亿元（核实数，采用）" in text
    assert "2024年上半年仅有预计数" not in text
    assert "固定资产投资2024年上半年仅有预计数" in _text(site, "parks/jinhu/2024")
