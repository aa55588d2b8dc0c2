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


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_check_prints_every_problem_of_every_file_sorted_in_one_run(mini_content: Path, monkeypatch) -> None:
    monkeypatch.chdir(mini_content.parent)
    _edit(mini_content / "reports" / "alpha-2022-m1-4.yaml", "yoy_pct: 29.2", "yoy_pct: 很多")
    _edit(mini_content / "reports" / "alpha-2022-m1-4.yaml", "publisher:", "publsher:")
    _edit(mini_content / "parks" / "alpha.yaml", "name_en: Alpha Industrial Park", "name_en: yes")
    (mini_content / "parks" / "beta.yaml").write_bytes(b"id: beta\nname: \xb2\xe2\xca\xd4\n")  # GBK
    _edit(mini_content / "metrics.yaml", "    unit: 亿美元", "    unit: [亿美元]")
    result = CliRunner().invoke(main, ["check", "content"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert [line.split(":")[:3] for line in lines[:-1]] == [
        ["content/metrics.yaml", "24", "11"],
        ["content/parks/alpha.yaml", "4", "10"],
        ["content/parks/beta.yaml", "2", "7"],
        ["content/reports/alpha-2022-m1-4.yaml", "5", "1"],
        ["content/reports/alpha-2022-m1-4.yaml", "15", "14"],
    ]
    assert lines[2] == (
        "content/parks/beta.yaml:2:7: not UTF-8: byte 0xB2 at offset 15 cannot be decoded; save the file as UTF-8 "
        "(a file from a Chinese Windows editor is probably GBK: iconv -f GBK -t UTF-8 beta.yaml > beta.yaml.utf8 "
        "&& mv beta.yaml.utf8 beta.yaml)"
    )
    assert lines[-1] == "✗ 5 problems in the content"


def test_check_never_prints_a_traceback_for_hostile_content(mini_content: Path) -> None:
    (mini_content / "parks" / "bomb.yaml").write_text("a: &a [x, x]\nb: [*a, *a]\n? [k]\n: v\n" + "[" * 5000, encoding="utf-8")
    (mini_content / "reports" / "junk.yaml").write_bytes(bytes(range(256)))
    (mini_content / "reports" / "empty.yaml").write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(mini_content)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "bomb.yaml:1:4: a: anchors (&a) are not allowed" in result.output
    assert "junk.yaml:2:118: not UTF-8: byte 0x80 at offset 128" in result.output
    assert "empty.yaml:1:1: expected a mapping of fields" in result.output


def test_check_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_check_passes_on_the_example_content() -> None:
    from .conftest import ROOT

    result = CliRunner().invoke(main, ["check", str(ROOT / "content")])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output
