from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from parkreport.console import NORMAL, QUIET, VERBOSE, BuildProgress, Output, pages_line


@dataclass(frozen=True)
class Event:
    stage: str
    message: str


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


STAGES = [Event("load", "loading content"), Event("render", "rendering 3 pages"), Event("page", "parks/a/index.html"),
          Event("write", "writing site")]


def _run(output: Output, stream: io.StringIO) -> str:
    progress = BuildProgress(output, stream=stream)
    for event in STAGES:
        progress(event)
    progress.finish()
    return stream.getvalue()


def test_console_plain_lines_when_not_a_terminal() -> None:
    text = _run(Output(NORMAL), io.StringIO())
    assert text == "load: loading content\nrender: rendering 3 pages\nwrite: writing site\n"


def test_console_live_bar_on_a_terminal_redrawn_in_place_and_cleared() -> None:
    text = _run(Output(NORMAL), Terminal())
    assert "\n" not in text  # one line, redrawn
    assert text.count("\r\x1b[K") == 4  # three draws and the final clear
    assert "1/7 load: loading content" in text and "3/7 write: writing site" in text
    assert text.endswith("\r\x1b[K")


def test_console_verbose_lists_every_page_without_breaking_the_bar() -> None:
    text = _run(Output(VERBOSE), Terminal())
    assert "\r\x1b[K  wrote parks/a/index.html\n" in text
    assert "  wrote parks/a/index.html" in _run(Output(VERBOSE), io.StringIO())
    assert "wrote" not in _run(Output(NORMAL), io.StringIO())


def test_console_quiet_shows_nothing() -> None:
    assert _run(Output(QUIET), Terminal()) == ""
    assert _run(Output(QUIET), io.StringIO()) == ""


def test_console_unknown_stages_extend_the_total() -> None:
    stream = Terminal()
    progress = BuildProgress(Output(), stream=stream)
    for stage in ("load", "derive", "plan", "render", "check", "search", "write", "compress"):
        progress(Event(stage, "…"))
    assert "8/8 compress" in stream.getvalue()


def test_console_pages_line() -> None:
    assert pages_line({"park": 2, "home": 1}) == "3 pages (home 1, park 2)"
    assert pages_line({"home": 1}) == "1 page (home 1)"
    assert pages_line({}) == "no pages"


def test_console_build_command_output_levels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from parkreport.cli import main
    from parkreport.scaffold import new_site

    new_site(tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    runner = CliRunner()

    normal = runner.invoke(main, ["build"])
    assert normal.exit_code == 0, normal.output
    assert "load: loading content\n" in normal.output  # not a terminal: plain lines, no bar
    assert "\r" not in normal.output
    assert "✓ built site:" in normal.output and "wrote " not in normal.output

    quiet = runner.invoke(main, ["build", "-q"])
    assert quiet.exit_code == 0 and quiet.output == ""

    verbose = runner.invoke(main, ["-v", "build", "--no-cache"])  # unchanged input: the cache would skip every page
    assert verbose.exit_code == 0
    assert "  wrote parks/puyang/index.html\n" in verbose.output
    assert "  render: " in verbose.output  # stage timings

    report = Path("content/reports/puyang-2022-m1-4.yaml")
    report.write_text(report.read_text(encoding="utf-8").replace("value: 65.18", "value: 65.18亿元"), encoding="utf-8")
    failed = runner.invoke(main, ["build", "-q"])
    assert failed.exit_code == 1
    assert "puyang-2022-m1-4.yaml:15:12: indicators[0].value" in failed.output  # -q still shows errors


def test_console_serve_display_lines(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from parkreport.console import ServeDisplay
    from parkreport.serve import ServeEvent

    monkeypatch.chdir(tmp_path)
    show = ServeDisplay(Output())
    show(ServeEvent("serving", "http://127.0.0.1:8000/"))
    show(ServeEvent("changed", "", tuple(str(tmp_path / "content" / name) for name in ("b.yaml", "a.yaml", "a.yaml", "c", "d"))))
    show(ServeEvent("failed", "x.yaml:1:1: title: must not be empty"))
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["serving http://127.0.0.1:8000/  (Ctrl-C to stop)", "changed: content/a.yaml, content/b.yaml, content/c …"]
    assert captured.err.startswith("x.yaml:1:1: title: must not be empty\n✗ build failed")
    ServeDisplay(Output(QUIET))(ServeEvent("built", "3 pages"))
    assert capsys.readouterr().out == ""


def test_console_check_is_silent_with_q_unless_there_are_problems(mini_content: Path) -> None:
    from click.testing import CliRunner

    from parkreport.cli import main

    assert CliRunner().invoke(main, ["-q", "check", str(mini_content)]).output == ""
    assert "no problems" in CliRunner().invoke(main, ["check", str(mini_content)]).output
    (mini_content / "metrics.yaml").write_text("metrics: 3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["-q", "check", str(mini_content)])
    assert result.exit_code == 1 and "metrics.yaml:1:10: metrics:" in result.output


def test_console_live_line_counts_pages_while_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    from parkreport import console

    now = [0.0]
    monkeypatch.setattr(console.time, "monotonic", lambda: now[0])
    stream = Terminal()
    progress = BuildProgress(Output(), stream=stream)
    progress(Event("render", "rendering 3 pages"))
    for name, moment in (("a", 1.0), ("b", 1.05), ("c", 2.0)):
        now[0] = moment
        progress(Event("page", name))
    text = stream.getvalue()
    assert "render: rendering 3 pages · 1 done" in text
    assert "· 2 done" not in text  # within REDRAW_SECONDS of the last draw
    assert "render: rendering 3 pages · 3 done" in text
