"""A Pagefind that never finishes, and looks at the process it becomes (Linux's ``/proc``)."""

from __future__ import annotations

import threading
import time
from pathlib import Path


def hanging_pagefind(folder: Path) -> tuple[Path, Path]:
    """A stand-in Pagefind in ``folder`` that writes its process id, then sleeps for a minute; and the file it writes."""
    started = folder / "pagefind.pid"
    binary = folder / "pagefind_extended"
    binary.write_text(f"#!/bin/sh\necho $$ > {started}\nexec sleep 60\n")
    binary.chmod(0o755)
    return binary, started


def has_started(started: Path) -> bool:
    return started.is_file() and bool(started.read_text().strip())


def wait_until_started(started: Path, limit: float = 60) -> bool:
    """Wait (``limit`` seconds at most) for the stand-in to write its process id; whether it has."""
    deadline = time.monotonic() + limit
    while not has_started(started) and time.monotonic() < deadline:
        time.sleep(0.02)
    return has_started(started)


def wait_until_ended(pid: int, limit: float) -> bool:
    """Wait (``limit`` seconds at most) for process ``pid`` to end; whether it has."""
    deadline = time.monotonic() + limit
    while not ended(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return ended(pid)


def set_once_started(started: Path, event: threading.Event) -> threading.Thread:
    """Set ``event`` from another thread once the stand-in runs (or a minute has passed): a stop while Pagefind indexes."""
    def watch() -> None:
        wait_until_started(started)
        event.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    return watcher


def ended(pid: int) -> bool:
    """True once process ``pid`` has ended (reaped, or a zombie not yet reaped by whoever adopted it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")
