"""Load a content directory into typed models, collecting every problem.

Layout::

    content/
      metrics.yaml           the metric vocabulary (and extra units)
      parks/<id>.yaml        one park (with its projects) per file
      reports/<id>.yaml      one source report and its facts per file
      sources/<id>.txt       the cleaned source text quotes refer to
      sources/<id>.orig.*    the original, verbatim

Loading stops at nothing: every file is read and every problem collected.
A file whose only problems sit inside entries of its lists (one bad
indicator, one bad project), in unknown keys or in optional fields is still
loaded without those parts (see :mod:`parkreport.modelcheck`, which checks
one document against the model), so that the rest of it gets cross-checked;
the ids of whatever failed are remembered so that references to them do not
cascade into "unknown id" problems. Cross-file rules (references, quotes)
live in :mod:`parkreport.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .errors import ContentError, Problem
from .model import MetricsFile, Park, Report
from .modelcheck import validate_entries
from .yamlreader import YamlDocument, decode_utf8, read_yaml_bytes

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_SOURCE_BYTES = 8 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadedFile:
    """A content file that parsed and validated (perhaps without its bad entries)."""

    path: str  # relative to the content root, with forward slashes
    document: YamlDocument
    model: Any
    #: For lists that lost bad entries: the index in the file of each kept entry.
    kept: dict[str, list[int]] = field(default_factory=dict)

    def file_loc(self, loc: tuple[Any, ...]) -> tuple[Any, ...]:
        """Translate a location in ``model`` into the location in the file."""
        if len(loc) >= 2 and loc[0] in self.kept and isinstance(loc[1], int):
            return (loc[0], self.kept[loc[0]][loc[1]], *loc[2:])
        return loc


@dataclass
class RawContent:
    """Everything read from a content directory, before cross-file checks."""

    root: Path
    metrics: LoadedFile | None = None
    parks: list[LoadedFile] = field(default_factory=list)
    reports: list[LoadedFile] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # file name -> text
    problems: list[Problem] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # relative paths with problems
    #: Ids declared by files or entries that failed to load: references to
    #: them are not reported again as unknown.
    unresolved: set[str] = field(default_factory=set)


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _display(root: Path, rel: str) -> str:
    """How a problem names a file: relative to the working directory if possible."""
    full = root / rel
    try:
        return full.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return full.as_posix()


def read_limited(root: Path, path: Path, limit: int, problems: list[Problem]) -> bytes | None:
    """Read a content file, refusing links out of the root, non-files and oversized files."""
    shown = _display(root, _rel(root, path))
    try:
        resolved = path.resolve(strict=True)
        if not resolved.is_relative_to(root.resolve()):
            problems.append(Problem(shown, 0, 0, "", "is a link to a file outside the content directory; copy the file in instead"))
            return None
        if not resolved.is_file():
            problems.append(Problem(shown, 0, 0, "", "is not a regular file; content files must be plain files"))
            return None
        with resolved.open("rb") as stream:
            raw = stream.read(limit + 1)
    except OSError as exc:
        problems.append(Problem(shown, 0, 0, "", f"cannot be read: {exc.strerror or exc}"))
        return None
    if len(raw) > limit:
        size = max(len(raw), _size(resolved))
        problems.append(Problem(shown, 0, 0, "", f"is {size:,} bytes, over the limit of {limit:,}; split it into smaller files"))
        return None
    return raw


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _load_yaml(content: RawContent, path: Path, model: type[BaseModel]) -> LoadedFile | None:
    rel = _rel(content.root, path)
    shown = _display(content.root, rel)
    content.unresolved.add(path.stem)  # until the file proves itself
    raw = read_limited(content.root, path, MAX_YAML_BYTES, content.problems)
    if raw is None:
        content.broken.add(rel)
        return None
    try:
        document = read_yaml_bytes(raw, shown)
    except ContentError as error:
        content.problems.extend(error.problems)
        content.broken.add(rel)
        return None
    result = validate_entries(document, model, shown)
    content.problems.extend(result.problems)
    content.unresolved |= result.failed_ids
    if result.problems:
        content.broken.add(rel)
    if result.model is None:
        return None
    content.unresolved.discard(path.stem)
    document.data = None  # the model holds the content now; positions come from the text
    return LoadedFile(rel, document, result.model, result.kept)


def _listing(content: RawContent, folder: Path) -> list[Path]:
    """The visible entries of a content folder, sorted; an unreadable folder is a problem."""
    if not folder.is_dir():
        return []
    try:
        return sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        shown = _display(content.root, _rel(content.root, folder))
        content.problems.append(Problem(shown, 0, 0, "", f"folder cannot be read: {exc.strerror or exc}"))
        return []


def _yaml_files(content: RawContent, folder: Path) -> list[Path]:
    return [p for p in _listing(content, folder) if p.suffix in YAML_SUFFIXES]


def load_raw(root: Path) -> RawContent:
    """Read and validate every file under ``root``; never raises for bad content."""
    root = Path(root)
    content = RawContent(root=root)
    if not root.is_dir():
        content.problems.append(Problem(str(root), 0, 0, "", "content directory not found; run 'parkreport new site' to start one"))
        return content
    metrics_path = root / "metrics.yaml"
    if metrics_path.exists() or metrics_path.is_symlink():
        content.metrics = _load_yaml(content, metrics_path, MetricsFile)
    else:
        content.problems.append(
            Problem(_display(root, "metrics.yaml"), 0, 0, "", "missing: the metric vocabulary is required; copy the standard one that 'parkreport new site' writes")
        )
    for path in _yaml_files(content, root / "parks"):
        loaded = _load_yaml(content, path, Park)
        if loaded:
            content.parks.append(loaded)
    for path in _yaml_files(content, root / "reports"):
        loaded = _load_yaml(content, path, Report)
        if loaded:
            content.reports.append(loaded)
    _load_sources(content)
    content.problems = sorted(set(content.problems))
    return content


def _load_sources(content: RawContent) -> None:
    """Read content/sources/: cleaned texts strictly as UTF-8, originals as they come."""
    folder = content.root / "sources"
    if not folder.is_dir():
        return
    for path in _listing(content, folder):
        if not (path.is_file() or path.is_symlink()):
            continue
        raw = read_limited(content.root, path, MAX_SOURCE_BYTES, content.problems)
        if raw is None:
            content.broken.add(_rel(content.root, path))
            continue
        if ".orig." in path.name:
            # Originals are kept verbatim and may be in a legacy encoding.
            content.sources[path.name] = _decode_original(raw)
            continue
        try:
            content.sources[path.name] = decode_utf8(raw, _display(content.root, _rel(content.root, path))).replace("\r\n", "\n")
        except ContentError as error:
            content.problems.extend(error.problems)
            content.broken.add(_rel(content.root, path))


def _decode_original(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


display_path = _display
