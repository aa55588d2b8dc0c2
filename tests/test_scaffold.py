from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkreport.cli import main
from parkreport.config import load_config
from parkreport.errors import ScaffoldError
from parkreport.scaffold import (
    SOURCE_PLACEHOLDER,
    check_id,
    new_park,
    new_report,
    new_site,
)
from parkreport.validate import load_corpus

from .conftest import ROOT

SCHEMA_HINT = "# yaml-language-server: $schema="


@pytest.fixture
def site(tmp_path: Path) -> Path:
    project = tmp_path / "my-parks"
    new_site(project)
    return project


def test_scaffold_new_site_passes_check_and_has_everything_a_project_needs(site: Path) -> None:
    corpus = load_corpus(site / "content")
    assert list(corpus.parks) == ["puyang"] and list(corpus.reports) == ["puyang-2022-m1-4"]
    assert load_config(site).language == "zh-CN"
    for name in ("parkreport.yaml", "templates/README.md", ".gitignore", "schema/report.schema.json", "schema/config.schema.json"):
        assert (site / name).is_file(), name
    for path in [site / "parkreport.yaml", *sorted((site / "content").rglob("*.yaml"))]:
        assert path.read_text(encoding="utf-8").startswith(SCHEMA_HINT), path


def test_scaffold_schema_hints_point_at_the_written_schemas(site: Path) -> None:
    for path in [site / "parkreport.yaml", *sorted((site / "content").rglob("*.yaml"))]:
        target = path.read_text(encoding="utf-8").splitlines()[0].removeprefix(SCHEMA_HINT)
        assert (path.parent / target).resolve().is_file(), (path, target)


def test_scaffold_metric_vocabulary_is_the_example_projects() -> None:
    shipped = ROOT / "src" / "parkreport" / "scaffold" / "starter" / "content" / "metrics.yaml"
    example = ROOT / "content" / "metrics.yaml"
    # One source of truth: the starter's file is a link to the example's (wheels carry its content).
    assert shipped.read_bytes() == example.read_bytes(), "the starter vocabulary must be the example's content/metrics.yaml"


def test_scaffold_new_site_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    with pytest.raises(ScaffoldError, match="not empty"):
        new_site(tmp_path / "taken")
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]
    new_site(tmp_path / "empty-is-fine")


def test_scaffold_new_park_and_report_pass_check_with_the_schema_hint(site: Path) -> None:
    new_park(site, "alpha", name="阿尔法工业园区")
    done = new_report(site, "alpha-2024-h1", park="alpha", title="阿尔法工业园区上半年经济运行")
    assert [p.as_posix() for p in done.created] == ["content/reports/alpha-2024-h1.yaml", "content/sources/alpha-2024-h1.txt"]
    corpus = load_corpus(site / "content")
    assert corpus.parks["alpha"].name == "阿尔法工业园区"
    assert corpus.reports["alpha-2024-h1"].title == "阿尔法工业园区上半年经济运行"
    assert corpus.reports["alpha-2024-h1"].parks == ["alpha"]
    assert (site / "content" / "parks" / "alpha.yaml").read_text(encoding="utf-8").startswith(SCHEMA_HINT + "../../schema/park.schema.json")
    assert (site / "content" / "sources" / "alpha-2024-h1.txt").read_text(encoding="utf-8") == SOURCE_PLACEHOLDER


def test_scaffold_new_report_keeps_an_existing_source_text(site: Path) -> None:
    source = site / "content" / "sources" / "puyang-2023-h1.txt"
    source.write_text("濮阳工业园区上半年。", encoding="utf-8")
    done = new_report(site, "puyang-2023-h1")  # the only park is chosen
    assert [p.name for p in done.created] == ["puyang-2023-h1.yaml"]
    assert source.read_text(encoding="utf-8") == "濮阳工业园区上半年。"
    assert "already there" in done.next_steps[0]


def test_scaffold_never_overwrites(site: Path) -> None:
    park = site / "content" / "parks" / "puyang.yaml"
    before = park.read_bytes()
    with pytest.raises(ScaffoldError, match="already exists"):
        new_park(site, "puyang", name="别的")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_report(site, "puyang-2022-m1-4", park="puyang")
    assert park.read_bytes() == before


def test_scaffold_new_report_needs_a_known_park(site: Path) -> None:
    with pytest.raises(ScaffoldError, match="unknown park 'nowhere'"):
        new_report(site, "x-2024", park="nowhere")
    new_park(site, "beta")
    with pytest.raises(ScaffoldError, match="--park .*beta, puyang"):
        new_report(site, "x-2024")
    assert not (site / "content" / "reports" / "x-2024.yaml").exists()


def test_scaffold_outside_a_project_says_how_to_start_one(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="parkreport new site"):
        new_park(tmp_path, "alpha")


@pytest.mark.parametrize("bad", ["Puyang", "puyang_2023", "-puyang", "puyang-", "濮阳", "", "a" * 65, "a/b", "../x"])
def test_scaffold_bad_ids_are_refused(bad: str) -> None:
    with pytest.raises(ScaffoldError, match="not a valid"):
        check_id(bad)


_NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(lambda s: s.strip())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_NAMES)
def test_scaffold_any_name_or_title_is_written_as_valid_yaml(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    project = tmp_path_factory.mktemp("p")
    new_site(project)
    new_park(project, "alpha", name=name)
    new_report(project, "alpha-2024", park="alpha", title=name)
    corpus = load_corpus(project / "content")
    assert corpus.parks["alpha"].name == name.strip()
    assert corpus.reports["alpha-2024"].title == name.strip()


# -- the command line ---------------------------------------------------------


def test_scaffold_cli_new_site_then_park_then_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["new", "site", "parks-site"])
    assert result.exit_code == 0, result.output
    assert "✓ created" in result.output and "parkreport serve" in result.output
    monkeypatch.chdir(tmp_path / "parks-site")
    result = runner.invoke(main, ["new", "park", "alpha", "--name", "阿尔法工业园区"])
    assert result.exit_code == 0, result.output
    assert "content/parks/alpha.yaml" in result.output
    result = runner.invoke(main, ["new", "report", "alpha-2024", "--park", "alpha", "--title", "标题"])
    assert result.exit_code == 0, result.output
    assert "replace the placeholder in content/sources/alpha-2024.txt" in result.output
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output


def test_scaffold_cli_bad_id_is_a_usage_error(site: Path) -> None:
    result = CliRunner().invoke(main, ["new", "park", "Bad_Id", "--project", str(site)])
    assert result.exit_code == 2
    assert "'Bad_Id' is not a valid id" in result.output
    result = CliRunner().invoke(main, ["new", "report", "x-2024", "--park", "Bad", "--project", str(site)])
    assert result.exit_code == 2
    assert "'Bad' is not a valid park id" in result.output


def test_scaffold_cli_existing_file_exits_1_and_keeps_it(site: Path) -> None:
    result = CliRunner().invoke(main, ["new", "park", "puyang", "--project", str(site)])
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_scaffold_cli_quiet_and_verbose(tmp_path: Path) -> None:
    runner = CliRunner()
    quiet = runner.invoke(main, ["-q", "new", "site", str(tmp_path / "a")])
    assert quiet.exit_code == 0 and quiet.output == ""
    quiet_after = runner.invoke(main, ["new", "site", str(tmp_path / "b"), "-q"])
    assert quiet_after.exit_code == 0 and quiet_after.output == ""
    verbose = runner.invoke(main, ["new", "site", str(tmp_path / "c"), "-v"])
    assert "created " + str(tmp_path / "c" / "content" / "metrics.yaml") in verbose.output
    both = runner.invoke(main, ["-q", "-v", "new", "site", str(tmp_path / "d")])
    assert both.exit_code == 2


def test_scaffold_cli_help() -> None:
    for command in (["new"], ["new", "site"], ["new", "park"], ["new", "report"]):
        result = CliRunner().invoke(main, [*command, "--help"])
        assert result.exit_code == 0, (command, result.output)
