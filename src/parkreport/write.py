"""Write a rendered site to disk atomically.

Pages are written one by one, as they are rendered, into a staging
directory next to the output (same filesystem); once the whole site is
there and checked, the staged tree takes the output's place in one atomic
exchange (two renames, with recovery after a crash, where the system has none).
Readers and servers never see a half-written site, a failed build leaves
the previous one untouched, and the site never has to fit in memory.

Files whose bytes equal the previous site's are hard-linked from it into the
new tree rather than written again: they keep their inode and mtime, so
rsync, web servers and browser caches see them as unchanged. Where hard
links are not possible (another filesystem, Windows shares) they are copied
with their timestamps preserved.

The tree a publish retires is not deleted: it is kept beside the output as
the *spare* (``.<output>.spare``) and becomes the next build's staging tree.
Its folders already exist and most of its files already are (hard links to)
the current site's, so an edit that changes a few pages neither creates a
folder per page nor deletes a whole tree. Nothing in the spare is trusted:
a file is kept only when it is the very file of the current site (same
inode), every other file is replaced or removed, and symlinks are removed
before anything is written. A build that dies while staging leaves the
claimed spare as a staging folder, which the next build removes.

An exclusive lock (``.<output>.lock`` beside the output: ``flock`` on
POSIX, ``msvcrt.locking`` on Windows) keeps two builds of the same output
from colliding; the operating system releases it if a build dies, so a
crash never leaves a stale lock behind.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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


def _try_lock(handle: int) -> bool:
    """Take the exclusive lock on an open file without waiting; False if it is held."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def output_lock(output_dir: Path) -> Iterator[Path]:
    """Hold the exclusive build lock of ``output_dir``; raise BuildLockedError if taken."""
    path = lock_path_for(output_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(handle):
            os.close(handle)
            raise BuildLockedError(path)
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
        if sys.platform == "win32":  # an open file cannot be deleted there
            os.close(handle)
            path.unlink(missing_ok=True)
        else:  # unlink while holding the lock, so no one locks a file about to vanish
            path.unlink(missing_ok=True)
            os.close(handle)


def _safe_target(root: Path, relative: str) -> Path:
    """``root / relative``, refusing paths that would escape the tree."""
    return root.joinpath(*_plain_parts(relative))


def _plain_parts(relative: str) -> list[str]:
    """The parts of an output file's name, refusing names that would escape the tree."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise BuildError(f"refusing to write the output file '{relative}': not a plain relative path")
    return parts


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


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def exchange_paths(first: Path, second: Path) -> bool:
    """Swap two directories in one atomic step (Linux ``renameat2``); False where the system cannot.

    With a plain rename the output must be moved aside before the new tree
    takes its name; a build killed between the two renames would leave no
    site at all, and a server would answer 404 meanwhile.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # old kernel, or a filesystem without it
        return False
    raise OSError(code, os.strerror(code), str(second))


def spare_path_for(output_dir: Path) -> Path:
    return output_dir.parent / f".{output_dir.name}.spare"


def recover_interrupted(output_dir: Path) -> None:
    """Clear what a killed build left beside the output; the caller holds the lock.

    A build killed between the two renames of the fallback swap leaves the
    output missing and the previous site in a retired folder: put it back.
    Staging and retired folders of dead builds are then removed.
    """
    prefixes = (f".{output_dir.name}.new-", f".{output_dir.name}.old-")
    siblings = sorted(p for p in output_dir.parent.iterdir() if p.name.startswith(prefixes) and p.is_dir())
    retired = [p / "site" for p in siblings if p.name.startswith(prefixes[1]) and (p / "site").is_dir()]
    if retired and not output_dir.exists():
        newest = max(retired, key=lambda p: p.stat().st_mtime)
        os.replace(newest, output_dir)
    for sibling in siblings:
        shutil.rmtree(sibling, ignore_errors=True)


@dataclass(frozen=True)
class StagedFile:
    """How a file went into the staging tree: written anew or kept from the previous site, and its stamp."""

    written: bool
    stamp: tuple[int, int]  # size, mtime_ns


def stage_file(root: Path, previous_site: Path | None, relative: str, data: bytes | Iterable[bytes]) -> StagedFile:
    """Write one file into the staging tree ``root``; bytes equal to the previous site's keep its file.

    ``data`` may come in pieces (a large download), written as they come.
    Whatever ``root`` held at ``relative`` (a spare tree's file, which may be
    a hard link to the published one) is replaced, never written through.
    Safe to call from worker processes: it touches only ``relative``.
    """
    target = _safe_target(root, relative)
    previous = _safe_target(previous_site, relative) if previous_site is not None else None
    try:
        if isinstance(data, bytes):
            if previous is not None and _same_bytes(previous, data):
                return StagedFile(False, _stamp_of(_link_previous(root, previous, target)))
            clear_path(target)
            _make_parent(root, target)
            target.write_bytes(data)
        else:
            clear_path(target)
            _make_parent(root, target)
            if _write_pieces(target, previous, data):
                assert previous is not None
                target.unlink()
                return StagedFile(False, _stamp_of(_link_previous(root, previous, target)))
        info = target.stat()
    except OSError as exc:
        raise BuildError(f"could not write {relative}: {exc}") from exc
    return StagedFile(True, _stamp_of(info))


def _stamp_of(info: os.stat_result) -> tuple[int, int]:
    return info.st_size, info.st_mtime_ns


def clear_path(target: Path) -> None:
    """Remove what stands at ``target``: a file, a link, or a folder (in a staging tree, one an older site had there)."""
    try:
        target.unlink()
    except FileNotFoundError:
        return
    except NotADirectoryError:  # a file of an older site stands where a folder goes: _make_parent clears it
        return
    except OSError:  # EISDIR on Linux, EPERM elsewhere
        if not (target.is_dir() and not target.is_symlink()):
            raise
        shutil.rmtree(target)


def _make_parent(root: Path, target: Path) -> None:
    """Create ``target``'s folder in the staging tree, removing files an older site had where it goes."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    folder = root
    for part in target.parent.relative_to(root).parts:
        folder = folder / part
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            try:
                folder.unlink()
            except FileNotFoundError:  # another worker cleared it first
                pass
            except OSError:  # ... and made the folder (EISDIR, EPERM)
                if not folder.is_dir() or folder.is_symlink():
                    raise
    target.parent.mkdir(parents=True, exist_ok=True)


def _link_previous(root: Path, previous: Path, target: Path) -> os.stat_result:
    """Make ``target`` the previous site's file (a hard link, else a copy); its stat.

    A spare tree usually holds it already: then nothing is done.
    """
    held = _same_file(target, previous)
    return held if held is not None else _link_anew(root, previous, target)


def _link_anew(root: Path, previous: Path, target: Path) -> os.stat_result:
    """Replace whatever the staging tree holds at ``target`` with the previous site's file; its stat."""
    clear_path(target)
    _make_parent(root, target)
    _keep_previous(previous, target)
    return target.stat()


def _write_pieces(target: Path, previous: Path | None, pieces: Iterable[bytes]) -> bool:
    """Write ``pieces`` to ``target``, comparing them with ``previous`` as they go: True if its bytes are the same."""
    with _open_regular(previous) or nullcontext() as old, open(target, "wb") as output:
        same = old is not None
        for piece in pieces:
            output.write(piece)
            same = same and old is not None and old.read(len(piece)) == piece
        return same and old is not None and old.read(1) == b""


def _open_regular(path: Path | None) -> BinaryIO | None:
    """``path`` opened for reading if it is a regular file (not a symlink), else None."""
    if path is None:
        return None
    try:
        return open(path, "rb") if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


def keep_previous_file(root: Path, previous_site: Path, relative: str,
                       previous_info: os.stat_result | None = None) -> StagedFile | None:
    """Link the previous site's file into the staging tree without reading it; None if it is gone.

    ``previous_info`` is the previous file's ``lstat``, when the caller has
    it. Most kept pages are already that file in a spare staging tree:
    that is found with one ``lstat`` of plain strings (an edit keeps tens of
    thousands of pages; making ``Path`` objects cost more than the checks).
    """
    parts = _plain_parts(relative)
    held = _same_file(os.path.join(root, *parts), previous_info or os.path.join(previous_site, *parts))
    if held is not None:
        return StagedFile(False, _stamp_of(held))
    try:
        return StagedFile(False, _stamp_of(_link_anew(root, previous_site.joinpath(*parts), root.joinpath(*parts))))
    except OSError:
        return None


def _same_file(target: str | Path, previous: str | Path | os.stat_result) -> os.stat_result | None:
    """``target``'s stat if it is a regular file and the very file ``previous`` is (a path, or its stat)."""
    try:
        held = os.lstat(target)
        if not stat.S_ISREG(held.st_mode):
            return None
        return held if os.path.samestat(held, previous if isinstance(previous, os.stat_result) else os.stat(previous)) else None
    except OSError:
        return None


class SiteStaging:
    """A new site being written next to the output, swapped in by :meth:`publish`.

    Use as a context manager: files are added one by one as they are
    rendered (so the site never has to fit in memory); leaving the block
    without publishing, or with an exception, removes the staging tree and
    leaves the output untouched. The caller holds the output lock.

    The staging tree is the spare left by the last publish when there is
    one (see the module's notes); what it holds that this site does not is
    removed before the swap.
    """

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = Path(output_dir)
        if self.output_dir.exists() and not self.output_dir.is_dir():
            raise BuildError(f"the output {self.output_dir} exists and is not a directory")
        self.previous = self.output_dir if self.output_dir.is_dir() else None
        self.paths: set[str] = set()
        self.folders: set[str] = set()  # every folder the staged files are in
        self.written = 0
        self.unchanged = 0
        self.stamps: dict[str, tuple[int, int]] = {}  # staged file -> (size, mtime_ns), as published
        self.root: Path | None = None
        self._held: tuple[set[str], set[str]] = (set(), set())  # files and folders the spare came with
        self._retired: Path | None = None  # the previous site after the swap, to be the next spare
        self._retired_box: Path | None = None  # the folder the two-rename swap moved it into

    def __enter__(self) -> SiteStaging:
        try:
            self.output_dir.parent.mkdir(parents=True, exist_ok=True)
            recover_interrupted(self.output_dir)
            self.previous = self.output_dir if self.output_dir.is_dir() else None
            self.root = Path(tempfile.mkdtemp(prefix=f".{self.output_dir.name}.new-", dir=self.output_dir.parent))
            self._claim_spare()
        except OSError as exc:
            raise BuildError(f"could not create a staging folder beside {self.output_dir}: {exc}") from exc
        return self

    def _claim_spare(self) -> None:
        """Take the spare tree as the staging tree (renamed, so a crash leaves it to be removed); else start empty."""
        assert self.root is not None
        spare = spare_path_for(self.output_dir)
        if spare.is_symlink() or (spare.exists() and not spare.is_dir()):
            spare.unlink()  # not a tree this tool left
            return
        if not spare.is_dir():
            return
        try:  # it takes the name of the empty folder just made (a name no other build uses)
            self.root.rmdir()
            os.rename(spare, self.root)
        except OSError:
            self.root.mkdir(exist_ok=True)
            shutil.rmtree(spare, ignore_errors=True)
            return
        held = _inventory(self.root)
        if held is None:  # a folder it cannot read or change, or of another user: start from an empty tree
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = Path(tempfile.mkdtemp(prefix=f".{self.output_dir.name}.new-", dir=self.output_dir.parent))
            held = (set(), set())
        self._held = held

    def __exit__(self, *exc_info: object) -> None:
        if self._retired is not None:
            spare = spare_path_for(self.output_dir)
            try:
                os.replace(self._retired, spare)
            except OSError:
                shutil.rmtree(self._retired, ignore_errors=True)
            self._retired = None
        if self._retired_box is not None:
            shutil.rmtree(self._retired_box, ignore_errors=True)
        if self.root is not None and self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)

    def add(self, relative: str, data: bytes | Iterable[bytes]) -> None:
        """Stage one file; bytes equal to the previous site's keep the previous file."""
        if self.root is None:
            raise BuildError("the staging folder is not open")
        if relative in self.paths:
            raise BuildError(f"two outputs would be written to {relative}")
        self.record(relative, stage_file(self.root, self.previous, relative, data))

    def record(self, relative: str, staged: StagedFile) -> None:
        """Count a file another process staged into :attr:`root` (see :func:`stage_file`)."""
        if relative in self.paths:
            raise BuildError(f"two outputs would be written to {relative}")
        ancestors = [relative.rsplit("/", depth)[0] for depth in range(1, relative.count("/") + 1)]
        clash = relative if relative in self.folders else next((a for a in ancestors if a in self.paths), None)
        if clash is not None:
            raise BuildError(f"two outputs would be written to {clash}: a file, and a folder of other files")
        self.folders.update(ancestors)
        if staged.written:
            self.written += 1
        else:
            self.unchanged += 1
        self.paths.add(relative)
        self.stamps[relative] = staged.stamp

    def staged(self) -> Mapping[str, bytes]:
        """The files staged so far, read back from disk on access (for post-processing)."""
        if self.root is None:
            raise BuildError("the staging folder is not open")
        return StagedFiles(self.root, frozenset(self.paths))

    def _drop_unstaged(self) -> None:
        """Remove what the spare held that this site does not have: files, then folders without staged files."""
        assert self.root is not None
        files, folders = self._held
        if not files and not folders:
            return
        needed = self.folders
        leftovers = sorted(files - self.paths - needed)
        gone_folders = sorted(folders - needed - self.paths)
        same_name = _folded_names(self.paths | needed) if leftovers or gone_folders else {}
        for relative in leftovers:
            if self._staged_under_another_case(relative, same_name):
                continue
            try:
                _safe_target(self.root, relative).unlink()
            except (FileNotFoundError, NotADirectoryError):  # cleared while staging
                pass
        for relative in gone_folders:
            parent = relative.rpartition("/")[0]
            if (not parent or parent in needed) and not self._staged_under_another_case(relative, same_name):
                shutil.rmtree(_safe_target(self.root, relative))  # the topmost folder this site has nothing in

    def _staged_under_another_case(self, relative: str, same_name: dict[str, str]) -> bool:
        """True when a leftover's name is a staged name on a file system that folds case (or Unicode forms)."""
        assert self.root is not None
        staged = same_name.get(_fold(relative))
        if staged is None:
            return False
        try:
            return os.path.samestat(os.lstat(_safe_target(self.root, relative)), os.lstat(_safe_target(self.root, staged)))
        except OSError:
            return False

    def publish(self) -> WriteStats:
        """Replace the output with the staged tree: one atomic exchange, or two renames where unsupported."""
        if self.root is None:
            raise BuildError("the staging folder is not open")
        try:
            self._drop_unstaged()
        except OSError as exc:
            raise BuildError(f"could not clear the staging folder {self.root}: {exc}") from exc
        removed = len(_previous_files(self.output_dir) - self.paths)
        stats = WriteStats(written=self.written, unchanged=self.unchanged, removed=removed)
        try:
            os.chmod(self.root, 0o755)
            if self.previous is not None and exchange_paths(self.root, self.output_dir):
                self._retired, self.root = self.root, None  # it now holds the previous site
                return stats
            if self.previous is not None:
                self._retired_box = Path(tempfile.mkdtemp(prefix=f".{self.output_dir.name}.old-",
                                                          dir=self.output_dir.parent))
                os.replace(self.output_dir, self._retired_box / "site")
            try:
                os.replace(self.root, self.output_dir)
            except OSError:
                if self._retired_box is not None:
                    os.replace(self._retired_box / "site", self.output_dir)
                raise
            self.root = None
            if self._retired_box is not None:
                self._retired = self._retired_box / "site"
        except OSError as exc:
            raise BuildError(f"could not replace {self.output_dir} with the new site: {exc}") from exc
        return stats


def _fold(relative: str) -> str:
    return unicodedata.normalize("NFD", relative).casefold()


def _folded_names(paths: Iterable[str]) -> dict[str, str]:
    return {_fold(relative): relative for relative in paths}


def _inventory(root: Path) -> tuple[set[str], set[str]] | None:
    """The files and folders under ``root``, made as a new tree would be; None if a folder cannot be.

    Symlinks and special files are removed; folders get the mode a new
    folder gets (an earlier build may have run under another umask; the
    setgid bit follows the output's parent, as new folders inherit it); a
    folder owned by another user, or one that cannot be read or changed,
    makes the tree unusable.
    """
    files: set[str] = set()
    folders: set[str] = set()
    pending = [("", os.fspath(root))]
    mask = os.umask(0)
    os.umask(mask)
    mode = (0o777 & ~mask) | (root.parent.stat().st_mode & stat.S_ISGID)
    owner = os.geteuid() if hasattr(os, "geteuid") else None
    try:
        while pending:
            prefix, folder = pending.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    relative = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        info = entry.stat(follow_symlinks=False)
                        if owner is not None and info.st_uid != owner:
                            return None
                        if stat.S_IMODE(info.st_mode) != mode:
                            os.chmod(entry.path, mode)
                        folders.add(relative)
                        pending.append((relative + "/", entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        files.add(relative)
                    else:
                        os.unlink(entry.path)
    except OSError:
        return None
    return files, folders


class StagedFiles(Mapping[str, bytes]):
    """A read-only mapping of staged paths to their bytes, read lazily."""

    def __init__(self, root: Path, paths: frozenset[str]) -> None:
        self._root = root
        self._paths = paths

    def __getitem__(self, relative: str) -> bytes:
        if relative not in self._paths:
            raise KeyError(relative)
        return _safe_target(self._root, relative).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._paths))

    def __len__(self) -> int:
        return len(self._paths)


def _previous_files(output_dir: Path) -> set[str]:
    return {relative for relative, _ in tree_files(output_dir)}


def tree_files(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under ``root`` that is not a folder (files, symlinks), with its path relative to ``root``.

    One ``scandir`` per folder and no path object per file: a site has a
    folder per page. A folder this user cannot read is passed over.
    """
    if root.is_dir():
        yield from _tree_entries(os.fspath(root), "")


def _tree_entries(folder: str, prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _tree_entries(entry.path, f"{prefix}{entry.name}/")
            else:
                yield prefix + entry.name, entry


def write_site(files: Mapping[str, bytes], output_dir: Path) -> WriteStats:
    """Replace ``output_dir`` with exactly ``files``; the caller holds the lock.

    On any error the previous output is left as it was and the temporary
    tree is removed.
    """
    with SiteStaging(output_dir) as staging:
        for relative in sorted(files):
            staging.add(relative, files[relative])
        return staging.publish()
