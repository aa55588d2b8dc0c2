"""Terminal output of the command line: verbosity, build progress, summaries.

This is the CLI layer: the library reports progress through callbacks
(``build_site(on_event=...)``, ``serve(on_event=...)``) and never prints;
this module turns those events into what a person sees.

- On a terminal (stderr is a TTY) a build shows one live progress line that
  is redrawn in place; in CI or a pipe it prints plain lines, one per stage.
- ``-q`` shows only errors; ``-v`` adds every page written and stage timings.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

import click

if TYPE_CHECKING:
    from .serve import ServeEvent

QUIET, NORMAL, VERBOSE = 0, 1, 2

#: The build stages in the order ``build_site`` reports them; others are shown as they come.
BUILD_STAGES = ("load", "derive", "plan", "render", "check", "search", "write")
PAGE_STAGE = "page"  # one event per page written, shown with -v only
BAR_WIDTH = 20
REDRAW_SECONDS = 0.1  # redraw the live line at most this often for page events


class StageEvent(Protocol):
    """What a build event offers: the stage it starts and a short message."""

    @property
    def stage(self) -> str: ...

    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class Output:
    """How much the command line says, from ``-q``/``-v``."""

    verbosity: int = NORMAL

    @property
    def quiet(self) -> bool:
        return self.verbosity <= QUIET

    @property
    def verbose(self) -> bool:
        return self.verbosity >= VERBOSE

    def info(self, message: str, **style: object) -> None:
        """A normal message (stdout); hidden by -q."""
        if not self.quiet:
            click.secho(message, **style)  # type: ignore[arg-type]

    def detail(self, message: str) -> None:
        """A message shown only with -v (stderr)."""
        if self.verbose:
            click.echo(message, err=True)

    def error(self, message: str) -> None:
        """Always shown (stderr)."""
        click.secho(message, fg="red", err=True)


def is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass
class BuildProgress:
    """Receives build events and shows them: a live bar on a terminal, plain lines otherwise."""

    output: Output
    stream: IO[str] = field(default_factory=lambda: sys.stderr)
    interactive: bool | None = None
    stages_seen: list[str] = field(default_factory=list)
    pages: int = 0
    _drawn: bool = False
    _current: StageEvent | None = None
    _redrawn_at: float = 0.0

    def __post_init__(self) -> None:
        if self.interactive is None:
            self.interactive = is_terminal(self.stream)

    def __call__(self, event: StageEvent) -> None:
        if self.output.quiet:
            return
        if event.stage == PAGE_STAGE:
            self.pages += 1
            if self.output.verbose:
                self._line(f"  wrote {event.message}")
            if self.interactive and self._current is not None and time.monotonic() - self._redrawn_at >= REDRAW_SECONDS:
                self._draw(self._current)  # a long render stage still shows life
            return
        self._current = event
        self.stages_seen.append(event.stage)
        if self.interactive:
            self._draw(event)
        else:
            self._line(f"{event.stage}: {event.message}")

    def _total(self) -> int:
        return len(BUILD_STAGES) + sum(1 for stage in self.stages_seen if stage not in BUILD_STAGES)

    def _draw(self, event: StageEvent) -> None:
        done = len(self.stages_seen)
        total = max(self._total(), done)
        filled = BAR_WIDTH * done // total
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        pages = f" · {self.pages} done" if self.pages and event.stage == "render" else ""
        self.stream.write(f"\r\x1b[K{bar} {done}/{total} {event.stage}: {event.message}{pages}")
        self.stream.flush()
        self._drawn = True
        self._redrawn_at = time.monotonic()

    def _line(self, text: str) -> None:
        if self._drawn:  # keep a verbose line from being drawn over
            self.stream.write("\r\x1b[K")
            self._drawn = False
        self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self) -> None:
        """Clear the live line (call once the build is over, whatever its outcome)."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


def pages_line(pages_by_kind: dict[str, int]) -> str:
    """``12 pages (park 3, report 5, ...)``, kinds in a stable order."""
    total = sum(pages_by_kind.values())
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(pages_by_kind.items()))
    return f"{total} page{'s' if total != 1 else ''} ({kinds})" if kinds else "no pages"


@dataclass(frozen=True)
class ServeDisplay:
    """Shows the dev server's events. Called from the server's threads, so it
    carries its output settings instead of looking up click's context."""

    output: Output

    def __call__(self, event: ServeEvent) -> None:
        output = self.output
        if event.kind == "serving":
            output.info(f"serving {event.message}  (Ctrl-C to stop)", fg="green")
        elif event.kind == "changed":
            shown = sorted({_relative(Path(path)) for path in event.paths})
            output.info(f"changed: {', '.join(shown[:3])}{' …' if len(shown) > 3 else ''}")
        elif event.kind == "built":
            output.info(f"✓ built {event.message}", fg="green")
        elif event.kind == "failed":
            output.error(f"{event.message}\n✗ build failed; open pages keep the last good site and rebuild when you save a fix")
        elif event.kind == "stopped":
            output.info("stopped")


def _relative(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


__all__ = ["NORMAL", "QUIET", "VERBOSE", "BuildProgress", "Output", "ServeDisplay", "is_terminal", "pages_line"]
