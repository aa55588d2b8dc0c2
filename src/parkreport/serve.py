"""The development server: build, serve, watch, rebuild, reload open pages.

The server is handed a ``build`` callable that performs one whole build and
returns a :class:`BuildOutcome`; it knows nothing of how the site is built.

- Files are resolved against the output directory on every request and read
  whole before they are sent. The build engine replaces that directory in one
  rename, so a request sees either the old site or the new one, never half.
- HTML responses (not the built files) get a small script that listens to
  Server-Sent Events on ``/__parkreport/events``: after a good build the page
  reloads; after a failed build it shows the error over the page (the old
  site keeps being served) until the next good build.
- ``watchfiles`` watches the sources (debounced); the output directory, the
  build's temporary siblings and editor temp files are ignored.
"""

from __future__ import annotations

import html
import json
import mimetypes
import posixpath
import socket
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

import watchfiles

EVENTS_PATH = "/__parkreport/events"
KEEPALIVE_SECONDS = 10.0
WATCH_READY_SECONDS = 5.0  # how long start() waits for the file watcher to be in place


@dataclass(frozen=True)
class BuildOutcome:
    """What one build produced: success with a summary line, or the error text."""

    ok: bool
    error: str = ""
    summary: str = ""


ServeEventKind = Literal["building", "built", "failed", "serving", "changed", "stopped"]


@dataclass(frozen=True)
class ServeEvent:
    """Something the server reports to whoever displays progress (the CLI)."""

    kind: ServeEventKind
    message: str = ""
    paths: tuple[str, ...] = ()


@dataclass
class _BuildState:
    """The latest build, shared by the watcher thread and the request threads."""

    generation: int = 0
    outcome: BuildOutcome = field(default_factory=lambda: BuildOutcome(ok=False, error="not built yet"))
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, outcome: BuildOutcome) -> None:
        with self.changed:
            self.generation += 1
            self.outcome = outcome
            self.changed.notify_all()

    def snapshot(self) -> tuple[int, BuildOutcome]:
        with self.changed:
            return self.generation, self.outcome

    def wait_past(self, seen: int, timeout: float) -> tuple[int, BuildOutcome] | None:
        """The latest build once it is not ``seen`` (or after ``timeout``); None when the server stops."""
        with self.changed:
            self.changed.wait_for(lambda: self.stopping or self.generation != seen, timeout)
            if self.stopping:
                return None
            return self.generation, self.outcome


_RELOAD_SCRIPT = """<script>(function () {
  var loaded = %(generation)d;
  function overlay(text) {
    var box = document.getElementById("parkreport-overlay");
    if (!box) {
      box = document.createElement("div");
      box.id = "parkreport-overlay";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 monospace;white-space:pre-wrap";
    box.textContent = "构建失败 / Build failed\\n\\n" + text + "\\n\\n修正文件后页面会自动刷新。";
  }
  var source = new EventSource("%(events)s");
  source.addEventListener("build", function (message) {
    var state = JSON.parse(message.data);
    if (!state.ok) { overlay(state.error); }
    else if (state.generation !== loaded) { source.close(); location.reload(); }
  });
})();</script>"""


def live_reload_snippet(generation: int, outcome: BuildOutcome) -> str:
    """The HTML added to every page served: the reload script, and the error overlay if the last build failed."""
    snippet = _RELOAD_SCRIPT % {"generation": generation, "events": EVENTS_PATH}
    if not outcome.ok:
        snippet = (
            '<div id="parkreport-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;'
            'overflow:auto;padding:2rem;background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 monospace;'
            f'white-space:pre-wrap">构建失败 / Build failed\n\n{html.escape(outcome.error)}</div>' + snippet
        )
    return snippet


def inject(page: bytes, snippet: str) -> bytes:
    """Insert ``snippet`` before the last ``</body>`` of an HTML page (or at its end)."""
    data = snippet.encode("utf-8")
    index = page.lower().rfind(b"</body>")
    if index < 0:
        return page + data
    return page[:index] + data + page[index:]


def resolve(site_dir: Path, base_path: str, url_path: str) -> Path | str | None:
    """Map a URL path to a file in the site: a Path, a redirect target (str), or None (not found)."""
    path = unquote(urlsplit(url_path).path)
    if not path.startswith(base_path):
        return base_path if path in ("/", "") else None
    relative = posixpath.normpath("/" + path[len(base_path):]).lstrip("/")
    if relative.startswith("..") or "\x00" in relative:
        return None
    target = site_dir / relative if relative not in ("", ".") else site_dir
    if target.is_dir():
        if not path.endswith("/"):
            return path + "/"
        target = target / "index.html"
    if not target.is_file() or not target.resolve().is_relative_to(site_dir.resolve()):
        return None
    return target


def _content_type(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/json", "application/xml", "application/javascript"):
        kind += "; charset=utf-8"
    return kind


class _Handler(BaseHTTPRequestHandler):
    server: _SiteHTTPServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        """The library never prints; requests are not logged."""

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        if urlsplit(self.path).path == EVENTS_PATH:
            self._stream_events()
        else:
            self._respond(head=False)

    def _respond(self, *, head: bool) -> None:
        dev = self.server.dev
        generation, outcome = dev.state.snapshot()
        found = resolve(dev.site_dir, dev.base_path, self.path)
        if isinstance(found, str):
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", head=head, location=found)
            return
        status = HTTPStatus.OK
        if found is None:
            status = HTTPStatus.NOT_FOUND
            found = dev.site_dir / "404.html"
        try:
            body = found.read_bytes()
            kind = _content_type(found)
        except OSError:  # no 404 page, or the file went away during a swap
            body, kind = f"<!doctype html><title>{status.value}</title><h1>{status.phrase}</h1>".encode(), "text/html; charset=utf-8"
        if kind.startswith("text/html"):
            body = inject(body, live_reload_snippet(generation, outcome))
        self._send(status, body, kind, head=head)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, *, head: bool, location: str = "") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream_events(self) -> None:
        state = self.server.dev.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        sent = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while (latest := state.wait_past(sent, KEEPALIVE_SECONDS)) is not None:
                generation, outcome = latest
                if generation == sent:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    data = json.dumps({"generation": generation, "ok": outcome.ok, "error": outcome.error}, ensure_ascii=False)
                    self.wfile.write(f"event: build\ndata: {data}\n\n".encode())
                    sent = generation
                self.wfile.flush()
        except OSError:  # the browser went away
            return


class _SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], dev: DevServer) -> None:
        self.dev = dev
        if ":" in address[0]:  # an IPv6 address such as ::1
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)


class DevServer:
    """Serve a site, rebuild it when its sources change, tell open pages.

    ``start()`` builds once, binds and returns; ``stop()`` shuts everything
    down. :func:`serve` wraps both for the command line.
    """

    def __init__(
        self,
        build: Callable[[], BuildOutcome],
        site_dir: Path,
        watch_paths: Iterable[Path],
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        base_path: str = "/",
        on_event: Callable[[ServeEvent], None] | None = None,
        debounce_ms: int = 800,
        stopping: threading.Event | None = None,
    ) -> None:
        self.build = build
        self.site_dir = Path(site_dir).absolute()
        self.watch_paths = [Path(p).absolute() for p in watch_paths]
        self.host, self.port = host, port
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.on_event = on_event or (lambda event: None)
        self.debounce_ms = debounce_ms
        self.state = _BuildState()
        self._stop = stopping or threading.Event()  # set first thing by stop(); a build may watch it to give up early
        self._watching = threading.Event()
        self._building = threading.Lock()  # one build at a time
        self._http: _SiteHTTPServer | None = None
        self._serving = False  # serve_forever was started (shutdown() would wait for it forever otherwise)
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.base_path}"

    def rebuild(self, changed: Iterable[str] = ()) -> BuildOutcome:
        """Run one build and publish its outcome to open pages; never raises."""
        paths = tuple(sorted(changed))
        if paths:
            self.on_event(ServeEvent("changed", f"{len(paths)} file(s) changed", paths))
        with self._building:
            self.on_event(ServeEvent("building"))
            try:
                outcome = self.build()
            except Exception:  # noqa: BLE001 - a bug in the build must not stop the server
                outcome = BuildOutcome(ok=False, error=traceback.format_exc())
            self.state.publish(outcome)
        if not self._stop.is_set():  # a build given up because the server stops is no news
            self.on_event(ServeEvent("built", outcome.summary) if outcome.ok else ServeEvent("failed", outcome.error))
        return outcome

    def start(self) -> None:
        """Bind the port, start watching, build once, then serve.

        Binding first makes a busy port fail at once; a browser that connects
        during the first build waits in the listen queue instead of being
        refused. Watching starts before the first build, so a file saved while
        it runs is built next instead of being missed.
        """
        self._http = _SiteHTTPServer((self.host, self.port), self)
        self.port = self._http.server_address[1]
        self._start_thread(self._watch, "parkreport-watch")
        self._watching.wait(WATCH_READY_SECONDS)
        self.rebuild()
        http = self._http
        self._serving = True
        self._start_thread(lambda: http.serve_forever(poll_interval=0.1), "parkreport-http")
        self.on_event(ServeEvent("serving", self.url))

    def _start_thread(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until :meth:`stop` is called (True) or ``timeout`` passes (False)."""
        return self._stop.wait(timeout)

    def stop(self) -> None:
        """Stop watching and serving; close open event streams."""
        self._stop.set()
        with self.state.changed:
            self.state.stopping = True
            self.state.changed.notify_all()
        if self._http is not None:
            if self._serving:
                self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self.on_event(ServeEvent("stopped"))

    def _watch(self) -> None:
        roots = sorted({_existing_ancestor(path) for path in self.watch_paths})
        for changes in watchfiles.watch(
            *roots, watch_filter=self._wanted, debounce=self.debounce_ms, step=50, stop_event=self._stop,
            rust_timeout=200, yield_on_timeout=True, raise_interrupt=False,
        ):
            self._watching.set()  # the first (empty) yield: the watcher is in place
            if self._stop.is_set():
                return
            if changes:
                self.rebuild(path for _, path in changes)

    def _wanted(self, change: watchfiles.Change, path: str) -> bool:
        """Only changes inside the watched paths; never the output or editor temp files."""
        if not _EDITOR_FILTER(change, path):
            return False
        candidate = Path(path)
        if _is_output(candidate, self.site_dir):
            return False
        return any(candidate == watched or candidate.is_relative_to(watched) for watched in self.watch_paths)


_EDITOR_FILTER = watchfiles.DefaultFilter(ignore_entity_patterns=(*watchfiles.DefaultFilter.ignore_entity_patterns, r"^4913$", r"\.tmp$", r"\.bak$"))


def _is_output(path: Path, site_dir: Path) -> bool:
    """The output directory, and the temporary directories and lock a build puts beside it."""
    if path == site_dir or path.is_relative_to(site_dir):
        return True
    if site_dir.parent not in path.parents:
        return False
    return path.relative_to(site_dir.parent).parts[0].startswith(f".{site_dir.name}.")


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def serve(
    build: Callable[[], BuildOutcome],
    site_dir: Path,
    watch_paths: Iterable[Path],
    host: str = "127.0.0.1",
    port: int = 8000,
    on_event: Callable[[ServeEvent], None] | None = None,
    *,
    base_path: str = "/",
) -> None:
    """Build, serve and rebuild until interrupted (Ctrl-C raises KeyboardInterrupt after a clean stop)."""
    server = DevServer(build, site_dir, watch_paths, host=host, port=port, base_path=base_path, on_event=on_event)
    server.start()
    try:
        while not server.wait(0.5):
            pass
    finally:
        server.stop()


__all__ = ["EVENTS_PATH", "BuildOutcome", "DevServer", "ServeEvent", "inject", "live_reload_snippet", "resolve", "serve"]
