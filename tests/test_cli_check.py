from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from parkreport.cli import main

from .conftest import FIXTURES


def test_check_passes_on_the_fixture_corpus() -> None:
    result = CliRunner().invoke(main, ["check", str(FIXTURES / "mini")])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_check_reports_a_located_problem_and_exits_1(mini_content: Path) -> None:
    report = mini_content / "reports" / "alpha-2022-m1-4.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("value: 65.18", "value: 65.18亿元"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(mini_content)])
    assert result.exit_code == 1
    assert "alpha-2022-m1-4.yaml:11:12: indicators[0].value: expected a number, got '65.18亿元' (put the unit in 'unit'" in result.output
    assert "Traceback" not in result.output


def test_check_usage_error_exits_2() -> None:
    result = CliRunner().invoke(main, ["check", "--no-such-option"])
    assert result.exit_code == 2


def test_help_works_for_every_command() -> None:
    runner = CliRunner()
    for command in ([], ["check"], ["schema"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0, (command, result.output)
