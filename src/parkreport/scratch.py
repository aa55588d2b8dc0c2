"""Private folders in the system's temporary folder that a killed process does not leave there for good.

A build indexes for search from a copy of its pages, and ``parkreport
serve`` builds into a private folder; both are made in the temporary folder
and removed when done. A process that is killed (SIGKILL, the OOM killer)
cannot remove its folder, so each folder holds a lock on a file in it for as
long as its process lives: the kernel lets go of the lock when the process
ends, however it ends. The next folder of the same kind removes every
folder whose lock it can take.

A folder without its lock file (made by a process killed in the moment
before, or by an earlier version of parkreport) is removed once it is older
than :data:`UNLOCKED_AGE_SECONDS`. Only folders of this user are looked at.
Where ``fcntl`` is missing (Windows) folders are still removed when done,
but not after a kill.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

#: The file in each folder whose lock says that its process is alive.
LOCK_NAME = ".in-use"
#: Age after which a folder without a lock file is taken to be abandoned (longer than any build step).
UNLOCKED_AGE_SECONDS = 3600


@contextmanager
def private_folder(prefix: str) -> Iterator[Path]:
    """A new folder ``<temp>/<prefix>XXXX``, locked while in use and removed after; abandoned ones are removed first."""
    parent = Path(tempfile.gettempdir())
    remove_abandoned(parent, prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    descriptor = _lock(folder)
    try:
        yield folder
    finally:
        _remove_locked(folder)
        if descriptor is not None:
            os.close(descriptor)


def _remove_locked(folder: Path) -> None:
    """Remove a folder this process holds locked, its lock file last.

    A process killed on the way then leaves a folder with its lock file,
    which the next folder of its kind removes at once (not after an hour).
    """
    try:
        with os.scandir(folder) as scanned:
            entries = [entry for entry in scanned if entry.name != LOCK_NAME]
    except OSError:
        entries = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    shutil.rmtree(folder, ignore_errors=True)


def remove_abandoned(parent: Path, prefix: str) -> list[str]:
    """Remove the folders ``parent/<prefix>*`` of this user whose process has ended; returns their names."""
    if fcntl is None:
        return []
    try:
        with os.scandir(parent) as scanned:
            entries = [entry for entry in scanned if entry.name.startswith(prefix)]
    except OSError:
        return []
    removed = []
    for entry in sorted(entries, key=lambda entry: entry.name):
        if _abandoned(entry):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.name)
    return removed


def _lock(folder: Path) -> int | None:
    """Lock a new file in ``folder``, then give it its name: a folder never shows a lock file not yet locked.

    None where files cannot be locked (no ``fcntl``, a file system without
    ``flock``): the folder is then removed when done, and after a kill only
    once it is old.
    """
    if fcntl is None:
        return None
    unnamed = folder / f"{LOCK_NAME}.new"
    descriptor = os.open(unnamed, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody else holds it
        os.rename(unnamed, folder / LOCK_NAME)
    except OSError:
        os.close(descriptor)
        unnamed.unlink(missing_ok=True)
        return None
    return descriptor


def _abandoned(entry: os.DirEntry[str]) -> bool:
    assert fcntl is not None
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        return False
    try:
        descriptor = os.open(os.path.join(entry.path, LOCK_NAME), os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:  # no lock file: abandoned only once old
        return time.time() - info.st_mtime > UNLOCKED_AGE_SECONDS
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held: its process is alive
        return False
    finally:
        os.close(descriptor)
    return True


__all__ = ["LOCK_NAME", "UNLOCKED_AGE_SECONDS", "private_folder", "remove_abandoned"]
