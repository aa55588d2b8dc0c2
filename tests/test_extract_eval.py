"""The evaluation script, and drafts of the example sources against 'check'."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from parkreport.errors import ContentError
from parkreport.extract import DraftOptions, draft_report, load_vocabulary
from parkreport.load import load_raw
from parkreport.validate import load_corpus

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_extract", ROOT / "bench" / "eval_extract.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_extract"] = module
    spec.loader.exec_module(module)
    return module


def test_score_arithmetic() -> None:
    bench = _bench()
    score, notes = bench.multiset_score([("a", 1), ("a", 1), ("b", 2)], [("a", 1), ("c", 3)])
    assert (score.hits, score.found, score.expected) == (1, 3, 2)
    assert score.precision == pytest.approx(1 / 3) and score.recall == pytest.approx(1 / 2)
    assert score.f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert "- ('c', 3)" in notes and notes.count("+ ('a', 1)") == 1


def test_eval_on_one_report_is_consistent(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _bench()
    assert bench.main(["--content", str(CONTENT), "--report", "puyang-2022-m1-4"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(lines[-1])
    assert summary["reports"] == ["puyang-2022-m1-4"]
    assert any(line.startswith("puyang-2022-m1-4") for line in lines) and any(line.startswith("total") for line in lines)
    report = summary["per_report"]["puyang-2022-m1-4"]
    assert report == summary["total"]
    hand_made = next(r.model for r in load_raw(CONTENT).reports if r.model.id == "puyang-2022-m1-4")
    assert report["indicators"]["expected"] == len(hand_made.indicators)
    for kind in ("indicators", "projects", "statuses"):
        numbers = report[kind]
        assert 0 <= numbers["hits"] <= min(numbers["found"], numbers["expected"])
        assert numbers["precision"] == round(numbers["hits"] / numbers["found"], 4) if numbers["found"] else True
        assert numbers["recall"] == round(numbers["hits"] / numbers["expected"], 4) if numbers["expected"] else True


def test_project_names_match_by_containment() -> None:
    bench = _bench()
    vocabulary = load_vocabulary(CONTENT)
    projects = [project for park in vocabulary.parks.values() for project in park.projects]
    assert bench.match_project("浙江航民", projects) == "puyang-hangmin"
    assert bench.match_project("河南安装集团L-乳酸项目", projects) == "nanle-lactic-acid"
    assert bench.match_project("不存在的公司", projects) is None


def test_drafts_of_the_example_sources_pass_check_but_for_review(tmp_path: Path) -> None:
    """Every draft quote is found, every id and unit resolves: only the review markers remain."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    vocabulary = load_vocabulary(CONTENT)
    reports = [loaded.model for loaded in load_raw(CONTENT).reports]
    assert reports, "the example corpus has no reports"
    for report in reports:
        source = (CONTENT / "sources" / report.source_file).read_text(encoding="utf-8")
        options = DraftOptions(report.id, park=report.parks[0], published=report.published, kind=report.kind)
        (target / "reports" / f"{report.id}.yaml").write_text(draft_report(source, vocabulary, options).yaml, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_corpus(target)
    others = [p.format() for p in caught.value.problems if not p.message.startswith("draft awaiting review")]
    assert others == []
    assert len(caught.value.problems) == len(reports)
