"""The parsed-content cache: what parsing and checking a file gave, by its hash.

Loading a large corpus is mostly parsing YAML with positions and validating
it against the model; both depend only on the bytes of the file. So each
result is stored under a key made of the sha256 of those bytes, the package
version, :data:`SCHEMA` and a fingerprint of the modules that parse and
validate (so a changed model never meets an entry made by the old one).
Costly cross-file results that depend on two files (which quotes of a report
occur in its source text) are keyed by both hashes.

Entries are kept in packs (see :class:`ContentCache`). A pack is one file: a
magic line, the sha256 of the payload, then the pickled ``{key: value}``. A
pack that is truncated, corrupted, holds entries of other keys, or values of
the wrong shape (checked by the caller) is ignored and rewritten; entries of
another version have other keys and are never looked up. The cache can only
make loading faster, never change what it gives. Writing is atomic (a
temporary file renamed into place) and a cache that cannot be written
(read-only disk, full disk) is silently skipped.

The cache lives in a folder of the user's own build (beside the output), as
trusted as the content and templates next to it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

SCHEMA = 1
MAGIC = b"parkreport-content-cache\n"
_DIGEST_SIZE = 32

# The modules whose code decides what a parsed or checked file gives.
_CODE = ("model.py", "modelcheck.py", "yamlreader.py", "fieldtypes.py", "periods.py", "units.py", "quotes.py",
         "contentcache.py", "load.py")


def file_digest(raw: bytes) -> str:
    """The sha256 of a file's bytes, in hex."""
    return hashlib.sha256(raw).hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """Package version, cache schema and a hash of the parsing code."""
    from . import __version__  # imported late: the package imports the loader, which imports this

    digest = hashlib.sha256(f"{__version__}\0{SCHEMA}\0".encode())
    here = Path(__file__).parent
    for name in _CODE:
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - a packaged install always has its modules
            digest.update(name.encode())
    return digest.hexdigest()


class ContentCache:
    """Cached results by key, in ``directory``; ``None`` means no cache at all.

    Entries are grouped in 256 packs by the first two hex digits of their
    key, so a load reads 256 files rather than one per content file, and an
    edit rewrites only the packs whose entries changed. A rewritten pack
    keeps only the entries this load looked up: stale ones go with it.
    """

    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.hits = 0
        self.misses = 0
        self._packs: dict[str, dict[str, Any]] = {}
        self._used: dict[str, set[str]] = {}
        self._dirty: set[str] = set()

    def key(self, kind: str, *parts: str) -> str:
        """The key of a result of ``kind`` computed from ``parts`` (file hashes, names)."""
        text = "\0".join((code_fingerprint(), kind, *parts))
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``, or None if absent or not trustworthy."""
        if self.directory is None:
            return None
        name = key[:2]
        pack = self._pack(name)
        self._used.setdefault(name, set()).add(key)
        value = pack.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``; written by :meth:`flush`."""
        if self.directory is None:
            return
        name = key[:2]
        self._pack(name)[key] = value
        self._used.setdefault(name, set()).add(key)
        self._dirty.add(name)

    def flush(self) -> None:
        """Write the packs that changed; a cache that cannot be written is skipped."""
        if self.directory is None:
            return
        for name in sorted(self._dirty):
            used = self._used.get(name, set())
            entries = {key: value for key, value in self._pack(name).items() if key in used}
            self._write(self.directory / f"{name}.pack", entries)
        self._dirty.clear()

    def _pack(self, name: str) -> dict[str, Any]:
        pack = self._packs.get(name)
        if pack is None:
            assert self.directory is not None
            pack = self._packs[name] = _read_pack(self.directory / f"{name}.pack")
            if pack is _DAMAGED:
                pack = self._packs[name] = {}
                self._dirty.add(name)
        return pack

    @staticmethod
    def _write(path: Path, entries: dict[str, Any]) -> None:
        write_sealed(path, MAGIC, entries)


_DAMAGED: dict[str, Any] = {}


def _read_pack(path: Path) -> dict[str, Any]:
    """The entries of one pack; ``{}`` if there is none, :data:`_DAMAGED` if it cannot be trusted."""
    try:
        entries = read_sealed(path, MAGIC)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return _DAMAGED
    if not isinstance(entries, dict) or not all(isinstance(key, str) and key.startswith(path.stem) for key in entries):
        return _DAMAGED
    return entries


def write_sealed(path: Path, magic: bytes, value: Any) -> bool:
    """Write ``value`` pickled after ``magic`` and the payload's sha256, atomically; False if it cannot be."""
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a value that cannot be pickled: no cache, same result
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(magic)
                stream.write(hashlib.sha256(payload).digest())
                stream.write(payload)
            if path.is_dir() and not path.is_symlink():  # a folder where the file goes (it never is one)
                shutil.rmtree(path, ignore_errors=True)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def read_sealed(path: Path, magic: bytes) -> Any:
    """What :func:`write_sealed` wrote to ``path``.

    Raises OSError when it cannot be read (FileNotFoundError when there is
    none) and ValueError when it is not such a file, is truncated or
    corrupted, or does not unpickle.
    """
    blob = path.read_bytes()
    head = len(magic)
    if not blob.startswith(magic) or len(blob) < head + _DIGEST_SIZE:
        raise ValueError(f"{path.name}: not a sealed file")
    payload = memoryview(blob)[head + _DIGEST_SIZE:]
    if hashlib.sha256(payload).digest() != blob[head:head + _DIGEST_SIZE]:
        raise ValueError(f"{path.name}: damaged")
    try:
        return pickle.loads(payload)
    except Exception as error:  # pickled by other code
        raise ValueError(f"{path.name}: does not unpickle") from error


NO_CACHE = ContentCache(None)
