"""'parkreport build' through click's CliRunner: exit codes, messages, options."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from parkreport.cli import main
from parkreport.links import scan_page

from .conftest import FIXTURES


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder holding a copy of the fixture content, as the working directory."""
    import shutil

    shutil.copytree(FIXTURES / "mini", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_build_with_no_arguments_builds_content_into_site_and_summarises(project: Path) -> None:
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (project / "site" / "index.html").is_file()
    assert "✓ built site: 32 pages (404 2, home 2, methods 2, metric 8, park 2, park_year 2" in result.output
    assert "files (" in result.output and " written, 0 unchanged, 0 removed) in " in result.output
    again = CliRunner().invoke(main, ["build"])
    assert "0 written" in again.output and "0 removed" in again.output


def test_build_options_choose_content_output_and_base_url(project: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--content", "content", "-o", "public", "--base-url", "/sub/path/"])
    assert result.exit_code == 0, result.output
    html = (project / "public" / "parks" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert 'href="/sub/path/reports/alpha-2022-m1-4/#indicators-0"' in html


def test_bad_content_exits_1_with_every_located_problem_and_keeps_the_old_site(project: Path) -> None:
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    before = (project / "site" / "index.html").read_bytes()
    report = project / "content" / "reports" / "alpha-2022-m1-4.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("value: 65.18", "value: 65.18亿元"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "alpha-2022-m1-4.yaml:11:12: indicators[0].value: expected a number" in result.output
    assert "Traceback" not in result.output
    assert (project / "site" / "index.html").read_bytes() == before


def test_a_broken_link_exits_1_naming_page_and_link(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "search.html").write_text(
        "{% extends 'base.html' %}{% block content %}<a href=\"{{ url('/nowhere/') }}\">x</a>{% endblock %}", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert "/search/: /nowhere/: no such page or file" in result.output
    assert "/en/search/: /en/nowhere/: no such page or file" in result.output  # the English edition's copy
    assert "2 broken internal links" in result.output


def test_usage_errors_exit_2(project: Path) -> None:
    assert CliRunner().invoke(main, ["build", "--no-such-option"]).exit_code == 2
    result = CliRunner().invoke(main, ["build", "--base-url", "ftp://example.org/"])
    assert result.exit_code == 2
    assert "--base-url" in result.output


def test_build_help_works() -> None:
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0
    assert "--base-url" in result.output


def test_every_internal_link_stays_under_the_sub_path(project: Path) -> None:
    assert CliRunner().invoke(main, ["build", "--base-url", "/sub/path/"]).exit_code == 0
    for page in (project / "site").rglob("*.html"):
        _, links = scan_page(page.read_text(encoding="utf-8"))
        for link in links:
            if link.startswith("/"):
                assert link.startswith("/sub/path/"), (page, link)
