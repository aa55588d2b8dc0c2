from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkreport.config import CONFIG_FILE, SiteConfig, load_config, read_config
from parkreport.errors import ContentError
from parkreport.schema import schema_texts

from .conftest import ROOT


@pytest.fixture
def project(mini_content: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = mini_content.parent
    monkeypatch.chdir(root)
    return root


def _problems(root: Path, text: str) -> list[str]:
    (root / CONFIG_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_config(root)
    return [problem.format() for problem in caught.value.problems]


def test_config_defaults_when_the_file_is_absent(project: Path) -> None:
    config = load_config(project)
    assert config == SiteConfig()
    assert (config.base_url, config.base_path, config.language, config.stall_months) == ("/", "/", "zh-CN", 12)


def test_config_empty_file_gives_defaults(project: Path) -> None:
    (project / CONFIG_FILE).write_text("# nothing yet\n", encoding="utf-8")
    assert load_config(project) == SiteConfig()


def test_config_reads_every_field(project: Path) -> None:
    (project / CONFIG_FILE).write_text(
        "title: 濮阳园区观察\n"
        "base_url: https://example.org/parks\n"
        "language: zh-CN\n"
        "headline_metrics: [industrial-value-added, industrial-output]\n"
        "stall_months: 18\n"
        "footer: 数据来自公开报道。\n"
        "editions:\n  - {language: en, url: 'https://example.org/en/'}\n",
        encoding="utf-8",
    )
    config = load_config(project)
    assert config.title == "濮阳园区观察"
    assert config.base_url == "https://example.org/parks/"
    assert config.base_path == "/parks/"
    assert config.headline_metrics == ["industrial-value-added", "industrial-output"]
    assert config.stall_months == 18
    assert config.editions[0].language == "en"


def test_config_unknown_field_is_located_with_a_suggestion(project: Path) -> None:
    problems = _problems(project, "title: x\nstall_monhts: 3\n")
    assert len(problems) == 1
    assert problems[0].startswith("parkreport.yaml:2:1: stall_monhts: unknown field 'stall_monhts' (did you mean 'stall_months'?)")


def test_config_bad_base_url_is_located(project: Path) -> None:
    problems = _problems(project, "title: x\nbase_url: ftp://example.org/\n")
    assert problems == [
        (
            "parkreport.yaml:2:11: base_url: 'ftp://example.org/' is neither a path starting with '/' "
            "nor an http(s) address such as https://example.org/parks/"
        )
    ]


def test_config_every_problem_is_collected(project: Path) -> None:
    problems = _problems(project, "language: 中文\nstall_months: 0\ntitle: ''\n")
    fields = [problem.split(": ")[1] for problem in problems]
    assert fields == ["language", "stall_months", "title"]


def test_config_parks_per_page_is_a_positive_count(project: Path) -> None:
    problems = _problems(project, "parks_per_page: 0\n")
    assert len(problems) == 1 and problems[0].startswith("parkreport.yaml:1:17: parks_per_page:"), problems


def test_config_feed_entries_is_a_positive_count(project: Path) -> None:
    problems = _problems(project, "feed_entries: 0\n")
    assert len(problems) == 1 and problems[0].startswith("parkreport.yaml:1:15: feed_entries:"), problems


def test_config_yaml_traps_are_rejected(project: Path) -> None:
    problems = _problems(project, "title: x\ntitle: y\n")
    assert "duplicate key 'title'" in problems[0]
    assert problems[0].startswith("parkreport.yaml:2:1:")


def test_config_unknown_headline_metric_points_at_metrics_yaml(project: Path) -> None:
    problems = _problems(project, "headline_metrics:\n  - industrial-output\n  - industrial-outptu\n")
    assert problems == [
        (
            "parkreport.yaml:3:5: headline_metrics[1]: unknown metric 'industrial-outptu' "
            "(did you mean 'industrial-output'?); declare it in content/metrics.yaml or fix the id"
        )
    ]


def test_config_headline_metrics_follow_content_dir(project: Path) -> None:
    (project / "content").rename(project / "data")
    (project / CONFIG_FILE).write_text("content_dir: data\nheadline_metrics: [fixed-asset-investment]\n", encoding="utf-8")
    assert load_config(project).headline_metrics == ["fixed-asset-investment"]


def test_config_command_line_overrides_win() -> None:
    config = SiteConfig(base_url="https://example.org/a/", title="t")
    assert config.with_overrides(base_url="/b", title=None).base_url == "/b/"
    assert config.with_overrides(title=None) is config


def test_config_read_config_returns_the_document_for_locating(project: Path) -> None:
    (project / CONFIG_FILE).write_text("title: x\nheadline_metrics: [a]\n", encoding="utf-8")
    _, document = read_config(project / CONFIG_FILE)
    assert document is not None and document.locate(("headline_metrics", 0)) == (2, 20)


def test_config_schema_is_written_with_the_content_schemas() -> None:
    schema = json.loads(schema_texts()["config.schema.json"])
    assert schema["title"] == "parkreport config file"
    assert schema["additionalProperties"] is False
    assert all(prop.get("description") for prop in schema["properties"].values())


def test_config_example_file_at_the_repository_root_is_valid() -> None:
    config, document = read_config(ROOT / CONFIG_FILE)
    assert document is not None, "the example parkreport.yaml is missing"
    assert config.language == "zh-CN"


_PATHS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0-_", min_size=1, max_size=8), max_size=4)


@given(segments=_PATHS, host=st.sampled_from(["", "https://example.org", "http://localhost:8000"]))
def test_config_base_url_always_ends_with_a_slash_and_keeps_its_path(segments: list[str], host: str) -> None:
    path = "/" + "/".join(segments)
    config = SiteConfig(base_url=host + path)
    assert config.base_url.endswith("/")
    assert config.base_path == (path if path.endswith("/") else path + "/")


@given(value=st.text(max_size=30))
def test_config_base_url_never_accepts_garbage_silently(value: str) -> None:
    try:
        config = SiteConfig(base_url=value)
    except ValueError:
        return
    assert config.base_url.startswith(("/", "http://", "https://"))
    assert config.base_url.endswith("/")


def test_config_headline_metrics_replace_the_vocabulary_flags(mini_content: Path) -> None:
    from parkreport.config import apply_headline_metrics
    from parkreport.validate import load_corpus

    corpus = load_corpus(mini_content)
    assert apply_headline_metrics(SiteConfig(), corpus) is corpus
    chosen = apply_headline_metrics(SiteConfig(headline_metrics=["fixed-asset-investment"]), corpus)
    assert [m for m, metric in chosen.metrics.items() if metric.headline] == ["fixed-asset-investment"]
    assert corpus.metrics["industrial-output"].headline  # the input is left as it was


def test_config_site_fields_are_what_pages_show() -> None:
    fields = SiteConfig(title="园区", author="编辑组", license="CC BY 4.0").site_fields()
    assert fields == {"title": "园区", "description": "", "language": "zh-CN", "author": "编辑组", "license": "CC BY 4.0"}


def test_config_check_command_reports_config_problems_with_the_content(project: Path) -> None:
    from click.testing import CliRunner

    from parkreport.cli import main

    (project / CONFIG_FILE).write_text("title: x\nbase_url: ftp://example.org/\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "content"])
    assert result.exit_code == 1
    assert "parkreport.yaml:2:11: base_url: 'ftp://example.org/' is neither" in result.output
    report = project / "content" / "reports" / "alpha-2022-m1-4.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("value: 65.18", "value: 65.18亿元"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "content"])
    assert "parkreport.yaml:2:11: base_url" in result.output and "indicators[0].value" in result.output
    assert "2 problems" in result.output
    (project / CONFIG_FILE).write_text("title: x\n", encoding="utf-8")
    report.write_text(report.read_text(encoding="utf-8").replace("value: 65.18亿元", "value: 65.18"), encoding="utf-8")
    assert CliRunner().invoke(main, ["check", "content"]).exit_code == 0


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("abcdefghilmnorstu_:-[]{}#'\"/ \n\t,.0129xyz标题")), max_size=80))
def test_config_any_file_gives_a_config_or_located_problems(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("cfg") / CONFIG_FILE
    path.write_text(text, encoding="utf-8")
    try:
        config, _ = read_config(path)
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path.endswith(CONFIG_FILE) and problem.message
            assert problem.line >= 0 and problem.column >= 0
        return
    assert isinstance(config, SiteConfig)
