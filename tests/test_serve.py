from __future__ import annotations

import html
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkreport.errors import ContentError
from parkreport.serve import (
    EVENTS_PATH,
    BuildOutcome,
    DevServer,
    ServeEvent,
    inject,
    live_reload_snippet,
    resolve,
)
from parkreport.validate import load_corpus

from .stand_ins import hanging_pagefind, set_once_started, wait_until_ended

WAIT = 15.0  # upper bound for anything asynchronous; normally well under a second


# -- pure helpers ------------------------------------------------------------


def test_serve_inject_puts_the_snippet_before_the_last_body_end() -> None:
    page = b"<html><body><p>x</p></BODY></html>"
    assert inject(page, "<script>s</script>") == b"<html><body><p>x</p><script>s</script></BODY></html>"
    assert inject(b"<p>fragment</p>", "<i>") == b"<p>fragment</p><i>"


def test_serve_overlay_escapes_the_error_text() -> None:
    snippet = live_reload_snippet(3, BuildOutcome(ok=False, error="a.yaml:1:1: title: <script>alert(1)</script>"))
    assert "<script>alert(1)</script>" not in snippet
    assert html.escape("<script>alert(1)</script>") in snippet
    assert "var loaded = 3;" in snippet
    assert 'id="parkreport-overlay"' not in live_reload_snippet(3, BuildOutcome(ok=True))


def test_serve_resolve_maps_urls_to_files_and_refuses_escapes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "parks" / "alpha").mkdir(parents=True)
    (site / "index.html").write_text("home")
    (site / "parks" / "alpha" / "index.html").write_text("alpha")
    (tmp_path / "secret.txt").write_text("no")
    assert resolve(site, "/", "/") == site / "index.html"
    assert resolve(site, "/", "/parks/alpha/?q=1") == site / "parks" / "alpha" / "index.html"
    assert resolve(site, "/", "/parks/alpha") == "/parks/alpha/"
    assert resolve(site, "/", "/%E5%9B%AD/") is None
    assert resolve(site, "/", "/../secret.txt") is None
    assert resolve(site, "/", "/parks/../../secret.txt") is None
    assert resolve(site, "/sub/", "/") == "/sub/"
    assert resolve(site, "/sub/", "/sub/parks/alpha/") == site / "parks" / "alpha" / "index.html"
    assert resolve(site, "/sub/", "/parks/alpha/") is None


def test_serve_resolve_refuses_links_out_of_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "secret.txt").write_text("no")
    (site / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert resolve(site, "/", "/link.txt") is None


# -- end to end: a real server on loopback, a real watcher -------------------


def _toy_build(content: Path, site: Path) -> Callable[[], BuildOutcome]:
    """A small stand-in for the site build: one page per park, swapped in atomically."""

    def build() -> BuildOutcome:
        try:
            corpus = load_corpus(content)
        except ContentError as error:
            return BuildOutcome(ok=False, error="\n".join(problem.format() for problem in error.problems))
        staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))
        names = "".join(f"<li>{html.escape(park.name)}</li>" for park in corpus.parks.values())
        (staging / "index.html").write_text(f"<!doctype html><html><body><ul>{names}</ul></body></html>", encoding="utf-8")
        (staging / "data.json").write_text(json.dumps(sorted(corpus.parks)), encoding="utf-8")
        if site.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
            os.rename(site, retired / "site")
            os.rename(staging, site)
            shutil.rmtree(retired)
        else:
            os.rename(staging, site)
        return BuildOutcome(ok=True, summary=f"{len(corpus.parks)} parks")

    return build


class EventStream:
    """A Server-Sent Events client over http.client, with bounded waits."""

    def __init__(self, server: DevServer) -> None:
        self.connection = http.client.HTTPConnection(server.host, server.port, timeout=WAIT)
        self.connection.request("GET", EVENTS_PATH)
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type", "").startswith("text/event-stream")

    def next_build(self) -> dict:
        event, data = "", ""
        deadline = time.monotonic() + WAIT  # keep-alive comments must not make the wait endless
        while True:
            assert time.monotonic() < deadline, "no build event in time"
            line = self.response.fp.readline().decode("utf-8")
            if not line:
                raise AssertionError("event stream closed")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[len("event: "):]
            elif line.startswith("data: "):
                data = line[len("data: "):]
            elif not line and event == "build":
                return json.loads(data)

    def close(self) -> None:
        self.connection.close()


def _get(server: DevServer, path: str) -> tuple[int, str, dict[str, str]]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=WAIT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8"), dict(response.getheaders())
    finally:
        connection.close()


def _save(path: Path, text: str) -> None:
    """Save the way editors do: write a temporary file, then rename it over the old one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture
def running(mini_content: Path) -> Iterator[tuple[DevServer, Path, list[ServeEvent]]]:
    project = mini_content.parent
    site = project / "site"
    events: list[ServeEvent] = []
    server = DevServer(_toy_build(mini_content, site), site, [mini_content, project / "templates"],
                       port=0, on_event=events.append, debounce_ms=300)
    server.start()
    try:
        yield server, mini_content, events
    finally:
        server.stop()


def test_serve_binds_to_loopback_and_serves_the_built_site(running: tuple[DevServer, Path, list[ServeEvent]]) -> None:
    server, _, events = running
    assert server.host == "127.0.0.1" and server.port > 0
    status, body, headers = _get(server, "/")
    assert status == 200
    assert "阿尔法工业园区" in body
    assert EVENTS_PATH in body  # the live-reload script is injected into HTML...
    assert not (server.site_dir / "index.html").read_text(encoding="utf-8").count(EVENTS_PATH)  # ...not into the file
    assert headers["Cache-Control"] == "no-store"
    status, body, headers = _get(server, "/data.json")
    assert (status, body) == (200, '["alpha"]')
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert [e.kind for e in events] == ["building", "built", "serving"]


def test_serve_missing_page_is_404(running: tuple[DevServer, Path, list[ServeEvent]]) -> None:
    server, _, _ = running
    status, body, _ = _get(server, "/no/such/page/")
    assert status == 404
    assert EVENTS_PATH in body


def test_serve_edit_rebuilds_and_signals_reload_break_shows_error_fix_recovers(
    running: tuple[DevServer, Path, list[ServeEvent]],
) -> None:
    server, content, events = running
    stream = EventStream(server)
    try:
        first = stream.next_build()
        assert first["ok"] is True

        park = content / "parks" / "alpha.yaml"
        good = park.read_text(encoding="utf-8")
        _save(park, good.replace("阿尔法工业园区", "贝塔工业园区"))
        reload = stream.next_build()
        assert reload["ok"] is True and reload["generation"] > first["generation"]
        assert "贝塔工业园区" in _get(server, "/")[1]

        _save(park, good.replace("kind: park", "kind: <garden>"))
        failure = stream.next_build()
        assert failure["ok"] is False
        assert "alpha.yaml:5:7: kind: expected one of" in failure["error"]
        status, body, _ = _get(server, "/")
        assert status == 200 and "贝塔工业园区" in body  # the last good site is still served
        assert '<div id="parkreport-overlay"' in body and "alpha.yaml:5:7: kind:" in body
        assert "&lt;garden&gt;" in body and "<garden>" not in body

        _save(park, good)
        recovered = stream.next_build()
        assert recovered["ok"] is True
        status, body, _ = _get(server, "/")
        assert "阿尔法工业园区" in body and '<div id="parkreport-overlay"' not in body
    finally:
        stream.close()
    kinds = [e.kind for e in events]
    assert kinds.count("failed") == 1 and kinds.count("changed") >= 3
    assert any("alpha.yaml" in path for e in events if e.kind == "changed" for path in e.paths)


def test_serve_ignores_editor_temp_files_and_the_output(running: tuple[DevServer, Path, list[ServeEvent]]) -> None:
    server, content, _ = running
    stream = EventStream(server)
    try:
        generation = stream.next_build()["generation"]
        (content / "parks" / ".alpha.yaml.swp").write_text("x")
        (content / "parks" / "alpha.yaml~").write_text("x")
        (server.site_dir / "stray.html").write_text("x")
        time.sleep(1.0)  # longer than the debounce: a rebuild would have started by now
        assert server.state.generation == generation
        (content / "sources" / "note.txt").write_text("a real change")
        assert stream.next_build()["generation"] == generation + 1
    finally:
        stream.close()


def test_serve_a_build_that_raises_is_reported_and_the_server_keeps_running(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<body>old</body>")

    def broken_build() -> BuildOutcome:
        raise RuntimeError("template exploded")

    server = DevServer(broken_build, site, [tmp_path / "content"], port=0)
    server.start()
    try:
        status, body, _ = _get(server, "/")
        assert status == 200 and "old" in body
        assert "RuntimeError: template exploded" in body
    finally:
        server.stop()


def test_serve_stop_closes_open_event_streams(mini_content: Path) -> None:
    site = mini_content.parent / "site"
    server = DevServer(_toy_build(mini_content, site), site, [mini_content], port=0)
    server.start()
    stream = EventStream(server)
    stream.next_build()
    started = time.monotonic()
    server.stop()
    assert stream.response.fp.readline() == b""  # the stream ends instead of hanging
    assert time.monotonic() - started < 5
    stream.close()


def test_serve_under_a_sub_path(mini_content: Path) -> None:
    site = mini_content.parent / "site"
    server = DevServer(_toy_build(mini_content, site), site, [mini_content], port=0, base_path="/parks")
    server.start()
    try:
        assert server.url.endswith("/parks/")
        status, _, headers = _get(server, "/")
        assert status == 301 and headers["Location"] == "/parks/"
        status, body, _ = _get(server, "/parks/")
        assert status == 200 and "阿尔法工业园区" in body
    finally:
        server.stop()


# -- the real build, as 'parkreport serve' runs it ------------------------------


def test_serve_the_real_build_of_a_new_site_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from parkreport.cli import site_build
    from parkreport.console import Output
    from parkreport.scaffold import new_site

    project = tmp_path / "project"
    new_site(project)
    monkeypatch.chdir(project)
    scratch = tmp_path / "scratch" / "site"
    scratch.parent.mkdir()
    build = site_build(project, project / "content", project / "templates", scratch, None, Output(), search=False)
    server = DevServer(build, scratch, [project / "content", project / "templates", project / "parkreport.yaml"],
                       port=0, debounce_ms=300)
    server.start()
    stream = EventStream(server)
    try:
        assert stream.next_build()["ok"] is True
        status, body, _ = _get(server, "/parks/puyang/")
        assert status == 200 and "濮阳工业园区" in body and EVENTS_PATH in body
        assert not (project / "site").exists()  # the published output is left alone
        assert not (scratch / "pagefind").exists()  # search=False: no index, faster rebuilds

        config = project / "parkreport.yaml"
        _save(config, config.read_text(encoding="utf-8").replace("title: 我的园区报告", "title: 濮阳观察"))
        assert stream.next_build()["ok"] is True
        assert "濮阳观察" in _get(server, "/")[1]

        report = project / "content" / "reports" / "puyang-2022-m1-4.yaml"
        good = report.read_text(encoding="utf-8")
        _save(report, good.replace("value: 65.18", "value: 65.18亿元"))
        failure = stream.next_build()
        assert failure["ok"] is False
        assert "content/reports/puyang-2022-m1-4.yaml:15:12: indicators[0].value: expected a number, got '65.18亿元'" in failure["error"]
        status, body, _ = _get(server, "/parks/puyang/")
        assert status == 200 and "濮阳工业园区" in body and '<div id="parkreport-overlay"' in body

        _save(report, good)
        assert stream.next_build()["ok"] is True
        assert '<div id="parkreport-overlay"' not in _get(server, "/parks/puyang/")[1]
    finally:
        stream.close()
        server.stop()


# -- the command ------------------------------------------------------------------


def test_serve_cli_help_and_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from parkreport.cli import main

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["serve", "--help"]).exit_code == 0
    assert runner.invoke(main, ["serve", "--port", "70000"]).exit_code == 2
    result = runner.invoke(main, ["serve", "--base-url", "ftp://example.org/"])
    assert result.exit_code == 2 and "neither a path" in result.output


def test_serve_cli_port_in_use_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from click.testing import CliRunner

    from parkreport.cli import main
    from parkreport.scaffold import new_site

    new_site(tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = CliRunner().invoke(main, ["serve", "--port", str(taken.getsockname()[1])])
    assert result.exit_code == 1
    assert "cannot listen on 127.0.0.1" in result.output and "try another --port" in result.output


# The child gets Python's own Ctrl-C handler and the default SIGTERM and SIGHUP
# whatever it inherits: a test runner started in the background (``cmd &`` in
# a script) passes SIGINT on ignored, one under ``nohup`` SIGHUP, and Python
# and the server leave an ignored signal ignored, as a terminal user's are not.
_SERVE_AS_IN_A_TERMINAL = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "[signal.signal(getattr(signal, name), signal.SIG_IGN if name in sys.argv[1].split(',') else signal.SIG_DFL) "
    " for name in ('SIGTERM', 'SIGHUP')]; "
    "sys.argv = ['parkreport', *sys.argv[2:]]; runpy.run_module('parkreport', run_name='__main__')"
)


def _start_serving(project: Path, scratch: Path, ignored: str = "") -> tuple[subprocess.Popen[str], str]:
    """``parkreport serve`` in ``project`` with ``scratch`` as its temporary folder, and the address it serves at."""
    process = subprocess.Popen(
        [sys.executable, "-c", _SERVE_AS_IN_A_TERMINAL, ignored, "serve", "--port", "0", "--no-search"], cwd=project,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert process.stdout is not None
    lines = []
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        lines.append(process.stdout.readline())
        if lines[-1].startswith("serving http://127.0.0.1:"):
            break
    assert lines[-1].startswith("serving http://127.0.0.1:"), lines
    return process, lines[-1].split()[1].removeprefix("http://").rstrip("/")


def _park_page(host_port: str) -> str:
    connection = http.client.HTTPConnection(host_port, timeout=WAIT)
    try:
        connection.request("GET", "/parks/puyang/")
        return connection.getresponse().read().decode("utf-8")
    finally:
        connection.close()


@pytest.mark.parametrize("signum", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_serve_cli_runs_until_stopped_and_stops_cleanly(tmp_path: Path, signum: str) -> None:
    """Ctrl-C, ``kill`` and a closed terminal stop the server: exit 0, "stopped", its private build folder removed."""
    from parkreport.scaffold import new_site

    new_site(tmp_path / "p")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process, host_port = _start_serving(tmp_path / "p", scratch)
    try:
        made = [path.name for path in scratch.iterdir()]
        assert len(made) == 1 and made[0].startswith("parkreport-serve-"), made
        assert "濮阳工业园区" in _park_page(host_port)
        process.send_signal(getattr(signal, signum))
        out, _ = process.communicate(timeout=WAIT)
    finally:
        process.kill()
    assert process.returncode == 0, out
    assert out.rstrip().endswith("stopped")
    assert "Traceback" not in out
    assert list(scratch.iterdir()) == []


def test_serve_cli_leaves_a_signal_it_was_started_with_ignored_ignored(tmp_path: Path) -> None:
    """Under ``nohup`` (SIGHUP ignored) a closed terminal does not stop the server; Ctrl-C still does."""
    from parkreport.scaffold import new_site

    new_site(tmp_path / "p")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process, host_port = _start_serving(tmp_path / "p", scratch, ignored="SIGHUP")
    try:
        process.send_signal(signal.SIGHUP)
        time.sleep(1.0)
        assert process.poll() is None
        assert "濮阳工业园区" in _park_page(host_port)
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=WAIT)
    finally:
        process.kill()
    assert process.returncode == 0 and out.rstrip().endswith("stopped"), out


def test_serve_cli_puts_the_signal_handlers_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in-process (as a program embedding the command would), it leaves SIGTERM and SIGHUP as it found them."""
    import socket

    from click.testing import CliRunner

    from parkreport.cli import main
    from parkreport.scaffold import new_site

    new_site(tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = CliRunner().invoke(main, ["serve", "--port", str(taken.getsockname()[1]), "--no-search"])
    assert result.exit_code == 1 and "cannot listen" in result.output, result.output
    assert {signum: signal.getsignal(signum) for signum in before} == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith("parkreport-serve-")] == []


def test_serve_cli_outside_a_project_says_how_to_start_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from parkreport.cli import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["serve", "--port", "0"])
    assert result.exit_code == 1
    assert "no content folder" in result.output and "parkreport new site" in result.output


_URL_PARTS = st.sampled_from(["..", ".", "%2e%2e", "%2F", "a", "parks", "index.html", "", "%00", "~", "\\", "..%2f", "//"])


@pytest.fixture(scope="module")
def traversal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("traversal")
    (root / "site" / "parks" / "a").mkdir(parents=True)
    (root / "site" / "index.html").write_text("home")
    (root / "site" / "parks" / "a" / "index.html").write_text("a")
    (root / "index.html").write_text("outside")
    (root / "secret").write_text("outside")
    return root / "site"


@given(parts=st.lists(_URL_PARTS, max_size=8), base=st.sampled_from(["/", "/sub/"]))
def test_serve_resolve_never_leaves_the_site(traversal_site: Path, parts: list[str], base: str) -> None:
    found = resolve(traversal_site, base, base + "/".join(parts))
    if isinstance(found, Path):
        assert found.resolve().is_relative_to(traversal_site.resolve())
        assert found.is_file()


# -- in a real browser: the injected script reloads the page and shows the overlay ----


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def test_serve_browser_reloads_on_save_and_overlays_errors(running: tuple[DevServer, Path, list[ServeEvent]]) -> None:
    from playwright.sync_api import expect, sync_playwright

    server, content, _ = running
    park = content / "parks" / "alpha.yaml"
    good = park.read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(server.url)
            expect(page.locator("li")).to_have_text("阿尔法工业园区")

            _save(park, good.replace("阿尔法工业园区", "贝塔工业园区"))
            expect(page.locator("li")).to_have_text("贝塔工业园区", timeout=WAIT * 1000)  # reloaded by itself

            _save(park, good.replace("kind: park", "kind: <garden>"))
            overlay = page.locator("#parkreport-overlay")
            expect(overlay).to_contain_text("alpha.yaml:5:7: kind:", timeout=WAIT * 1000)
            expect(overlay).to_contain_text("<garden>")  # shown as text, not markup
            expect(page.locator("li")).to_have_text("贝塔工业园区")  # the last good page stays underneath

            _save(park, good)
            expect(page.locator("li")).to_have_text("阿尔法工业园区", timeout=WAIT * 1000)
            expect(overlay).to_have_count(0)
        finally:
            browser.close()


def test_serve_on_ipv6_loopback(mini_content: Path) -> None:
    import socket

    if not socket.has_ipv6:
        raise AssertionError("this machine has no IPv6 support")
    site = mini_content.parent / "site"
    server = DevServer(_toy_build(mini_content, site), site, [mini_content], host="::1", port=0)
    server.start()
    try:
        assert server.url.startswith("http://[::1]:")
        assert "阿尔法工业园区" in _get(server, "/")[1]
    finally:
        server.stop()


def test_serve_a_new_users_site_in_a_browser_add_a_park_and_search_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's walk-through: new site, serve, add a park, find it with the search page."""
    from playwright.sync_api import expect, sync_playwright

    from parkreport.cli import site_build
    from parkreport.console import Output
    from parkreport.scaffold import new_park, new_site

    project = tmp_path / "my-parks"
    new_site(project)
    monkeypatch.chdir(project)
    scratch = tmp_path / "scratch" / "site"
    scratch.parent.mkdir()
    build = site_build(project, project / "content", project / "templates", scratch, None, Output())
    server = DevServer(build, scratch, [project / "content", project / "templates"], port=0, debounce_ms=300)
    server.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.goto(server.url)
                new_park(project, "anyang", name="安阳高新区")
                # the open home page reloads by itself and lists the new park
                expect(page.get_by_text("安阳高新区").first).to_be_visible(timeout=WAIT * 1000)
                page.goto(server.url + "search/?q=安阳高新区")
                results = page.locator(".pagefind-ui__result-link")
                expect(results.first).to_have_attribute("href", "/parks/anyang/", timeout=WAIT * 1000)
            finally:
                browser.close()
    finally:
        server.stop()


def test_serve_a_change_during_the_first_build_is_built_next(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    site = tmp_path / "site"
    builds: list[str] = []

    def slow_build() -> BuildOutcome:
        builds.append("build")
        if len(builds) == 1:
            (content / "saved-meanwhile.txt").write_text("x")  # a save while the first build runs
        site.mkdir(exist_ok=True)
        return BuildOutcome(ok=True)

    server = DevServer(slow_build, site, [content], port=0, debounce_ms=300)
    server.start()
    try:
        deadline = time.monotonic() + WAIT
        while len(builds) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(builds) == 2
    finally:
        server.stop()


def test_serve_ctrl_c_during_the_first_build_stops_without_hanging(tmp_path: Path) -> None:
    import threading

    def interrupted_build() -> BuildOutcome:
        raise KeyboardInterrupt

    server = DevServer(interrupted_build, tmp_path / "site", [tmp_path], port=0)
    with pytest.raises(KeyboardInterrupt):
        server.start()
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(timeout=3)
    assert not stopper.is_alive(), "stop() hung waiting for a server loop that never started"


class _SetAfter(threading.Event):
    """An event that reads as set from its ``calls``-th look on: the server stopping in the middle of a build."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.calls = calls

    def is_set(self) -> bool:
        self.calls -= 1
        return self.calls < 0 or super().is_set()


def _site_files(site: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def _built_project(tmp_path: Path) -> tuple[Path, Path]:
    """A new project and its site, built as the dev server builds it (without search)."""
    from parkreport.cli import site_build
    from parkreport.console import NORMAL, Output
    from parkreport.scaffold import new_site

    project = tmp_path / "p"
    new_site(project)
    site = tmp_path / "out" / "site"
    assert site_build(project, project / "content", project / "templates", site, None, Output(NORMAL),
                      search=False)().ok
    return project, site


def test_serve_a_build_in_progress_gives_up_when_the_server_stops(tmp_path: Path) -> None:
    """Stopping mid-render: the build ends at the next page, leaves no staging folder, and the last site stands."""
    from parkreport.cli import site_build
    from parkreport.console import NORMAL, Output

    project, site = _built_project(tmp_path)
    before = _site_files(site)
    park = next(iter(sorted((project / "content" / "parks").glob("*.yaml"))))
    park.write_text(park.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    stopping = _SetAfter(40)  # past the stages before rendering, into the pages
    outcome = site_build(project, project / "content", project / "templates", site, None, Output(NORMAL),
                         search=False, stopping=stopping)()
    assert not outcome.ok and outcome.error == "the build was stopped"
    assert stopping.calls < 0
    assert sorted(path.name for path in site.parent.iterdir() if path.name.startswith(".site.new")) == []
    assert _site_files(site) == before


def test_serve_a_build_stopped_while_pagefind_indexes_ends_it_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                      ) -> None:
    """Stopping while the pages are indexed: Pagefind is ended, the build gives up within moments, the last site stands."""
    from parkreport.cli import site_build
    from parkreport.console import NORMAL, Output
    from parkreport.search import BINARY_VARIABLE

    project, site = _built_project(tmp_path)
    before = _site_files(site)
    hanging, started = hanging_pagefind(tmp_path)
    monkeypatch.setenv(BINARY_VARIABLE, str(hanging))
    stopping = threading.Event()
    set_once_started(started, stopping)
    began = time.monotonic()
    outcome = site_build(project, project / "content", project / "templates", site, None, Output(NORMAL),
                         search=True, stopping=stopping)()
    assert not outcome.ok and outcome.error == "the build was stopped"
    assert time.monotonic() - began < 40  # the stand-in sleeps for 60 s: it was not waited for
    assert wait_until_ended(int(started.read_text()), 5), "Pagefind outlived the build that was stopped"
    assert sorted(path.name for path in site.parent.iterdir() if path.name.startswith(".site.new")) == []
    assert _site_files(site) == before
