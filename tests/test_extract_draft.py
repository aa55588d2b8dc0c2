"""The draft file and the 'parkreport extract' command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from parkreport.cli import main
from parkreport.errors import ContentError, ExtractError
from parkreport.extract import (
    DraftOptions,
    Vocabulary,
    draft_report,
    extract_to_file,
    load_vocabulary,
    write_draft,
)
from parkreport.modelcheck import validate_document
from parkreport.model import Report
from parkreport.quotes import SourceText
from parkreport.validate import load_corpus
from parkreport.yamlreader import read_yaml_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "extract" / "content"
SOURCE = FIXTURE / "sources" / "alpha-2023-h1.txt"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def _draft(vocabulary: Vocabulary | None = None) -> str:
    options = DraftOptions("alpha-2023-h1", published="2023-07-01", kind="news")
    return draft_report(SOURCE.read_text(encoding="utf-8"), vocabulary or load_vocabulary(FIXTURE), options).yaml


def test_draft_is_a_valid_report_with_a_review_marker() -> None:
    yaml_text = _draft()
    assert yaml_text.startswith("# yaml-language-server: $schema=../../schema/report.schema.json\n")
    report, problems = validate_document(read_yaml_text(yaml_text, "draft.yaml"), Report, "draft.yaml")
    assert problems == []
    assert report.review.startswith("drafted by parkreport extract")
    assert (report.parks, report.published, report.kind) == (["alpha"], "2023-07-01", "news")
    entries = len(report.indicators) + len(report.targets) + len(report.project_events)
    assert yaml_text.count("# confidence: ") == entries
    text = SourceText(SOURCE.read_text(encoding="utf-8"))
    assert all(item.quote in text for item in [*report.indicators, *report.targets, *report.project_events])


def test_draft_bytes_are_deterministic() -> None:
    assert _draft() == _draft()


def test_undeclared_projects_get_placeholder_ids() -> None:
    yaml_text = _draft()
    assert "project: new-project-1" in yaml_text
    assert "#   - {id: new-project-1, name: 华北能源}" in yaml_text
    assert "{id: new-project-2, name: 江南化工}" in yaml_text
    assert "project: alpha-hangmin" in yaml_text


def test_write_draft_never_replaces_a_reviewed_report(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "x.yaml"
    path.parent.mkdir()
    path.write_text("id: x\nparks: [alpha]\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="reviewed report"):
        write_draft(path, "new", force=True)
    assert path.read_text(encoding="utf-8") == "id: x\nparks: [alpha]\n"


def test_write_draft_replaces_a_draft_only_with_force(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    write_draft(path, 'id: x\nreview: "drafted"\n')
    with pytest.raises(ExtractError, match="--force"):
        write_draft(path, "second")
    write_draft(path, 'review: "second"\n', force=True)
    assert path.read_text(encoding="utf-8") == 'review: "second"\n'


def test_cli_extract_writes_a_draft_that_check_reports(content: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["extract", str(content / "sources" / "alpha-2023-h1.txt"),
                                  "--content", str(content), "--published", "2023"])
    assert result.exit_code == 0, result.output
    assert "wrote " in result.output and "indicators" in result.output
    draft = content / "reports" / "alpha-2023-h1.yaml"
    assert draft.is_file()
    with pytest.raises(ContentError) as caught:
        load_corpus(content)
    messages = [problem.message for problem in caught.value.problems]
    assert any(message.startswith("draft awaiting review") for message in messages)
    assert not any("quote not found" in message for message in messages)
    again = runner.invoke(main, ["extract", str(content / "sources" / "alpha-2023-h1.txt"), "--content", str(content)])
    assert again.exit_code == 1 and "--force" in again.output


def test_cli_extract_refuses_a_reviewed_report(content: Path) -> None:
    reviewed = content / "reports" / "alpha-2023-h1.yaml"
    reviewed.parent.mkdir(exist_ok=True)
    reviewed.write_text("id: alpha-2023-h1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(SOURCE), "--content", str(content), "--force"])
    assert result.exit_code == 1
    assert "never overwritten" in result.output
    assert reviewed.read_text(encoding="utf-8") == "id: alpha-2023-h1\n"


def test_cli_extract_to_output_and_notes_a_missing_source(content: Path, tmp_path: Path) -> None:
    raw = tmp_path / "Beta Report 2023.txt"
    raw.write_text("贝塔县上半年,规上工业总产值完成12.5亿元。", encoding="utf-8")
    out = tmp_path / "drafts" / "beta.yaml"
    result = CliRunner().invoke(main, ["extract", str(raw), "--content", str(content), "-o", str(out), "--year", "2023"])
    assert result.exit_code == 0, result.output
    assert "parkreport ingest" in result.output
    text = out.read_text(encoding="utf-8")
    assert "id: beta-report-2023" in text and "parks: [beta]" in text and 'period: "2023H1"' in text


def test_cli_extract_rejects_a_bad_published_date(content: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(SOURCE), "--content", str(content), "--published", "2023-13-01"])
    assert result.exit_code == 1
    assert "published" in result.output
    assert not (content / "reports" / "alpha-2023-h1.yaml").exists()


def test_cli_extract_help() -> None:
    result = CliRunner().invoke(main, ["extract", "--help"])
    assert result.exit_code == 0
    assert "--published" in result.output and "--force" in result.output


def test_cli_extract_missing_source_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2


def test_raw_html_original_is_cleaned_like_ingest() -> None:
    """Drafting from the verbatim HTML original gives quotes found in the ingested text."""
    content = ROOT / "content"
    original = content / "sources" / "nanle-2021-review.orig.html"
    if not original.is_file():
        pytest.fail("the example corpus lost content/sources/nanle-2021-review.orig.html")
    draft = draft_report(original.read_text(encoding="utf-8"), load_vocabulary(content),
                         DraftOptions("nanle-2021-review", published="2022-01-30"))
    report, problems = validate_document(read_yaml_text(draft.yaml, "d.yaml"), Report, "d.yaml")
    assert problems == [] and report.project_events
    cleaned = SourceText((content / "sources" / "nanle-2021-review.txt").read_text(encoding="utf-8"))
    assert all(event.quote in cleaned for event in report.project_events)
    assert any(i.metric == "projects-signed" and i.value == 7 for i in report.indicators)


def test_draft_event_keeps_the_month_it_happened_and_the_output_value() -> None:
    """A review out in January 2024: 于9月 is September 2023; 新增产值 is the event's output value."""
    source = (
        "开发区2023年工作总结\n\n2023年，开发区各项工作取得新成效。\n\n"
        "总投资20亿元的晶澳电池片项目于9月正式签约。"
        "总投资8500万元的恒丰轴承项目已开工建设，建成后将新增产值2.5亿元。\n"
    )
    options = DraftOptions("zone-2023", park="zone", published="2024-01-18", kind="work_summary")
    report = read_yaml_text(draft_report(source, load_vocabulary(FIXTURE), options).yaml, "zone-2023.yaml").data
    events = {e["quote"][:12]: e for e in report["project_events"]}
    assert [(e["status"], e.get("date")) for e in events.values()] == [("signed", "2023-09"), ("under_construction", None)]
    (hengfeng,) = [e for e in events.values() if e["status"] == "under_construction"]
    assert hengfeng["output_value"] == {"value": 2.5, "unit": "亿元"}


def test_draft_project_target_with_the_commitment_before_the_name() -> None:
    """"确保X项目上半年开工建设，力争Y项目年内建成投产": two project targets, each with its own deadline."""
    source = "2024年工作目标\n\n2024年，确保晶澳电池片项目上半年开工建设，力争恒丰精密轴承项目年内建成投产。\n"
    options = DraftOptions("zone-2024", park="zone", published="2024-01-18", kind="plan")
    report = read_yaml_text(draft_report(source, load_vocabulary(FIXTURE), options).yaml, "zone-2024.yaml").data
    assert [(t["what"], t["stage"], t["by"], t["commitment"]) for t in report["targets"]] == [
        ("确保晶澳电池片项目上半年开工建设", "under_construction", "2024H1", "确保"),
        ("力争恒丰精密轴承项目年内建成投产", "in_production", "2024", "力争"),
    ]
    assert not report.get("project_events")


def test_draft_from_an_ingested_page_takes_metadata_and_name_from_the_kept_original(tmp_path: Path) -> None:
    """Ingest moved the page's meta line out of the text; the draft still gets publisher, date and original."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    page = (
        "<html><head><title>开发区2023年工作总结_某县人民政府</title></head><body><h1>开发区2023年工作总结</h1>"
        "<div>发布时间：2024-01-18 10:32　来源：开发区管委会</div><p>2023年，开发区工作取得新成效。</p></body></html>"
    )
    (content / "sources" / "zone-2023.orig.html").write_text(page, encoding="utf-8")
    cleaned = content / "sources" / "zone-2023.txt"
    cleaned.write_text("开发区2023年工作总结\n\n2023年，开发区工作取得新成效。\n", encoding="utf-8")
    outcome = extract_to_file(cleaned, content, DraftOptions("zone-2023", park="zone", kind="work_summary"))
    report = read_yaml_text(outcome.path.read_text(encoding="utf-8"), "zone-2023.yaml").data
    assert (report["publisher"], report["published"], report["original"]) == ("开发区管委会", "2024-01-18", "zone-2023.orig.html")
