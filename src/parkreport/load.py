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

With a :class:`~parkreport.contentcache.ContentCache`, what parsing and
validating a file gave is looked up by the hash of its bytes, so a file
that did not change is not parsed again.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .contentcache import NO_CACHE, ContentCache, file_digest
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
    digests: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 of its bytes
    cache: ContentCache = NO_CACHE
    folders_inside: dict[Path, bool] = field(default_factory=dict)
    field_sets: dict[frozenset[str], set[str]] = field(default_factory=dict)
    _resolved_root: Path | None = None
    _shown_root: str | None = None

    @property
    def resolved_root(self) -> Path:
        """The root with links resolved (computed once: every file is checked against it)."""
        if self._resolved_root is None:
            self._resolved_root = self.root.resolve()
        return self._resolved_root

    def shown(self, rel: str) -> str:
        """How a problem names the file at ``rel`` (as :func:`_display`, with the root's part computed once)."""
        if self._shown_root is None:
            self._shown_root = _display(self.root, ".")
        if self._shown_root == ".":
            return rel
        return self._shown_root.rstrip("/") + "/" + rel


@dataclass
class ParsedFile:
    """What parsing and validating one file's bytes gave; the unit the content cache stores."""

    model: Any
    problems: list[tuple[int, int, str, str]]  # line, column, field, message (the path is the caller's)
    kept: dict[str, list[int]] = field(default_factory=dict)
    failed_ids: set[str] = field(default_factory=set)


def _rel(root: Path, path: Path) -> str:
    """``path`` relative to ``root``, with forward slashes.

    The loader makes its paths by joining names to the root, so cutting the
    root's text off gives the same as ``relative_to`` at a fraction of its
    cost (a load asks this about 80,000 times at 1,000 parks).
    """
    head, text = str(root), str(path)
    if text.startswith(head) and text[len(head):len(head) + 1] == os.sep and len(text) > len(head) + 1:
        return text[len(head) + 1:].replace(os.sep, "/")
    return path.relative_to(root).as_posix()


def _display(root: Path, rel: str) -> str:
    """How a problem names a file: relative to the working directory if possible."""
    full = root / rel
    try:
        return full.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return full.as_posix()


def read_limited(content: RawContent, path: Path, limit: int) -> bytes | None:
    """Read a content file, refusing links out of the root, non-files and oversized files."""
    shown = content.shown(_rel(content.root, path))
    try:
        # A plain file (not a link) in a folder inside the root is inside the root:
        # only links need resolving, which costs a system call per path part.
        plain = _plain_file(path) and _inside(content, path.parent)
        resolved = path if plain else path.resolve(strict=True)
        if not plain and not resolved.is_relative_to(content.resolved_root):
            content.problems.append(Problem(shown, 0, 0, "", "is a link to a file outside the content directory; copy the file in instead"))
            return None
        if not plain and not resolved.is_file():  # a plain file was just seen to be a regular file
            content.problems.append(Problem(shown, 0, 0, "", "is not a regular file; content files must be plain files"))
            return None
        with resolved.open("rb") as stream:
            raw = stream.read(limit + 1)
    except OSError as exc:
        content.problems.append(Problem(shown, 0, 0, "", f"cannot be read: {exc.strerror or exc}"))
        return None
    if len(raw) > limit:
        size = max(len(raw), _size(resolved))
        content.problems.append(Problem(shown, 0, 0, "", f"is {size:,} bytes, over the limit of {limit:,}; split it into smaller files"))
        return None
    return raw


def _plain_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _inside(content: RawContent, folder: Path) -> bool:
    """Whether ``folder``, links resolved, lies inside the content root (remembered per folder)."""
    known = content.folders_inside.get(folder)
    if known is None:
        try:
            known = folder.resolve(strict=True).is_relative_to(content.resolved_root)
        except OSError:
            known = False
        content.folders_inside[folder] = known
    return known


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def parse_file(raw: bytes, shown: str, model: type[BaseModel]) -> ParsedFile:
    """Parse and validate one YAML file's bytes (``shown`` names it in problems)."""
    try:
        document = read_yaml_bytes(raw, shown)
    except ContentError as error:
        return ParsedFile(None, [_unplaced(problem) for problem in error.problems])
    result = validate_entries(document, model, shown)
    return ParsedFile(result.model, [_unplaced(problem) for problem in result.problems], result.kept, result.failed_ids)


def _unplaced(problem: Problem) -> tuple[int, int, str, str]:
    return problem.line, problem.column, problem.field, problem.message


def _parsed(content: RawContent, raw: bytes, shown: str, model: type[BaseModel]) -> ParsedFile:
    """:func:`parse_file`, looked up in the content cache first."""
    key = content.cache.key("yaml", model.__name__, file_digest(raw))
    parsed = content.cache.get(key)
    if not isinstance(parsed, ParsedFile):
        parsed = parse_file(raw, shown, model)
        if parsed.model is not None:
            # Pickling keeps the sharing within a pack of the cache: done once, not at every load.
            share_field_sets(parsed.model, content.field_sets)
        content.cache.put(key, parsed)
    return parsed


def _load_yaml(content: RawContent, path: Path, model: type[BaseModel]) -> LoadedFile | None:
    rel = _rel(content.root, path)
    shown = content.shown(rel)
    content.unresolved.add(path.stem)  # until the file proves itself
    raw = read_limited(content, path, MAX_YAML_BYTES)
    if raw is None:
        content.broken.add(rel)
        return None
    content.digests[rel] = file_digest(raw)
    result = _parsed(content, raw, shown, model)
    content.problems.extend(Problem(shown, *problem) for problem in result.problems)
    content.unresolved |= result.failed_ids
    if result.problems:
        content.broken.add(rel)
    if result.model is None:
        return None
    content.unresolved.discard(path.stem)
    # The model holds the content now; positions, if a problem needs one, come from the text.
    document = YamlDocument(shown, None, decode_utf8(raw, shown))
    return LoadedFile(rel, document, result.model, result.kept)


def share_field_sets(model: BaseModel, shared: dict[frozenset[str], set[str]]) -> None:
    """Let models that set the same fields share one set of their names.

    pydantic keeps, in every model, the set of the fields the input gave:
    larger than the model's own values (728 bytes for an indicator's six
    names), and the same few sets over and over in a corpus. The content
    models are frozen, so that set never changes once validated.
    """
    stack: list[BaseModel] = [model]
    while stack:
        item = stack.pop()
        names = item.__pydantic_fields_set__
        one = shared.setdefault(frozenset(names), names)
        if one is not names:
            object.__setattr__(item, "__pydantic_fields_set__", one)
        for value in item.__dict__.values():
            if isinstance(value, BaseModel):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(entry for entry in value if isinstance(entry, BaseModel))


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


def load_raw(root: Path, cache: ContentCache | None = None) -> RawContent:
    """Read and validate every file under ``root``; never raises for bad content.

    With ``cache``, a file whose bytes were parsed before is not parsed again.
    """
    root = Path(root)
    content = RawContent(root=root, cache=cache or NO_CACHE)
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
        raw = read_limited(content, path, MAX_SOURCE_BYTES)
        if raw is None:
            content.broken.add(_rel(content.root, path))
            continue
        content.digests[_rel(content.root, path)] = file_digest(raw)
        if ".orig." in path.name:
            # Originals are kept verbatim and may be in a legacy encoding.
            content.sources[path.name] = _decode_original(raw)
            continue
        try:
            content.sources[path.name] = decode_utf8(raw, content.shown(_rel(content.root, path))).replace("\r\n", "\n")
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
