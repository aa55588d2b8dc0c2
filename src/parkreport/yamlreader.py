"""Strict, located YAML reading.

PyYAML's loaders forget where values came from, silently keep the last of two
duplicate keys, expand aliases (the "billion laughs") and apply YAML 1.1's
surprises (``no`` is False, ``0123`` is 83, ``1:30`` is 90). This module builds
plain Python values straight from libyaml's event stream instead, so that it
stays fast (the C parser does the work) while it:

- records the line and column of every key and value, by path;
- rejects duplicate keys, anchors, aliases, explicit tags and several documents;
- resolves plain scalars by YAML 1.2's core schema and rejects the YAML 1.1
  forms that would change meaning (yes/no/on/off, leading zeros, sexagesimal);
- decodes bytes strictly as UTF-8 (a BOM is fine) and names the bad byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]

MAX_DEPTH = 64

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_YAML11_BOOL = {"yes", "no", "on", "off", "y", "n"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")
_OTHER_NUMBER = re.compile(r"[-+]?(0x[0-9a-fA-F_]+|0o[0-7]+|0b[01_]+|[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?|\.(inf|Inf|INF|nan|NaN|NAN))")


@dataclass
class YamlDocument:
    """A parsed YAML file: its value and where each part of it was written."""

    path: str
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: Path, *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``loc``, or of its nearest located ancestor."""
        loc = tuple(loc)
        while True:
            if key and loc in self.key_positions:
                return self.key_positions[loc]
            if loc in self.positions:
                return self.positions[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]


class YamlProblems(Exception):
    """Raised internally with the problems found while reading one file."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def decode_utf8(raw: bytes, path: str) -> str:
    """Decode ``raw`` as UTF-8 (BOM allowed) or raise a located problem."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        byte = raw[exc.start]
        raise YamlProblems(
            [
                Problem(
                    path,
                    line,
                    column,
                    "",
                    f"not UTF-8: byte 0x{byte:02X} at offset {exc.start} cannot be decoded; "
                    "save the file as UTF-8 (if it came from a Chinese Windows editor it is "
                    f"probably GBK: iconv -f GBK -t UTF-8 {path.rsplit('/', 1)[-1]} > fixed.yaml)",
                )
            ]
        ) from None


def _resolve_plain(text: str) -> tuple[Any, str | None]:
    """Value of a plain (unquoted) scalar, or an error message."""
    if text in _NULL:
        return None, None
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    if text.lower() in _YAML11_BOOL:
        return None, (
            f"'{text}' is ambiguous: YAML 1.1 tools read it as a boolean; "
            f"write true or false for a yes/no value, or quote it (\"{text}\") for text"
        )
    if _LEADING_ZERO.fullmatch(text):
        return None, (
            f"'{text}' has a leading zero, which YAML 1.1 reads as an octal number; "
            f"write it without the zero, or quote it (\"{text}\") for text"
        )
    if _SEXAGESIMAL.fullmatch(text):
        return None, (
            f"'{text}' looks like a time, which YAML 1.1 reads as a base-60 number; "
            f"quote it (\"{text}\")"
        )
    if _OTHER_NUMBER.fullmatch(text):
        return None, (
            f"'{text}' is a number form whose meaning differs between YAML versions; "
            f"write a plain decimal number, or quote it (\"{text}\") for text"
        )
    if _INT.fullmatch(text):
        return int(text), None
    if _FLOAT.fullmatch(text):
        return float(text), None
    return text, None


class _Builder:
    """Turns libyaml events into Python values and a position table."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def problem(self, mark: Any, message: str, loc: Path = ()) -> None:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.problems.append(Problem(self.doc.path, line, column, _dotted(loc), message))

    def build(self, events: Any) -> Any:
        documents = 0
        root: Any = None
        stack: list[tuple[Any, Path, dict[str, tuple[int, int]] | None]] = []
        pending_key: list[Any] = []  # for mappings: the key waiting for its value
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents == 2:
                    self.problem(event.start_mark, "only one YAML document per file is allowed; remove the '---' separator")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                value, _, _ = stack.pop()
                if isinstance(value, dict):
                    pending_key.pop()
                if not stack:
                    root = value if documents == 1 else root
                continue
            # A node starts: work out where it goes.
            parent = stack[-1] if stack else None
            if parent is not None and isinstance(parent[0], dict) and pending_key[-1] is _NO_KEY:
                pending_key[-1] = self._key(event, parent)
                continue
            loc = self._child_loc(parent, pending_key)
            value = self._node(event, loc, len(stack))
            if isinstance(value, (dict, list)):
                self._attach(parent, pending_key, value, loc, event)
                stack.append((value, loc, {} if isinstance(value, dict) else None))
                if isinstance(value, dict):
                    pending_key.append(_NO_KEY)
            else:
                self._attach(parent, pending_key, value, loc, event)
                if parent is None and documents == 1:
                    root = value
        return root

    def _key(self, event: Any, parent: tuple[Any, Path, Any]) -> Any:
        mapping, loc, seen = parent
        if not isinstance(event, yaml.ScalarEvent):
            self.problem(event.start_mark, "mapping keys must be plain text", loc)
            return _BAD_KEY
        self._check_node_extras(event, loc)
        key = event.value
        if key in seen:
            first_line, first_col = seen[key]
            self.problem(
                event.start_mark,
                f"duplicate key '{key}' (first written at line {first_line}, column {first_col}); "
                "YAML would silently keep only the last one: remove or rename one of them",
                loc,
            )
            return _BAD_KEY
        seen[key] = (event.start_mark.line + 1, event.start_mark.column + 1)
        self.doc.key_positions[loc + (key,)] = seen[key]
        return key

    def _child_loc(self, parent: Any, pending_key: list[Any]) -> Path:
        if parent is None:
            return ()
        container, loc, _ = parent
        if isinstance(container, dict):
            return loc + (pending_key[-1],)
        return loc + (len(container),)

    def _attach(self, parent: Any, pending_key: list[Any], value: Any, loc: Path, event: Any) -> None:
        self.doc.positions[loc] = (event.start_mark.line + 1, event.start_mark.column + 1)
        if parent is None:
            return
        container = parent[0]
        if isinstance(container, dict):
            key = pending_key[-1]
            if key is not _BAD_KEY:
                container[key] = value
            pending_key[-1] = _NO_KEY
        else:
            container.append(value)

    def _check_node_extras(self, event: Any, loc: Path) -> None:
        if getattr(event, "anchor", None):
            self.problem(
                event.start_mark,
                f"anchors (&{event.anchor}) are not allowed in content; write the value out in full",
                loc,
            )
        tag = getattr(event, "tag", None)
        if tag and tag != "!":
            self.problem(event.start_mark, f"explicit tags ({tag}) are not allowed in content; remove the tag", loc)

    def _node(self, event: Any, loc: Path, depth: int) -> Any:
        if isinstance(event, yaml.AliasEvent):
            self.problem(
                event.start_mark,
                f"aliases (*{event.anchor}) are not allowed in content; write the value out in full",
                loc,
            )
            return None
        self._check_node_extras(event, loc)
        if isinstance(event, yaml.MappingStartEvent):
            if depth >= MAX_DEPTH:
                self.problem(event.start_mark, f"nested more than {MAX_DEPTH} levels deep", loc)
            return {}
        if isinstance(event, yaml.SequenceStartEvent):
            if depth >= MAX_DEPTH:
                self.problem(event.start_mark, f"nested more than {MAX_DEPTH} levels deep", loc)
            return []
        if event.style:  # quoted or block scalar: always a string
            return event.value
        value, error = _resolve_plain(event.value)
        if error:
            self.problem(event.start_mark, error, loc)
            return event.value
        return value


_NO_KEY = object()
_BAD_KEY = object()


def _dotted(loc: Path) -> str:
    """``('indicators', 2, 'value')`` -> ``indicators[2].value``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part is _BAD_KEY or part is _NO_KEY:
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


dotted = _dotted


def read_yaml_text(text: str, path: str) -> YamlDocument:
    """Parse ``text``; raise :class:`YamlProblems` listing every problem found."""
    doc = YamlDocument(path=path, data=None)
    builder = _Builder(doc)
    try:
        doc.data = builder.build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        builder.problem(mark, f"YAML syntax error: {what}; check indentation, colons and quotes near here")
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        builder.problem(None, f"YAML error: {exc}")
    if builder.problems:
        raise YamlProblems(builder.problems)
    return doc


def read_yaml_bytes(raw: bytes, path: str) -> YamlDocument:
    """Decode and parse a YAML file's bytes."""
    return read_yaml_text(decode_utf8(raw, path), path)
