"""The incremental build cache, kept in ``.parkreport-cache/`` beside the output.

One file per output directory, ``<output>.record``, records what the last
successful build was made of and what it produced:

- ``key``: a hash of the package version, the cache schema, every template
  and theme file, the site configuration and the build options. A different
  key means nothing of the cache is used.
- ``inputs``: each content, template and theme file with its size, mtime and
  content hash (a file whose size and mtime are unchanged is not read again;
  one modified in the same second as the last build is always re-hashed).
- ``outputs``: size and mtime of every file of the published site, so a
  no-op rebuild can see that every published file is still as it was
  published (one ``stat`` per file; a file added to the output by hand is
  not looked for, and goes with the next build that changes anything),
  and an edit can keep an unchanged page without reading it.

Beside it, read only by a build that has something to do,
``<output>.pages`` keeps each page's context digest, the hash of the
HTML it gave and its scope digest (see :mod:`parkreport.parallel` and
:mod:`parkreport.scopes`), so unchanged pages are not rendered and pages
about parks no edit reached are not even built; ``<output>.scans`` keeps
the links and anchors of each page (by the hash of its HTML), so the links
of kept pages are checked without reading them again. All three are sealed
pickles (see :func:`parkreport.contentcache.write_sealed`): a pickle reads
back in a fraction of the time JSON takes (the record of 1,000 parks, 9 MB,
in 0.07 s against 0.16 s, in a no-op build that takes about 0.5 s); and
every page repeats the navigation, whose strings a pickle of the scans holds
once. What is read is checked for shape before it is used. An edit writes the scans
of the pages it changed to ``<output>.scans-added`` and leaves the large
file as it was (see :func:`save_scans`). ``<output>.downloads/``
keeps each park's rows of the indicator downloads, as CSV lines and JSON
items, by what the park's profile page is made of (see
:class:`DownloadBlocks`), so an edit makes the rows of the parks it reaches
and joins the others' as they were.

A missing, unreadable, corrupted or incompatible cache is ignored (the build
is then a clean build); it is written only after a site was published
(download blocks, which depend on nothing but their inputs, as they are
made; the ones a published build did not use are removed then).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import stat
import sys
import time
from collections.abc import Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, FileSystemBytecodeCache

from .contentcache import read_sealed, write_sealed
from .parallel import PageRecord
from .write import clear_path, tree_files

CACHE_DIR = ".parkreport-cache"


def _version() -> str:
    from . import __version__  # imported late: the package imports the build, which imports this

    return __version__


SCHEMA = 3
# A file modified this close to the moment the cache was written may change
# again without its mtime moving: hash it rather than trust its stamp.
_RACY_NS = 2_000_000_000

Stamp = tuple[int, int, str]  # size, mtime_ns, sha256


@dataclass
class BuildCache:
    """What the last build of one output directory was made of and produced."""

    key: str
    inputs: dict[str, Stamp] = field(default_factory=dict)
    pages: dict[str, PageRecord] = field(default_factory=dict)  # output file -> (context digest, output sha, scope); see load_pages
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)  # output file -> (size, mtime_ns)
    pages_by_kind: dict[str, int] = field(default_factory=dict)
    written_ns: int = 0


def cache_file(output_dir: Path) -> Path:
    return output_dir.parent / CACHE_DIR / f"{output_dir.name}.record"


def pages_file(output_dir: Path) -> Path:
    return output_dir.parent / CACHE_DIR / f"{output_dir.name}.pages"


def _legacy_files(output_dir: Path) -> list[Path]:
    """The JSON files earlier versions kept the record, the pages and the scans in."""
    return [output_dir.parent / CACHE_DIR / f"{output_dir.name}{suffix}" for suffix in (".json", ".pages.json", ".scans.json")]


RECORD_MAGIC = b"parkreport-build-record\n"
PAGES_MAGIC = b"parkreport-pages\n"


def scans_file(output_dir: Path) -> Path:
    return output_dir.parent / CACHE_DIR / f"{output_dir.name}.scans"


def blocks_dir(output_dir: Path) -> Path:
    return output_dir.parent / CACHE_DIR / f"{output_dir.name}.downloads"


def added_scans_file(output_dir: Path) -> Path:
    return output_dir.parent / CACHE_DIR / f"{output_dir.name}.scans-added"


Scan = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # ids, links, ids defined twice (see links.PageScan)
SCANS_MAGIC = b"parkreport-scans\n"


def shared_scan(scan: Scan) -> Scan:
    """``scan`` with its strings interned, so the pages that repeat a link hold (and pickle) it once."""
    intern = sys.intern
    return tuple(tuple(intern(text) for text in strings) for strings in scan)  # type: ignore[return-value]


# An edit adds the scans of the pages it changed in a second, small file; the
# whole file is written again once the added and the unused scans are more than
# this share of the site's (or more than the floor), so it stays close to the site.
_ADDED_SHARE = 8
_ADDED_FLOOR = 256


@dataclass(frozen=True)
class LoadedScans:
    """The scans the cache held, and which of them came from the added file (see :func:`save_scans`)."""

    pages: dict[str, Scan]
    added: frozenset[str] = frozenset()


def save_scans(output_dir: Path, key: str, scans: dict[str, Scan], loaded: LoadedScans | None = None) -> None:
    """Write each page's scan by the hash of its HTML (strings shared between pages are written once).

    A scan is a function of the HTML alone (under one build key), so a file
    of scans stays true for as long as the key does: with ``loaded`` (what
    :func:`load_scan_files` gave this build), the scans that file does not
    hold are written to the small added file instead, and the large one,
    tens of megabytes at a thousand parks, is not written again for an edit.
    Once the added and the no longer used scans outweigh a share of the
    site's, everything is written anew as one file.
    """
    if loaded is not None and loaded.pages:
        base = loaded.pages
        added = {sha: scan for sha, scan in scans.items() if sha not in base or sha in loaded.added}
        unused = sum(1 for sha in base if sha not in scans)
        few = len(added) + unused <= max(_ADDED_FLOOR, len(scans) // _ADDED_SHARE)
        if few and write_sealed(added_scans_file(output_dir), SCANS_MAGIC, {"schema": SCHEMA, "key": key, "pages": added}):
            return
    # The added file goes first: a build killed between the two leaves a whole file and nothing added.
    with suppress(OSError):  # a cache that cannot be cleaned only costs disk space
        clear_path(added_scans_file(output_dir))
    write_sealed(scans_file(output_dir), SCANS_MAGIC, {"schema": SCHEMA, "key": key, "pages": scans})


def load_scans(output_dir: Path, key: str) -> dict[str, Scan]:
    """The scans the last build with ``key`` kept; empty when missing, unreadable or not of this shape."""
    return load_scan_files(output_dir, key).pages


def load_scan_files(output_dir: Path, key: str) -> LoadedScans:
    """The scans of the whole file and of the added file, as one mapping; the added file counts only with the whole one."""
    pages = _read_scans(scans_file(output_dir), key)
    if not pages:
        return LoadedScans({})
    added = _read_scans(added_scans_file(output_dir), key)
    pages.update(added)
    return LoadedScans(pages, frozenset(added))


def _read_scans(path: Path, key: str) -> dict[str, Scan]:
    """One file of scans; empty when missing, unreadable, of another key or not of this shape."""
    try:
        raw = read_sealed(path, SCANS_MAGIC)
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA or raw.get("key") != key:
        return {}
    pages = raw.get("pages")
    if not isinstance(pages, dict) or not all(_is_scan(sha, scan) for sha, scan in pages.items()):
        return {}
    return pages


def _is_scan(sha: object, scan: object) -> bool:
    return (isinstance(sha, str) and type(scan) is tuple and len(scan) == 3
            and all(type(strings) is tuple for strings in scan))


class DownloadBlocks:
    """Each park's rows of the indicator downloads, kept between builds (see :class:`parkreport.export.BlockStore`).

    A park's rows hold nothing its profile page cannot read, so they are
    kept by the page's scope digest (``digests``, by park), salted with the
    build key (which covers the code, the site's URL and the options). A
    block is one sealed file in ``directory``; a missing, damaged or
    unreadable one is made again, and one that cannot be written is held in
    memory by the caller. :meth:`prune` removes what this build did not use.
    """

    MAGIC = b"parkreport-download-block\n"

    def __init__(self, directory: Path, key: str, digests: Mapping[str, str]) -> None:
        self.directory = directory
        self.names = {park: hashlib.sha256(f"{key}\0{park}\0{digest}".encode()).hexdigest()[:40]
                      for park, digest in digests.items()}
        self.used: set[str] = set()

    def _path(self, park: str, part: str) -> Path | None:
        name = self.names.get(park)
        if name is None:
            return None
        self.used.add(f"{name}.{part}")
        return self.directory / f"{name}.{part}"

    def load(self, park: str, part: str) -> bytes | None:
        path = self._path(park, part)
        if path is None:
            return None
        try:
            data = read_sealed(path, self.MAGIC)
        except (OSError, ValueError):
            return None
        return data if type(data) is bytes else None

    def store(self, park: str, part: str, data: bytes) -> bool:
        path = self._path(park, part)
        return path is not None and write_sealed(path, self.MAGIC, data)

    def prune(self) -> None:
        """Remove the blocks (and leftovers) this build did not use; a folder that cannot be read is left."""
        try:
            with os.scandir(self.directory) as entries:
                stale = [(entry.path, entry.is_dir(follow_symlinks=False)) for entry in entries if entry.name not in self.used]
        except OSError:
            return
        for path, folder in stale:
            if folder:
                shutil.rmtree(path, ignore_errors=True)
            else:
                with suppress(OSError):
                    os.unlink(path)


# The libraries whose version can change a page's bytes (templates, escaping,
# Markdown, its sanitizing, Chinese conversion) or what is read from it (the
# HTML parser of the link check, whose scans the cache keeps).
_LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "opencc", "selectolax")


@functools.cache
def _library_versions() -> str:
    """Once a process: the libraries in use are the ones it imported (and looking them up churns
    importlib's caches, which would free objects a caller froze)."""
    from importlib.metadata import PackageNotFoundError, version

    def one(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"

    return " ".join(f"{name}={one(name)}" for name in _LIBRARIES)


def build_key(options: Iterable[object], template_roots: Iterable[Path]) -> str:
    """A hash of the package version, cache schema, library versions, build options and every file under
    ``template_roots``.

    The build passes the package itself (code, theme and locales) and the
    project's templates, so a changed template, a changed line of code or
    another version of a library a page is made with never reuses a page
    rendered (or a scan read) before it.
    """
    digest = hashlib.sha256(f"{_version()}\0{SCHEMA}\0{_library_versions()}\0".encode())
    for option in options:
        digest.update(repr(option).encode() + b"\0")
    for root in template_roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_cache(output_dir: Path, key: str) -> BuildCache | None:
    """The cache of ``output_dir`` if it is readable, well formed and made with ``key``; else None."""
    try:
        raw = read_sealed(cache_file(output_dir), RECORD_MAGIC)
        if type(raw) is not dict or raw.get("schema") != SCHEMA or raw.get("version") != _version() or raw.get("key") != key:
            return None
        inputs, outputs, kinds, written_ns = raw["inputs"], raw["outputs"], raw["pages_by_kind"], raw["written_ns"]
        if not (_table(inputs, (int, int, str)) and _table(outputs, (int, int)) and type(kinds) is dict
                and _all_of(kinds, str) and _all_of(kinds.values(), int) and type(written_ns) is int):
            return None
        return BuildCache(key=key, inputs=inputs, outputs=outputs, pages_by_kind=kinds, written_ns=written_ns)
    except (OSError, ValueError, KeyError):
        return None


def load_pages(output_dir: Path, cache: BuildCache) -> dict[str, PageRecord]:
    """Each page's (context digest, output sha, scope digest) as the build of ``cache`` recorded them; empty when unreadable."""
    try:
        raw = read_sealed(pages_file(output_dir), PAGES_MAGIC)
        if type(raw) is not dict or raw.get("key") != cache.key or raw.get("written_ns") != cache.written_ns:
            return {}
        pages = raw["pages"]
        if not _table(pages, (str, str, (str, type(None)))):
            return {}
        return pages  # type: ignore[no-any-return]
    except (OSError, ValueError, KeyError):
        return {}


def _all_of(values: Iterable[object], kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return set(map(type, values)) <= set(kinds)


def _table(table: object, columns: tuple[type | tuple[type, ...], ...]) -> bool:
    """True when ``table`` maps strings to tuples of ``len(columns)`` values, each of its column's exact type.

    Checked column by column with ``map`` and ``zip`` (no Python loop per
    row): at 1,000 parks the record holds over 100,000 rows.
    """
    if type(table) is not dict or not _all_of(table, str):
        return False
    rows = table.values()
    if not _all_of(rows, tuple) or not set(map(len, rows)) <= {len(columns)}:
        return False
    return all(_all_of(column, kind) for column, kind in zip(zip(*rows), columns))


def save_cache(output_dir: Path, cache: BuildCache) -> None:
    """Write the cache atomically, its pages first; failing to write it only costs the next build its speed."""
    write_sealed(pages_file(output_dir), PAGES_MAGIC, {"schema": SCHEMA, "key": cache.key, "written_ns": cache.written_ns,
                                                       "pages": cache.pages})
    data: dict[str, Any] = {"schema": SCHEMA, "version": _version(), "key": cache.key, "inputs": cache.inputs,
                            "outputs": cache.outputs, "pages_by_kind": cache.pages_by_kind,
                            "written_ns": cache.written_ns}
    write_sealed(cache_file(output_dir), RECORD_MAGIC, data)
    for legacy in _legacy_files(output_dir):
        with suppress(OSError):
            legacy.unlink(missing_ok=True)


def discard_cache(output_dir: Path) -> None:
    for path in (cache_file(output_dir), pages_file(output_dir), scans_file(output_dir), added_scans_file(output_dir),
                 *_legacy_files(output_dir)):
        with suppress(OSError):  # a folder, or a cache folder that cannot be written: nothing to forget there
            path.unlink(missing_ok=True)
    shutil.rmtree(blocks_dir(output_dir), ignore_errors=True)


def input_stamps(roots: Iterable[tuple[str, Path]], previous: BuildCache | None) -> dict[str, Stamp]:
    """Size, mtime and content hash of every file under each ``(label, root)``.

    A file whose size and mtime equal the previous build's, and which was not
    modified within two seconds of that build, keeps its recorded hash.
    """
    known = previous.inputs if previous is not None else {}
    settled_before = (previous.written_ns if previous is not None else 0) - _RACY_NS
    stamps: dict[str, Stamp] = {}
    for label, root in roots:
        for relative, (size, mtime_ns) in output_stamps(root).items():
            name = f"{label}/{relative}"
            old = known.get(name)
            if old is not None and old[0] == size and old[1] == mtime_ns < settled_before:
                stamps[name] = old
            else:
                stamps[name] = (size, mtime_ns, hashlib.sha256(root.joinpath(relative).read_bytes()).hexdigest())
    return stamps


def output_stamps(output_dir: Path) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file of the published site (symlinks followed, as a server would)."""
    stamps: dict[str, tuple[int, int]] = {}
    for relative, entry in tree_files(output_dir):
        if entry.is_file():
            info = entry.stat()
            stamps[relative] = (info.st_size, info.st_mtime_ns)
    return stamps


def outputs_intact(output_dir: Path, outputs: dict[str, tuple[int, int]]) -> bool:
    """True when every file of ``outputs`` is still a regular file of the size and mtime it was published with.

    One ``stat`` per file, no folder read: about a fifth of the time of
    walking the tree (one folder per page). A site of many files is checked
    in two halves on two threads: ``stat`` lets go of the interpreter while
    the kernel works, so the halves overlap (1.35 times faster on 7,600 and
    on 23,000 files; a no-op build of 1,000 parks spends most of its time
    here).
    """
    root = os.fspath(output_dir) + os.sep
    stamps = list(outputs.items())
    if len(stamps) < THREADED_CHECK_FROM:
        return _stamps_intact(root, stamps)
    half = len(stamps) // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        return all(pool.map(partial(_stamps_intact, root), (stamps[:half], stamps[half:])))


THREADED_CHECK_FROM = 4096  # published files from which outputs_intact uses two threads


def _stamps_intact(root: str, stamps: list[tuple[str, tuple[int, int]]]) -> bool:
    for relative, (size, mtime_ns) in stamps:
        try:
            info = os.stat(root + relative)
        except (OSError, ValueError):  # ValueError: a damaged record (a NUL, a lone surrogate)
            return False
        if info.st_size != size or info.st_mtime_ns != mtime_ns or not stat.S_ISREG(info.st_mode):
            return False
    return True


def unchanged_since(cache: BuildCache, inputs: dict[str, Stamp], output_dir: Path) -> bool:
    """True when the inputs hash as before and every published file is as it was published."""
    same_inputs = {name: stamp[2] for name, stamp in inputs.items()} == {n: s[2] for n, s in cache.inputs.items()}
    return same_inputs and bool(cache.outputs) and outputs_intact(output_dir, cache.outputs)


PACKAGE_DIR = Path(__file__).resolve().parent


class Incremental:
    """The cache as one build uses it: open before loading, consult while rendering, save after publishing."""

    def __init__(self, output_dir: Path, content_dir: Path, templates_dir: Path | None, options: Iterable[object],
                 enabled: bool = True) -> None:
        self.output_dir = output_dir
        roots = [PACKAGE_DIR] + ([templates_dir] if templates_dir is not None else [])
        self.key = build_key(options, roots)
        self.previous = load_cache(output_dir, self.key) if enabled and output_dir.is_dir() else None
        self.enabled = enabled
        labelled = [("content", content_dir)] + ([("templates", templates_dir)] if templates_dir is not None else [])
        self.inputs = input_stamps(labelled, self.previous) if enabled else {}
        self.pages: dict[str, PageRecord] = {}
        self.scans: dict[str, Scan] = {}
        self.rendered = 0  # pages rendered (not kept from the previous site)
        self._previous_scans: dict[str, Scan] | None = None
        self._loaded_scans: LoadedScans | None = None
        self._blocks: DownloadBlocks | None = None

    @property
    def content_cache_dir(self) -> Path | None:
        """Where parsed content files are kept by their hash (shared by the outputs of one folder); None without a cache."""
        return self.output_dir.parent / CACHE_DIR / "content" if self.enabled else None

    def unchanged(self) -> bool:
        """True when nothing the site is made of changed and the published site is intact: nothing to do."""
        return self.previous is not None and unchanged_since(self.previous, self.inputs, self.output_dir)

    @property
    def known_pages(self) -> dict[str, PageRecord]:
        """The previous build's pages (read on first use: a no-op build never needs them)."""
        if self.previous is None:
            return {}
        if not self.previous.pages:
            self.previous.pages = load_pages(self.output_dir, self.previous)
        return self.previous.pages

    def template_bytecode(self, environment: str) -> BytecodeCache | None:
        """Compiled templates of one Jinja environment (an edition), kept beside the cache for this build key.

        One folder per environment: Jinja folds filters of constants while
        compiling, so an edition's compiled template holds its own language.
        """
        if not self.enabled:
            return None
        folder = cache_file(self.output_dir).parent / f"{self.output_dir.name}.jinja-{self.key[:16]}"
        try:
            for old in folder.parent.glob(f"{self.output_dir.name}.jinja-*"):
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return FileSystemBytecodeCache(str(folder), f"{environment}-%s.cache")

    def download_blocks(self, digests: Mapping[str, str]) -> DownloadBlocks | None:
        """Where this build keeps each park's download rows, by its park's ``digests``; None without a cache."""
        if not self.enabled:
            return None
        self._blocks = DownloadBlocks(blocks_dir(self.output_dir), self.key, digests)
        return self._blocks

    def previous_scans(self) -> dict[str, Scan]:
        """The links and anchors of the previous build's pages, by the hash of their HTML (read once)."""
        if self._previous_scans is None:
            self._loaded_scans = load_scan_files(self.output_dir, self.key) if self.previous is not None else None
            self._previous_scans = self._loaded_scans.pages if self._loaded_scans is not None else {}
        return self._previous_scans

    def pages_to_check(self, paths: set[str], ids: Mapping[str, Collection[str]], added_later: str = "") -> set[str] | None:
        """The pages whose links this build must check, or None for every page.

        The previous site was published with every link sound. A page this
        build recorded with the same HTML as then still has sound links as
        long as no file of that site is gone and no page lost an anchor; so
        when both hold, only the pages whose HTML changed are checked.
        ``paths`` are the new site's files so far, ``ids`` each page's
        anchors; files under ``added_later`` (the search bundle) are added
        after the check, so no link was checked against them.
        """
        if self.previous is None or not self.previous.outputs:
            return None
        gone = set(self.previous.outputs) - paths
        if any(not added_later or not name.startswith(added_later) for name in gone):
            return None
        known, scans = self.known_pages, self.previous_scans()
        if any(name not in self.pages for name in ids if name in self.previous.outputs):
            return None  # a page of the last site without a record (no digest): whether it lost an anchor is unknown
        changed = set()
        for output_file, (_, sha, _) in self.pages.items():
            before = known.get(output_file)
            if before is not None and before[1] == sha:
                continue
            changed.add(output_file)
            if before is not None:
                scan = scans.get(before[1])
                if scan is None or not set(scan[0]).issubset(ids.get(output_file, ())):
                    return None
        return changed | (set(ids) - set(self.pages))

    def shared(self, output_sha: str, scan: Scan) -> Scan:
        """The scan this process holds for a page it got from a worker: the last build's of the same HTML when
        there is one (read back, its strings already shared), else ``scan`` with its strings interned.

        A worker's scans come pickled, each batch of pages with its own copies of the links every page
        repeats (the navigation, a park's pages); interned, each distinct link is held once.
        """
        known = self._previous_scans.get(output_sha) if self._previous_scans else None
        return known if known is not None else shared_scan(scan)

    def record(self, output_file: str, digest: str | None, output_sha: str, scan: Scan | None = None,
               scope: str | None = None) -> None:
        """Remember one page of this build; ``scan`` as :meth:`shared` gives it (the link checker holds the same)."""
        if digest is not None:
            self.pages[output_file] = (digest, output_sha, scope)
            if scan is not None and self.enabled and output_sha not in self.scans:
                self.scans[output_sha] = scan

    def save(self, pages_by_kind: dict[str, int], published: dict[str, tuple[int, int]] | None = None) -> None:
        """Remember this build (after it was published); without a cache, forget any old one.

        ``published`` is the stamp of every file as it was staged (a rename
        keeps them); without it the published tree is walked.
        """
        if not self.enabled:
            discard_cache(self.output_dir)
            return
        stamps = published if published is not None else output_stamps(self.output_dir)
        save_cache(self.output_dir, BuildCache(self.key, self.inputs, self.pages, stamps, pages_by_kind, time.time_ns()))
        save_scans(self.output_dir, self.key, self.scans, self._loaded_scans)
        if self._blocks is not None:
            self._blocks.prune()
