"""Load a content directory into typed models, collecting every problem.

Layout::

    content/
      metrics.yaml           the metric vocabulary (and extra units)
      parks/<id>.yaml        one park (with its projects) per file
      reports/<id>.yaml      one source report and its facts per file
      sources/<id>.txt       the cleaned source text quotes refer to
      sources/<id>.orig.*    the original, verbatim

Loading stops at nothing: every file is read and every problem collected.
Cross-file rules (references, quotes) live in :mod:`parkreport.validate`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .model import MetricsFile, Park, Report
from .yamlreader import YamlDocument, YamlProblems, decode_utf8, dotted, read_yaml_bytes

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_SOURCE_BYTES = 8 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadedFile:
    """A content file that parsed and validated."""

    path: str  # relative to the content root, with forward slashes
    document: YamlDocument
    model: Any


@dataclass
class RawContent:
    """Everything read from a content directory, before cross-file checks."""

    root: Path
    metrics: LoadedFile | None = None
    parks: list[LoadedFile] = field(default_factory=list)
    reports: list[LoadedFile] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # file name -> text
    problems: list[Problem] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # relative paths that failed


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
    """Read a content file, refusing symlinks out of the root and oversized files."""
    shown = _display(root, _rel(root, path))
    try:
        resolved = path.resolve(strict=True)
        if not resolved.is_relative_to(root.resolve()):
            problems.append(Problem(shown, 0, 0, "", "is a link to a file outside the content directory; copy the file in instead"))
            return None
        size = resolved.stat().st_size
        if size > limit:
            problems.append(
                Problem(shown, 0, 0, "", f"is {size:,} bytes, over the limit of {limit:,}; split it into smaller files")
            )
            return None
        return resolved.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, 0, 0, "", f"cannot be read: {exc.strerror or exc}"))
        return None


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Names of the fields allowed at ``loc`` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else type(value).__name__


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Keep the parts of a pydantic error location that address the data."""
    out: list[Any] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            out.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and not part.startswith(("function-", "union[", "nullable", "literal[")):
            out.append(part)  # a missing or extra key
            current = None
    return tuple(out)


def _message(error: dict[str, Any], model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "parkreport":
        return error["msg"]
    if kind == "missing":
        return f"required field '{loc[-1]}' is missing"
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        return f"unknown field '{loc[-1]}'{hint}; allowed fields: {', '.join(allowed)}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, got {_describe(value)}"
    if kind == "string_type":
        return f"expected text, got {_describe(value)}; quote it if it is meant as text"
    if kind == "bool_type":
        return f"expected true or false, got {_describe(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_describe(value)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {_describe(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of fields, got {_describe(value)}"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"{error['msg']} (got {_describe(value)})"


def validate_document(document: YamlDocument, model: type[BaseModel], shown: str) -> tuple[Any, list[Problem]]:
    """Validate a parsed YAML document against ``model``; locate every error."""
    if not isinstance(document.data, dict):
        what = "empty" if document.data is None else f"{_describe(document.data)}"
        return None, [Problem(shown, 1, 1, "", f"expected a mapping of fields at the top of the file, got {what}")]
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = _data_loc(document.data, tuple(error["loc"]))
            line, column = document.locate(loc, key=error["type"] == "extra_forbidden")
            problems.append(Problem(shown, line, column, dotted(loc), _message(error, model, loc)))
        return None, problems


def _load_yaml(raw_content: RawContent, path: Path, model: type[BaseModel]) -> LoadedFile | None:
    rel = _rel(raw_content.root, path)
    shown = _display(raw_content.root, rel)
    raw = read_limited(raw_content.root, path, MAX_YAML_BYTES, raw_content.problems)
    if raw is None:
        raw_content.broken.add(rel)
        return None
    try:
        document = read_yaml_bytes(raw, shown)
    except YamlProblems as exc:
        raw_content.problems.extend(exc.problems)
        raw_content.broken.add(rel)
        return None
    loaded, problems = validate_document(document, model, shown)
    if problems:
        raw_content.problems.extend(problems)
        raw_content.broken.add(rel)
        return None
    return LoadedFile(rel, document, loaded)


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith("."))


def load_raw(root: Path) -> RawContent:
    """Read and validate every file under ``root``; never raises for bad content."""
    root = Path(root)
    content = RawContent(root=root)
    if not root.is_dir():
        content.problems.append(Problem(str(root), 0, 0, "", "content directory not found; run 'parkreport new site' to start one"))
        return content
    metrics_path = root / "metrics.yaml"
    if metrics_path.exists():
        content.metrics = _load_yaml(content, metrics_path, MetricsFile)
    else:
        content.problems.append(
            Problem(_display(root, "metrics.yaml"), 0, 0, "", "missing: the metric vocabulary is required (see content/README.md)")
        )
    for path in _yaml_files(root / "parks"):
        loaded = _load_yaml(content, path, Park)
        if loaded:
            content.parks.append(loaded)
    for path in _yaml_files(root / "reports"):
        loaded = _load_yaml(content, path, Report)
        if loaded:
            content.reports.append(loaded)
    sources = root / "sources"
    if sources.is_dir():
        for path in sorted(sources.iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue
            raw = read_limited(root, path, MAX_SOURCE_BYTES, content.problems)
            if raw is None:
                continue
            if ".orig." in path.name:
                # Originals are kept verbatim and may be in a legacy encoding.
                content.sources[path.name] = _decode_original(raw)
                continue
            try:
                content.sources[path.name] = decode_utf8(raw, _display(root, _rel(root, path))).replace("\r\n", "\n")
            except YamlProblems as exc:
                content.problems.extend(exc.problems)
    return content


def _decode_original(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


display_path = _display
