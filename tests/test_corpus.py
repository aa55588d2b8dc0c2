"""The shipped example corpus in content/ states what the five seed reports state.

These tests load content/ once and check the seeds' figures, targets and project
claims against a table written from the source texts, so an edit that drops or
changes a figure fails here, not only when someone reads the site.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from parkreport import model
from parkreport.cli import main
from parkreport.corpus import Corpus
from parkreport.model import Indicator, ProjectEvent, Report, Target
from parkreport.validate import load_corpus

CONTENT = Path(__file__).resolve().parent.parent / "content"

SEED_REPORTS = {
    "nanle-2021-review": "nanle",
    "yiqu-siyuan-202x-h1": "yiqu-siyuan",
    "puyang-2022-m1-4": "puyang",
    "pingyuan-2022-interview": "pingyuan",
    "puyang-2023-h1": "puyang",
}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(CONTENT)


def _indicator(corpus: Corpus, report: str, metric: str, period: str, scope: str = "") -> Indicator:
    found = [
        indicator
        for indicator in corpus.reports[report].indicators
        if indicator.metric == metric and indicator.period.code == period and indicator.scope == scope
    ]
    assert len(found) == 1, f"{report}: expected one {metric} {period} {scope!r}, found {len(found)}"
    return found[0]


def _events(corpus: Corpus, report: str, project: str) -> list[ProjectEvent]:
    return [event for event in corpus.reports[report].project_events if event.project == project]


def _target(corpus: Corpus, report: str, target_id: str) -> Target:
    found = [target for target in corpus.reports[report].targets if target.id == target_id]
    assert len(found) == 1, f"{report}: expected target {target_id}"
    return found[0]


def _states(quote: str, value: float) -> bool:
    """The quote writes ``value`` in digits, or as a Chinese numeral (排名第二)."""
    compact = "".join(quote.split())
    return f"{value:.12g}" in compact or (value == int(value) and 0 < value < 10 and "〇一二三四五六七八九"[int(value)] in compact)


E, A = "estimated", "actual"
EXACT, MORE, NEARLY, ABOUT = "exact", "more_than", "nearly", "about"

# (report, metric, period, value, unit, status, yoy_pct, qualifier), copied from the seeds.
KEY_FIGURES = [
    # seed 000: 南乐县产业集聚区 2021
    ("nanle-2021-review", "projects-signed", "2021", 7, "个", A, None, EXACT),
    ("nanle-2021-review", "projects-signed-investment", "2021", 97, "亿元", A, None, EXACT),
    ("nanle-2021-review", "key-project-review-rounds", "2021", 4, "次", A, None, EXACT),
    # seed 002: 濮阳工业园区, 预计今年1-4月份
    ("puyang-2022-m1-4", "industrial-output", "2022M1-4", 65.18, "亿元", E, 29.2, EXACT),
    ("puyang-2022-m1-4", "industrial-value-added", "2022M1-4", 16.3, "亿元", E, 12, EXACT),
    ("puyang-2022-m1-4", "operating-revenue", "2022M1-4", 60, "亿元", E, 16.5, EXACT),
    ("puyang-2022-m1-4", "fixed-asset-investment", "2022M1-4", 8.2, "亿元", E, 15, EXACT),
    ("puyang-2022-m1-4", "industrial-investment", "2022M1-4", 6.65, "亿元", E, None, EXACT),
    ("puyang-2022-m1-4", "promotion-trips", "2022YTD", 10, "批次", A, None, MORE),
    ("puyang-2022-m1-4", "promotion-visits-hosted", "2022YTD", 8, "批次", A, None, EXACT),
    ("puyang-2022-m1-4", "projects-in-talks-investment", "2022YTD", 150, "亿元", A, None, NEARLY),
    ("puyang-2022-m1-4", "online-promotion-meetings", "2022YTD", 20, "次", A, None, MORE),
    ("puyang-2022-m1-4", "projects-signed", "2022YTD", 5, "个", A, None, EXACT),
    ("puyang-2022-m1-4", "projects-signed-investment", "2022YTD", 40.6, "亿元", A, None, EXACT),
    ("puyang-2022-m1-4", "approval-procedures-streamlined", "2022YTD", 16, "项", A, None, EXACT),
    ("puyang-2022-m1-4", "firms-visited-weekly", "2022YTD", 65, "家", A, None, EXACT),
    ("puyang-2022-m1-4", "enterprise-problems-collected", "2022YTD", 92, "个", A, None, EXACT),
    ("puyang-2022-m1-4", "enterprise-problems-solved", "2022YTD", 90, "个", A, None, EXACT),
    ("puyang-2022-m1-4", "enterprise-problems-resolution-rate", "2022YTD", 97.8, "%", A, None, EXACT),
    ("puyang-2022-m1-4", "thanks-banners-received", "2022YTD", 4, "面", A, None, EXACT),
    ("puyang-2022-m1-4", "thanks-letters-received", "2022YTD", 3, "封", A, None, EXACT),
    ("puyang-2022-m1-4", "firms-smart-diagnosed", "2022YTD", 6, "家", A, None, EXACT),
    ("puyang-2022-m1-4", "firms-smart-trained", "2022YTD", 20, "家", A, None, MORE),
    ("puyang-2022-m1-4", "tech-upgrade-funds-applied", "2022YTD", 2517, "万元", A, None, EXACT),
    ("puyang-2022-m1-4", "vehicle-passes-issued", "2022YTD", 135, "张", A, None, EXACT),
    ("puyang-2022-m1-4", "rail-freight-monthly-average", "2022M1-4", 8.2, "万吨", A, None, EXACT),
    # seed 003: 平原县
    ("pingyuan-2022-interview", "provincial-key-projects-planned", "2022", 27, "个", A, None, EXACT),
    # seed 004: 濮阳工业园区, 预计上半年
    ("puyang-2023-h1", "industrial-value-added", "2023H1", 22.45, "亿元", E, 23.26, EXACT),
    ("puyang-2023-h1", "industrial-output", "2023H1", 96.1, "亿元", E, 21.4, EXACT),
    ("puyang-2023-h1", "fixed-asset-investment", "2023H1", 2.96, "亿元", E, 20, EXACT),
    ("puyang-2023-h1", "public-budget-revenue", "2023H1", 1.26, "亿元", E, 24.3, EXACT),
    ("puyang-2023-h1", "promotion-regions-visited", "2023YTD", 10, "个", A, None, MORE),
    ("puyang-2023-h1", "firms-visited-promotion", "2023YTD", 20, "家", A, None, MORE),
    ("puyang-2023-h1", "projects-in-talks", "2023YTD", 30, "个", A, None, MORE),
    ("puyang-2023-h1", "projects-signed", "2023H1", 20, "个", A, None, EXACT),
    ("puyang-2023-h1", "projects-signed-investment", "2023H1", 110.3, "亿元", A, None, EXACT),
    ("puyang-2023-h1", "firms-in-talks", "2023H1", 20, "家", A, None, MORE),
    ("puyang-2023-h1", "projects-in-talks-investment", "2023H1", 200, "亿元", A, None, ABOUT),
    ("puyang-2023-h1", "wheat-harvested-area", "2023YTD", 11900.28, "亩", A, None, EXACT),
    ("puyang-2023-h1", "autumn-grain-sown-area", "2023YTD", 11900.28, "亩", A, None, EXACT),
    ("puyang-2023-h1", "farmland-cases-rectified", "2023YTD", 9, "宗", A, None, EXACT),
    ("puyang-2023-h1", "farmland-cases-in-rectification", "2023YTD", 1, "宗", A, None, EXACT),
    ("puyang-2023-h1", "new-urban-jobs", "2023YTD", 1594, "人", A, None, EXACT),
    ("puyang-2023-h1", "unemployed-reemployed", "2023YTD", 523, "人", A, None, EXACT),
    ("puyang-2023-h1", "hard-to-employ-reemployed", "2023YTD", 338, "人", A, None, EXACT),
    ("puyang-2023-h1", "safety-inspections", "2023YTD", 97, "家次", A, None, EXACT),
    ("puyang-2023-h1", "safety-hazards-found", "2023YTD", 630, "项", A, None, EXACT),
    ("puyang-2023-h1", "safety-hazards-fixed", "2023YTD", 595, "处", A, None, EXACT),
    ("puyang-2023-h1", "safety-hazard-fix-rate", "2023YTD", 95, "%", A, None, EXACT),
    ("puyang-2023-h1", "safety-drills", "2023YTD", 74, "次", A, None, EXACT),
    ("puyang-2023-h1", "flood-drills", "2023YTD", 34, "次", A, None, EXACT),
    ("puyang-2023-h1", "emergency-rescue-drills", "2023YTD", 1, "次", A, None, EXACT),
    ("puyang-2023-h1", "air-quality-city-rank", "2023H1", 2, "位", A, None, EXACT),
    ("puyang-2023-h1", "party-committee-meetings", "2023YTD", 6, "次", A, None, EXACT),
    ("puyang-2023-h1", "party-group-study-sessions", "2023YTD", 6, "次", A, None, EXACT),
    ("puyang-2023-h1", "party-seminars", "2023YTD", 5, "次", A, None, EXACT),
    ("puyang-2023-h1", "publicity-sessions", "2023YTD", 35, "场次", A, None, EXACT),
    ("puyang-2023-h1", "cadre-contests", "2023YTD", 30, "次", A, None, MORE),
]


@pytest.mark.parametrize(
    ("report", "metric", "period", "value", "unit", "status", "yoy_pct", "qualifier"),
    KEY_FIGURES,
    ids=[f"{row[0]}:{row[1]}:{row[2]}" for row in KEY_FIGURES],
)
def test_corpus_key_figure(
    corpus: Corpus, report: str, metric: str, period: str, value: float, unit: str,
    status: str, yoy_pct: float | None, qualifier: str,
) -> None:
    indicator = _indicator(corpus, report, metric, period)
    assert (indicator.value, indicator.unit, indicator.status) == (value, unit, status)
    assert indicator.yoy_pct == yoy_pct
    assert indicator.qualifier == qualifier
    assert _states(indicator.quote, value), "the quote must state the number"


def test_corpus_table_covers_every_seed_and_enough_figures() -> None:
    assert len(KEY_FIGURES) >= 40
    reports_with_indicators = {row[0] for row in KEY_FIGURES}
    # seed 001 states no actual figure at all: its numbers are redacted targets.
    assert reports_with_indicators == set(SEED_REPORTS) - {"yiqu-siyuan-202x-h1"}


def test_corpus_has_one_report_per_seed_and_one_park_per_reporting_unit(corpus: Corpus) -> None:
    assert set(corpus.reports) == set(SEED_REPORTS)
    assert set(corpus.parks) == {"puyang", "nanle", "pingyuan", "yiqu-siyuan"}
    for report_id, park_id in SEED_REPORTS.items():
        assert corpus.reports[report_id].parks == [park_id]
    assert corpus.parks["pingyuan"].kind == "county"


def test_corpus_every_report_keeps_its_original(corpus: Corpus) -> None:
    assert set(corpus.originals) == set(SEED_REPORTS)
    assert corpus.reports["nanle-2021-review"].original_file == "nanle-2021-review.orig.html"


def test_corpus_unnamed_park_says_its_names_are_withheld(corpus: Corpus) -> None:
    park = corpus.parks["yiqu-siyuan"]
    assert park.name_known is False
    names = {(sub.name, sub.name_known) for sub in park.subparks}
    assert ("凤凰工业园", True) in names and ("河南园", True) in names
    assert ("x工业园", False) in names
    assert len(park.subparks) == 4  # 一区四园


def test_corpus_shares_of_a_larger_total(corpus: Corpus) -> None:
    investment = _indicator(corpus, "puyang-2022-m1-4", "industrial-investment", "2022M1-4")
    assert investment.share is not None
    assert (investment.share.of, investment.share.pct, investment.share.qualifier) == ("fixed-asset-investment", 81.1, "exact")
    leading = _indicator(corpus, "puyang-2022-m1-4", "industry-output", "2022Q1", scope="三大主导产业(化工、新型功能材料、装备制造)")
    assert leading.value == "unknown"
    assert leading.share is not None
    assert (leading.share.of, leading.share.pct, leading.share.qualifier) == ("全区工业总产值", 80, "more_than")


def test_corpus_partial_month_freight_is_scoped(corpus: Corpus) -> None:
    freight = _indicator(corpus, "puyang-2022-m1-4", "rail-freight", "2022M5", scope="5月初疫情以来不到半个月")
    assert (freight.value, freight.unit) == (7.56, "万吨")


def test_corpus_estimates_follow_the_word_yuji(corpus: Corpus) -> None:
    """Each figure whose sentence begins with 预计 is estimated; no others in those reports are."""
    for report_id, period in (("puyang-2022-m1-4", "2022M1-4"), ("puyang-2023-h1", "2023H1")):
        estimated = {i.metric for i in corpus.reports[report_id].indicators if i.status == "estimated"}
        assert estimated and all(
            i.period.code == period for i in corpus.reports[report_id].indicators if i.status == "estimated"
        )
    assert {i.metric for i in corpus.reports["puyang-2023-h1"].indicators if i.status == "estimated"} == {
        "industrial-value-added", "industrial-output", "fixed-asset-investment", "public-budget-revenue",
    }


REDACTED_TARGETS = [
    ("yiqu-siyuan-aluminium-cluster-output", "industry-output", "亿元", "x工业园铝电产业集群"),
    ("yiqu-siyuan-eco-smelting-output", "industry-output", "亿元", "生态冶炼产业集群"),
    ("yiqu-siyuan-biomedicine-output", "industry-output", "亿元", "生物医药产业"),
    ("yiqu-siyuan-nev-output", "industry-output", "亿元", "新能源汽车产业"),
    ("yiqu-siyuan-electronics-output", "industry-output", "亿元", "电子信息产业"),
    ("yiqu-siyuan-foreign-capital", "foreign-capital-used", "亿美元", ""),
]


@pytest.mark.parametrize(("target_id", "metric", "unit", "scope"), REDACTED_TARGETS)
def test_corpus_redacted_targets_are_redacted_never_zero(
    corpus: Corpus, target_id: str, metric: str, unit: str, scope: str
) -> None:
    target = _target(corpus, "yiqu-siyuan-202x-h1", target_id)
    assert target.value == "redacted"
    assert (target.metric, target.unit, target.scope, target.kind) == (metric, unit, scope, "quantitative")
    assert target.by is not None and target.by.code == "202x" and target.by.year is None
    assert "×" in target.quote


def test_corpus_every_hidden_figure_in_any_quote_is_redacted(corpus: Corpus) -> None:
    for report in corpus.reports.values():
        for entry in (*report.indicators, *report.targets):
            if "×" in entry.quote and entry.value is not None:
                assert entry.value == "redacted", f"{report.id}: {entry.quote}"


def test_corpus_quotes_are_exact_copies_of_the_cleaned_text(corpus: Corpus) -> None:
    """check tolerates whitespace; the shipped example copies quotes exactly, so pages show them cleanly."""
    for report in corpus.reports.values():
        text = corpus.sources[report.id].text
        for entry in (*report.indicators, *report.targets, *report.project_events, *report.facts):
            assert entry.quote in text, f"{report.id}: {entry.quote}"


# Numbers in the cleaned sources that are deliberately not a fact (content/README.md
# lists why); years before 年 (dates, year labels) are left out as a rule.
LEFT_OUT_NUMBERS = {
    ("puyang-2022-m1-4", "疫情前1个月"),  # the comparison base of the 7.56万吨, kept in its note
    ("yiqu-siyuan-202x-h1", "世界500强"),  # the name of a ranking
}
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\dx.])")


@pytest.mark.parametrize("report_id", sorted(SEED_REPORTS))
def test_corpus_every_number_in_a_source_is_quoted(corpus: Corpus, report_id: str) -> None:
    """Every number of the cleaned text lies inside some entry's quote, unless deliberately left out."""
    report, source = corpus.reports[report_id], corpus.sources[report_id]
    entries = (*report.indicators, *report.targets, *report.project_events, *report.facts)
    spans = [span for span in (source.find(entry.quote) for entry in entries) if span]
    missing = []
    for match in _NUMBER.finditer(source.text):
        if re.match(r"(19|20)\d\d年", source.text[match.start():match.end() + 1]):
            continue
        if any(begin <= match.start() and match.end() <= end for begin, end in spans):
            continue
        context = source.text[max(0, match.start() - 8):match.end() + 6]
        if not any(rid == report_id and snippet in context for rid, snippet in LEFT_OUT_NUMBERS):
            missing.append(context)
    assert missing == []


def test_corpus_no_figure_is_zero(corpus: Corpus) -> None:
    values = [i.value for r in corpus.reports.values() for i in r.indicators]
    values += [t.value for r in corpus.reports.values() for t in r.targets if t.value is not None]
    assert 0 not in values


def test_corpus_unnamed_park_year_is_withheld(corpus: Corpus) -> None:
    report = corpus.reports["yiqu-siyuan-202x-h1"]
    assert report.period is not None and report.period.code == "202xH1"
    assert report.published is None and report.date_note
    assert report.indicators == []


def test_corpus_hundred_billion_industries_target(corpus: Corpus) -> None:
    target = _target(corpus, "pingyuan-2022-interview", "pingyuan-100yi-industries")
    assert target.range is not None and (target.range.min, target.range.max) == (2, 3)
    assert target.unit == "个"
    assert target.threshold is not None and (target.threshold.value, target.threshold.unit) == (100, "亿元")
    assert target.from_year == 2022 and target.commitment == "力争"


def test_corpus_try_to_finish_this_year_is_a_project_target(corpus: Corpus) -> None:
    report = corpus.reports["puyang-2023-h1"]
    projects = {t.project for t in report.targets if t.stage == "in_production" and t.by is not None and t.by.code == "2023"}
    assert projects == {
        "puyang-jingsen", "puyang-zhanchen-3", "puyang-yuhong", "puyang-deqian", "puyang-caizhihong", "puyang-xinyuan",
    }
    assert not {e.project for e in report.project_events} & projects, "力争建成投产 is not a status claim"


def test_corpus_puyang_projects_move_from_signed_to_trial_production(corpus: Corpus) -> None:
    for project in ("puyang-hangmin", "puyang-baolijia"):
        assert [e.status for e in _events(corpus, "puyang-2022-m1-4", project)] == ["signed"]
    (hangmin,) = _events(corpus, "puyang-2023-h1", "puyang-hangmin")
    assert (hangmin.status, hangmin.imminent) == ("trial_production", True)
    (baolijia,) = _events(corpus, "puyang-2023-h1", "puyang-baolijia")
    assert baolijia.status == "progress"
    assert baolijia.planned_stage == "under_construction"
    assert baolijia.planned_by is not None and baolijia.planned_by.code == "2023H2"
    (dayu_2022,) = _events(corpus, "puyang-2022-m1-4", "puyang-dayu")
    (dayu_2023,) = _events(corpus, "puyang-2023-h1", "puyang-dayu")
    assert (dayu_2022.status, dayu_2023.status, dayu_2023.imminent) == ("under_construction", "trial_production", False)


def test_corpus_project_amounts_sit_on_the_events_that_state_them(corpus: Corpus) -> None:
    (duowei,) = _events(corpus, "pingyuan-2022-interview", "pingyuan-duowei-pharma")
    assert duowei.status == "signed"
    assert duowei.investment is not None and (duowei.investment.value, duowei.investment.unit) == (50.8, "亿元")
    assert "合作协议" in duowei.quote
    (paper,) = _events(corpus, "pingyuan-2022-interview", "pingyuan-taiding-paper")
    assert paper.capacity == "30万吨白卡纸"
    (battery,) = _events(corpus, "puyang-2023-h1", "puyang-tianneng-battery")
    assert battery.investment is not None and battery.investment.value == 3.6
    assert battery.output_value is not None and battery.output_value.value == 20
    (agrifood,) = _events(corpus, "pingyuan-2022-interview", "pingyuan-agrifood-park")
    assert agrifood.investment is not None and agrifood.investment.value == 500


def test_corpus_every_project_is_mentioned_by_a_report(corpus: Corpus) -> None:
    mentioned = {e.project for r in corpus.reports.values() for e in r.project_events}
    mentioned |= {t.project for r in corpus.reports.values() for t in r.targets if t.project}
    assert set(corpus.projects) - mentioned == set()


def test_corpus_reports_without_a_printed_date_explain_it(corpus: Corpus) -> None:
    for report in corpus.reports.values():
        if report.published is None or len(report.published) < 10:
            assert report.date_note.strip(), report.id
    assert corpus.reports["puyang-2022-m1-4"].published == "2022-06-13"
    assert corpus.reports["puyang-2022-m1-4"].url is None


def test_corpus_nanle_2022_directions_are_targets_not_figures(corpus: Corpus) -> None:
    report: Report = corpus.reports["nanle-2021-review"]
    assert all(i.period.code == "2021" and i.status == "actual" for i in report.indicators)
    assert report.targets and all(t.kind == "qualitative" and t.by is not None and t.by.code == "2022" for t in report.targets)
    # what happened "在过去的一年里" is dated 2021; the 2022 plans are intentions, undated
    for event in report.project_events:
        assert (event.date == "2021") == (event.status != "planned"), event


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(CONTENT).as_posix() for p in CONTENT.rglob("*.yaml")), ids=str
)
def test_corpus_files_name_their_schema(path: str) -> None:
    kind = "metrics" if path == "metrics.yaml" else {"parks": "park", "reports": "report"}[path.split("/")[0]]
    prefix = "../schema" if path == "metrics.yaml" else "../../schema"
    first = (CONTENT / path).read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={prefix}/{kind}.schema.json"


# -- the field reference in content/README.md ---------------------------------

REFERENCE_SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("Park (`parks/<id>.yaml`)", model.Park),
    ("Region (`region:` of a park)", model.Region),
    ("SubPark (entries of `subparks:`)", model.SubPark),
    ("Project (entries of a park's `projects:`)", model.Project),
    ("Report (`reports/<id>.yaml`)", model.Report),
    ("Indicator (entries of `indicators:`)", model.Indicator),
    ("Share (`share:` of an indicator)", model.Share),
    ("Target (entries of `targets:`)", model.Target),
    ("Range (`range:` of a target)", model.Range),
    ("Threshold (`threshold:` of a target)", model.Threshold),
    ("ProjectEvent (entries of `project_events:`)", model.ProjectEvent),
    ("Amount (`investment:` / `output_value:` of a project event)", model.Amount),
    ("Fact (entries of `facts:`)", model.Fact),
    ("Metric (entries of `metrics:` in `metrics.yaml`)", model.Metric),
    ("UnitDeclaration (entries of `units:` in `metrics.yaml`)", model.UnitDeclaration),
]
_START, _END = "<!-- field-reference:start -->", "<!-- field-reference:end -->"


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None or info.default == "":
        return "empty"
    if info.default is None:
        return "—"
    if isinstance(info.default, bool):
        return f"`{str(info.default).lower()}`"
    return f"`{info.default:g}`" if isinstance(info.default, float) else f"`{info.default}`"


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


def field_reference() -> str:
    """The field tables of content/README.md, from the model's declarations."""
    parts = []
    for heading, declared in REFERENCE_SECTIONS:
        rows = [f"| `{name}` | {_default(info)} | {_markdown_cell(info.description or '')} |"
                for name, info in declared.model_fields.items()]
        parts.append("\n".join([f"### {heading}", "", "| field | default | description |", "| --- | --- | --- |", *rows]))
    return "\n\n".join(parts)


def test_corpus_readme_field_reference_matches_the_model() -> None:
    readme = (CONTENT / "README.md").read_text(encoding="utf-8")
    assert _START in readme and _END in readme
    written = readme.split(_START, 1)[1].split(_END, 1)[0].strip()
    assert written == field_reference(), (
        "content/README.md's field reference is out of date: "
        "replace the part between the field-reference markers with the output of 'python -m tests.test_corpus'"
    )


def test_corpus_check_command_passes() -> None:
    result = CliRunner().invoke(main, ["check", str(CONTENT)])
    assert result.exit_code == 0, result.output
    assert "5 reports" in result.output and "no problems" in result.output


if __name__ == "__main__":
    print(field_reference())
