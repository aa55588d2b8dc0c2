"""Write a rendered site to disk atomically.

The whole site is rendered into memory first (a mapping of relative path to
bytes). Writing then happens in a temporary directory next to the output
(same filesystem), and the finished tree replaces the output with two
renames, so readers and servers never see a half-written site and a failed
build leaves the previous one untouched.

Files whose bytes equal the previous site's are hard-linked from it into the
new tree rather than written again: they keep their inode and mtime, so
rsync, web servers and browser caches see them as unchanged. Where hard
links are not possible (another filesystem, Windows shares) they are copied
with their timestamps preserved.

An exclusive lock (``.<output>.lock`` beside the output, an advisory
``flock``) keeps two builds of the same output from colliding; the kernel
releases it if a build dies, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, BuildLockedError


@dataclass(frozen=True)
class WriteStats:
    """What writing a site did to the output directory."""

    written: int  # new or changed files
    unchanged: int  # identical to the previous site, kept as they were
    removed: int  # files of the previous site that the new one no longer has

    @property
    def files(self) -> int:
        return self.written + self.unchanged


def lock_path_for(output_dir: Path) -> Path:
    return output_dir.parent / f".{output_dir.name}.lock"


@contextmanager
def output_lock(output_dir: Path) -> Iterator[Path]:
    """Hold the exclusive build lock of ``output_dir``; raise BuildLockedError if taken."""
    path = lock_path_for(output_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise BuildLockedError(path) from None
        # The previous holder may have unlinked the file between our open and
        # our lock; then we hold a lock nobody else can see: start again.
        try:
            same = os.stat(path).st_ino == os.fstat(handle).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(handle)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)
        os.close(handle)


def _safe_target(root: Path, relative: str) -> Path:
    """``root / relative``, refusing paths that would escape the tree."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise BuildError(f"refusing to write the output file '{relative}': not a plain relative path")
    return root.joinpath(*parts)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _keep_previous(previous: Path, target: Path) -> None:
    try:
        os.link(previous, target)
    except OSError:
        shutil.copy2(previous, target)


def _fill(staging: Path, files: Mapping[str, bytes], previous_root: Path | None) -> tuple[int, int]:
    written = unchanged = 0
    for relative in sorted(files):
        data = files[relative]
        target = _safe_target(staging, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = _safe_target(previous_root, relative) if previous_root else None
        if previous is not None and _same_bytes(previous, data):
            _keep_previous(previous, target)
            unchanged += 1
        else:
            target.write_bytes(data)
            written += 1
    return written, unchanged


def _previous_files(output_dir: Path) -> set[str]:
    if not output_dir.is_dir():
        return set()
    return {path.relative_to(output_dir).as_posix() for path in output_dir.rglob("*") if path.is_file() or path.is_symlink()}


def write_site(files: Mapping[str, bytes], output_dir: Path) -> WriteStats:
    """Replace ``output_dir`` with exactly ``files``; the caller holds the lock.

    On any error the previous output is left as it was and the temporary
    tree is removed.
    """
    output_dir = Path(output_dir)
    if output_dir.exists() and not output_dir.is_dir():
        raise BuildError(f"the output {output_dir} exists and is not a directory")
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    previous = output_dir if output_dir.is_dir() else None
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    retired: Path | None = None
    try:
        written, unchanged = _fill(staging, files, previous)
        removed = len(_previous_files(output_dir) - set(files))
        os.chmod(staging, 0o755)
        if previous is not None:
            retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
            os.replace(output_dir, retired / "site")
        try:
            os.replace(staging, output_dir)
        except OSError:
            if retired is not None:
                os.replace(retired / "site", output_dir)
            raise
    except OSError as exc:
        raise BuildError(f"could not write the site to {output_dir}: {exc}") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    return WriteStats(written=written, unchanged=unchanged, removed=removed)
