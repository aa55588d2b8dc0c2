"""``parkreport ingest``: a raw source file into the content layout.

Reads a raw document (plain text or an HTML fragment), cleans it with
:func:`parkreport.cleaning.clean_source`, and writes three files to
``<content>/sources/``:

* ``<id>.txt``: the cleaned text quotes refer to (UTF-8, paragraphs separated
  by one blank line, ending with a newline);
* ``<id>.orig.html`` or ``<id>.orig.txt``: the original bytes, verbatim;
* ``<id>.removed.txt``: the site chrome taken out, one item a line, so that
  nothing is silently lost.

Existing files are never overwritten unless ``force`` is given.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .cleaning import CleanCounts, CleanResult, clean_source
from .errors import IngestError
from .fieldtypes import Slug

MAX_RAW_BYTES = 8 * 1024 * 1024
FILE_MODE = 0o644  # mkstemp's 0600 would hide sources from a web server or a colleague
_SLUG_ADAPTER: TypeAdapter[str] = TypeAdapter(Slug)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class IngestReport:
    """What ``ingest`` read and wrote."""

    report_id: str
    encoding: str
    source_path: Path
    original_path: Path
    removed_path: Path
    characters: int
    removed_lines: int
    counts: CleanCounts
    suggestions: dict[str, str] = field(default_factory=dict)


def decode_raw(data: bytes) -> tuple[str, str]:
    """Decode ``data`` as UTF-8 (with or without BOM), else GB18030; name the encoding."""
    if b"\x00" in data:
        raise IngestError("the file holds NUL bytes: it looks binary, not text or HTML")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError as exc:
            raise IngestError(f"the file starts with a UTF-8 BOM but is not valid UTF-8 ({exc.reason} at byte {exc.start + 3})") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"the file is neither UTF-8 nor GB18030 (invalid byte at offset {exc.start}); "
            "convert it to UTF-8 first"
        ) from None


def default_report_id(raw_path: Path) -> str:
    """The slug of the file's stem ("Puyang 2023_H1.html" → puyang-2023-h1).

    A kept original ("puyang-2023-h1.orig.txt") gives its report's id, so an
    original can be ingested again in place to regenerate its source text.
    """
    stem = raw_path.stem.removesuffix(".orig")
    slug = _NOT_SLUG.sub("-", stem.lower()).strip("-")[:64].strip("-")
    if not slug or any(char.isalnum() and not char.isascii() for char in stem):
        raise IngestError(f"cannot make an id from the file name '{raw_path.name}'; give one with --id (e.g. --id puyang-2023-h1)")
    return slug


def check_report_id(report_id: str) -> str:
    try:
        return _SLUG_ADAPTER.validate_python(report_id)
    except ValidationError as exc:
        raise IngestError(exc.errors(include_url=False)[0]["msg"]) from None


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(raw_path: Path) -> bytes:
    try:
        size = raw_path.stat().st_size
        if size > MAX_RAW_BYTES:
            raise IngestError(f"{raw_path}: {size:,} bytes is over the limit of {MAX_RAW_BYTES:,}; split the document")
        return raw_path.read_bytes()
    except IsADirectoryError:
        raise IngestError(f"{raw_path}: is a directory, not a file") from None
    except OSError as exc:
        raise IngestError(f"{raw_path}: cannot be read: {exc.strerror or exc}") from None


def _targets(sources: Path, report_id: str) -> dict[str, Path]:
    return {
        "source": sources / f"{report_id}.txt",
        "html": sources / f"{report_id}.orig.html",
        "text": sources / f"{report_id}.orig.txt",
        "removed": sources / f"{report_id}.removed.txt",
    }


def _write_sources(targets: dict[str, Path], result: CleanResult, data: bytes) -> Path:
    """Write the cleaned text, the original and the removed chrome; return the original's path."""
    original = targets["html"] if result.is_html else targets["text"]
    stale = targets["text"] if result.is_html else targets["html"]
    removed = "".join(f"{line}\n" for line in result.removed)
    try:
        original.parent.mkdir(exist_ok=True)
        _write_atomically(targets["source"], result.text.encode("utf-8"))
        _write_atomically(original, data)
        _write_atomically(targets["removed"], removed.encode("utf-8"))
        stale.unlink(missing_ok=True)
    except OSError as exc:
        raise IngestError(f"cannot write to {original.parent}: {exc.strerror or exc}") from None
    return original


def ingest(raw_path: Path, content_dir: Path, report_id: str | None = None, force: bool = False) -> IngestReport:
    """Clean ``raw_path`` and write its three files under ``content_dir/sources``.

    Raises :class:`IngestError` when the file cannot be read or decoded, the
    id is not a valid slug, the content directory is missing, or a file
    would be overwritten without ``force``.
    """
    raw_path, content_dir = Path(raw_path), Path(content_dir)
    report_id = check_report_id(report_id if report_id is not None else default_report_id(raw_path))
    if not content_dir.is_dir():
        raise IngestError(f"content directory {content_dir} not found; create it or pass --content DIR")
    sources = content_dir / "sources"
    targets = _targets(sources, report_id)
    existing = [path for path in targets.values() if path.exists()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        raise IngestError(f"{names} already exist{'s' if len(existing) == 1 else ''}; pass --force to overwrite")
    data = _read(raw_path)
    text, encoding = decode_raw(data)
    result = clean_source(text)
    if not result.text.strip():
        raise IngestError(f"{raw_path}: no text left after cleaning; is it the right file?")
    original = _write_sources(targets, result, data)
    suggestions = result.suggestions.as_fields()
    if result.is_html:
        suggestions["original"] = original.name
    return IngestReport(
        report_id=report_id,
        encoding=encoding,
        source_path=targets["source"],
        original_path=original,
        removed_path=targets["removed"],
        characters=len(result.text.rstrip("\n")),
        removed_lines=len(result.removed),
        counts=result.counts,
        suggestions=suggestions,
    )
