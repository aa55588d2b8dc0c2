"""Private folders in the temporary folder: removed when done, and after a kill by the next one of their kind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from parkreport.scratch import LOCK_NAME, UNLOCKED_AGE_SECONDS, private_folder, remove_abandoned
from parkreport.search import index_site

from .stand_ins import ended, hanging_pagefind, has_started, wait_until_ended, wait_until_started

PREFIX = "parkreport-test-"
WAIT = 15.0

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="locks and kills as Linux has them")

_HOLD = """
import sys, tempfile, time
tempfile.tempdir = sys.argv[1]
from parkreport.scratch import private_folder
with private_folder(sys.argv[2]) as folder:
    print(folder, flush=True)
    time.sleep(60)
"""


def _holder(temp: Path) -> tuple[subprocess.Popen[str], Path]:
    process = subprocess.Popen([sys.executable, "-c", _HOLD, str(temp), PREFIX], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, Path(process.stdout.readline().strip())


@pytest.fixture
def holders() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.kill()
        process.wait()


def test_scratch_folder_is_locked_while_in_use_and_removed_after(temp: Path) -> None:
    with private_folder(PREFIX) as folder:
        assert folder.parent == temp and folder.name.startswith(PREFIX)
        assert (folder / LOCK_NAME).is_file()
        (folder / "copy").mkdir()
        (folder / "copy" / "page.html").write_text("x")
        assert remove_abandoned(temp, PREFIX) == []  # its own folder is in use
    assert list(temp.iterdir()) == []


def test_scratch_a_killed_process_folder_goes_with_the_next_one_a_live_one_stays(
        temp: Path, holders: list[subprocess.Popen[str]]) -> None:
    killed, dead_folder = _holder(temp)
    alive, live_folder = _holder(temp)
    holders += [killed, alive]
    (dead_folder / "left.html").write_text("a copy of a page")
    killed.send_signal(signal.SIGKILL)
    killed.wait(WAIT)
    assert dead_folder.is_dir()  # a killed process cannot clean up
    with private_folder(PREFIX) as folder:
        assert sorted(path.name for path in temp.iterdir()) == sorted([live_folder.name, folder.name])
    assert [path.name for path in temp.iterdir()] == [live_folder.name]


def test_scratch_folders_without_a_lock_go_once_old_and_other_names_stay(temp: Path) -> None:
    old, new = temp / f"{PREFIX}old", temp / f"{PREFIX}new"
    for folder in (old, new):
        folder.mkdir()
        (folder / "site").mkdir()
    then = time.time() - UNLOCKED_AGE_SECONDS - 60
    os.utime(old, (then, then))
    (temp / f"{PREFIX}file").write_text("not a folder")
    (temp / f"{PREFIX}link").symlink_to(old)
    (temp / "other-old").mkdir()
    os.utime(temp / "other-old", (then, then))
    assert remove_abandoned(temp, PREFIX) == [f"{PREFIX}old"]
    assert sorted(path.name for path in temp.iterdir()) == sorted(
        ["other-old", f"{PREFIX}file", f"{PREFIX}link", f"{PREFIX}new"])


def test_scratch_folders_of_another_user_are_left(temp: Path, holders: list[subprocess.Popen[str]],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    killed, dead_folder = _holder(temp)
    holders.append(killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait(WAIT)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)
    assert remove_abandoned(temp, PREFIX) == []
    monkeypatch.undo()
    assert remove_abandoned(temp, PREFIX) == [dead_folder.name]


def test_scratch_a_lock_file_that_is_not_a_file_is_never_followed(temp: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.write_text("keep")
    folder = temp / f"{PREFIX}odd"
    folder.mkdir()
    (folder / LOCK_NAME).symlink_to(outside)
    assert remove_abandoned(temp, PREFIX) == []
    assert outside.read_text() == "keep"


_INDEX_THEN_HANG = """
import sys, tempfile
from pathlib import Path
tempfile.tempdir = sys.argv[1]
from parkreport.search import index_site
index_site({"index.html": b"<html lang='zh-CN'><body><main data-pagefind-body>x</main></body></html>"},
           binary=Path(sys.argv[2]))
"""


def test_scratch_pagefind_dies_with_a_killed_build_and_its_copy_goes_with_the_next_index(temp: Path, tmp_path: Path
                                                                                         ) -> None:
    hanging, started = hanging_pagefind(tmp_path)
    build = subprocess.Popen([sys.executable, "-c", _INDEX_THEN_HANG, str(temp), str(hanging)])
    try:
        assert wait_until_started(started, WAIT)
        pagefind = int(started.read_text())
        build.send_signal(signal.SIGKILL)
        build.wait(WAIT)
        assert wait_until_ended(pagefind, WAIT), "Pagefind outlived the build that started it"
    finally:
        build.kill()
        if has_started(started) and not ended(int(started.read_text())):
            os.kill(int(started.read_text()), signal.SIGKILL)
    [left] = temp.iterdir()
    assert (left / "site" / "index.html").is_file()  # the killed build's copy of the pages

    working = tmp_path / "pagefind_working"
    working.write_text("#!/bin/sh\nwhile [ \"$1\" != --output-path ]; do shift; done\n"
                       "mkdir -p \"$2\" && echo '{}' > \"$2/pagefind-entry.json\"\n")
    working.chmod(0o755)
    index = index_site({"index.html": b"<html><body><main data-pagefind-body>y</main></body></html>"}, binary=working)
    assert "pagefind/pagefind-entry.json" in index.files
    assert list(temp.iterdir()) == []


def test_scratch_the_lock_file_is_removed_last(temp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process killed while removing its folder leaves the lock file, so the next folder of its kind removes the rest."""
    import parkreport.scratch as scratch_module

    seen: list[tuple[str, bool]] = []
    real_rmtree = scratch_module.shutil.rmtree

    def rmtree(path: str | Path, *args: object, **kwargs: object) -> None:
        seen.append((Path(path).name, any(folder.joinpath(LOCK_NAME).exists() for folder in temp.iterdir())))
        real_rmtree(path, ignore_errors=True)

    monkeypatch.setattr(scratch_module.shutil, "rmtree", rmtree)
    with private_folder(PREFIX) as folder:
        (folder / "site" / "parks").mkdir(parents=True)
        (folder / "site" / "parks" / "index.html").write_text("x")
        (folder / "bundle").mkdir()
        (folder / "loose.txt").write_text("x")
    assert sorted(seen[:-1]) == [("bundle", True), ("site", True)]
    assert seen[-1][0] == folder.name
    assert list(temp.iterdir()) == []
