"""Strict, located YAML reading.

PyYAML's loaders forget where values came from, silently keep the last of two
duplicate keys, expand aliases (the "billion laughs") and apply YAML 1.1's
surprises (``no`` is False, ``0123`` is 83, ``1:30`` is 90). This module builds
plain Python values straight from libyaml's event stream instead, so that it
stays fast (the C parser does the work) while it:

- records the line and column of every key and value, by path;
- rejects duplicate keys, anchors, aliases, explicit tags, non-text keys,
  nesting deeper than :data:`MAX_DEPTH` and several documents;
- resolves plain scalars by YAML 1.2's core schema and rejects the YAML 1.1
  forms that would change meaning (yes/no/on/off, leading zeros, sexagesimal);
- decodes bytes strictly as UTF-8 (a BOM is fine) and names the bad byte.

Every problem is a :class:`~parkreport.errors.Problem`; reading raises
:class:`~parkreport.errors.ContentError` carrying all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

import yaml

from .errors import ContentError, Problem

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]
Position = tuple[int, int]

MAX_DEPTH = 64

#: Kept for callers that caught the old name; reading raises ContentError.
YamlProblems = ContentError

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_YAML11_BOOL = frozenset({"yes", "no", "on", "off", "y", "n"})
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")
_OTHER_NUMBER = re.compile(
    r"[-+]?(0x[0-9a-fA-F_]+|0o[0-7]+|0b[01_]+|[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?|\.(inf|Inf|INF|nan|NaN|NAN))"
)
# A plain scalar that could be special starts with one of these characters;
# anything else is text, which keeps the common case (Chinese text) cheap.
_SPECIAL_START = frozenset("0123456789+-.~nNtTfFyYoO")


class YamlDocument:
    """A parsed YAML file: its value, and where each part of it was written.

    Positions are only needed to report a problem, and most files have none:
    so the position tables are built on first use, by reading the text again.
    That keeps loading a large valid corpus fast and small.
    """

    def __init__(self, path: str, data: Any, text: str = "") -> None:
        self.path = path
        self.data = data
        self.text = text
        self._positions: dict[Path, Position] | None = None
        self._key_positions: dict[Path, Position] = {}

    @property
    def positions(self) -> dict[Path, Position]:
        """Line and column of every value, by path."""
        if self._positions is None:
            self._positions = {}
            builder = _Builder(self.path, self._positions, self._key_positions)
            _run(builder, self.text)
        return self._positions

    @property
    def key_positions(self) -> dict[Path, Position]:
        """Line and column of every mapping key, by the path of its value."""
        self.positions  # noqa: B018 - builds both tables
        return self._key_positions

    def locate(self, loc: Path, *, key: bool = False) -> Position:
        """Line and column of ``loc``, or of its nearest located ancestor."""
        loc = tuple(loc)
        positions, key_positions = self.positions, self.key_positions
        while True:
            if key and loc in key_positions:
                return key_positions[loc]
            if loc in positions:
                return positions[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]


def _line_column(text: str) -> Position:
    """Line and column just after ``text`` (the part of a file before a spot)."""
    line = text.count("\n") + 1
    return line, len(text) - (text.rfind("\n") + 1) + 1


def decode_utf8(raw: bytes, path: str) -> str:
    """Decode ``raw`` as UTF-8 (BOM allowed) or raise a located ContentError."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_column(raw[: exc.start].decode("utf-8", errors="replace"))
        name = path.rsplit("/", 1)[-1]
        message = (
            f"not UTF-8: byte 0x{raw[exc.start]:02X} at offset {exc.start} cannot be decoded; "
            "save the file as UTF-8 (a file from a Chinese Windows editor is probably GBK: "
            f"iconv -f GBK -t UTF-8 {name} > {name}.utf8 && mv {name}.utf8 {name})"
        )
        raise ContentError([Problem(path, line, column, "", message)]) from None


def _resolve_plain(text: str) -> tuple[Any, str | None]:
    """Value of a plain (unquoted) scalar, or an error message."""
    if not text:
        return None, None
    if text[0] not in _SPECIAL_START:
        return text, None
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


_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; content files are never this deep"


class _TooDeep(Exception):
    """Stops reading a file nested deeper than MAX_DEPTH (already reported)."""


_NO_KEY = object()  # a mapping waiting for its next key
_BAD_KEY = object()  # the value that follows is dropped (its key was reported)


@dataclass(slots=True)
class _Frame:
    """An open mapping or sequence while events stream in."""

    container: dict[Any, Any] | list[Any]
    loc: Path
    seen: dict[str, Position] | None  # keys of a mapping, with their positions
    key: Any = _NO_KEY


class _Builder:
    """Turns libyaml events into Python values and a position table."""

    def __init__(self, path: str, positions: dict[Path, Position] | None = None,
                 key_positions: dict[Path, Position] | None = None) -> None:
        self.path = path
        self.positions = positions  # None: do not record where values are
        self.key_positions = key_positions
        self.problems: list[Problem] = []
        self.documents = 0
        self.stack: list[_Frame] = []
        self.skipping = 0  # depth inside a non-text key being skipped
        self.root: Any = None

    def problem(self, mark: Any, message: str, loc: Path = ()) -> None:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.problems.append(Problem(self.path, line, column, dotted(loc), message))

    def build(self, parser: Any) -> Any:
        """Consume ``parser``'s events (a libyaml loader) and return the document's value."""
        handlers: dict[type, Callable[[Any], None]] = {
            yaml.ScalarEvent: self._on_scalar,
            yaml.MappingStartEvent: self._open,
            yaml.SequenceStartEvent: self._open,
            yaml.MappingEndEvent: self._close,
            yaml.SequenceEndEvent: self._close,
            yaml.AliasEvent: self._alias,
            yaml.DocumentStartEvent: self._document,
        }
        get_event = parser.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is yaml.StreamEndEvent or event is None:
                return self.root
            if self.skipping:
                self._skip(event)
            elif kind in handlers:
                handlers[kind](event)

    # -- events ------------------------------------------------------------

    def _on_scalar(self, event: Any) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is None:
            loc: Path = ()
        elif frame.seen is None:
            loc = frame.loc + (len(frame.container),)
        elif frame.key is _NO_KEY:
            if event.anchor or event.tag:
                self._extras(event, frame.loc)
            frame.key = self._key(event, frame)
            return
        else:
            loc = frame.loc + (frame.key,)
        if event.anchor or event.tag:
            self._extras(event, loc)
        value: Any = event.value
        if not event.style:  # plain; quoted and block scalars are always text
            value, error = _resolve_plain(value)
            if error:
                self.problem(event.start_mark, error, loc)
                value = event.value
        self._place(frame, loc, value, event)

    def _document(self, event: Any) -> None:
        self.documents += 1
        if self.documents == 2:
            self.problem(event.start_mark, "only one YAML document per file is allowed; remove the '---' separator")

    def _open(self, event: Any) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.seen is not None and frame.key is _NO_KEY:
            self.problem(event.start_mark, "mapping keys must be plain text, not a list or mapping", frame.loc)
            self.skipping = 1
            return
        loc = self._child_loc(frame)
        self._extras(event, loc)
        if len(self.stack) >= MAX_DEPTH:
            self.problem(event.start_mark, _TOO_DEEP, loc[:2])
            raise _TooDeep
        is_mapping = isinstance(event, yaml.MappingStartEvent)
        container: dict[Any, Any] | list[Any] = {} if is_mapping else []
        self._place(frame, loc, container, event)
        self.stack.append(_Frame(container, loc, {} if is_mapping else None))

    def _close(self, event: Any) -> None:
        self.stack.pop()

    def _alias(self, event: Any) -> None:
        frame = self.stack[-1] if self.stack else None
        loc = frame.loc if frame is not None and frame.key is _NO_KEY and frame.seen is not None else self._child_loc(frame)
        self.problem(event.start_mark, f"aliases (*{event.anchor}) are not allowed in content; write the value out in full", loc)
        if frame is not None and frame.seen is not None and frame.key is _NO_KEY:
            frame.key = _BAD_KEY
        else:
            self._value(event, None)

    def _skip(self, event: Any) -> None:
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self.skipping += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.skipping -= 1
            if not self.skipping:
                self.stack[-1].key = _BAD_KEY

    # -- placing values ----------------------------------------------------

    def _value(self, event: Any, value: Any) -> None:
        frame = self.stack[-1] if self.stack else None
        self._place(frame, self._child_loc(frame), value, event)

    def _place(self, frame: _Frame | None, loc: Path, value: Any, event: Any) -> None:
        mark = event.start_mark
        if self.positions is not None:
            self.positions[loc] = (mark.line + 1, mark.column + 1)
        if frame is None:
            if self.documents == 1:
                self.root = value
            return
        container = frame.container
        if isinstance(container, list):
            container.append(value)
            return
        if frame.key is not _BAD_KEY:
            container[frame.key] = value
        frame.key = _NO_KEY

    def _child_loc(self, frame: _Frame | None) -> Path:
        if frame is None:
            return ()
        if frame.seen is None:
            return frame.loc + (len(frame.container),)
        return frame.loc + (frame.key,)

    def _key(self, event: Any, frame: _Frame) -> Any:
        key = event.value
        assert frame.seen is not None
        position = (event.start_mark.line + 1, event.start_mark.column + 1)
        if key in frame.seen:
            first_line, first_col = frame.seen[key]
            self.problem(
                event.start_mark,
                f"duplicate key '{key}' (first written at line {first_line}, column {first_col}); "
                "YAML would silently keep only the last one: remove or rename one of them",
                frame.loc + (key,),
            )
            return _BAD_KEY
        frame.seen[key] = position
        if self.key_positions is not None:
            self.key_positions[frame.loc + (key,)] = position
        return key

    def _extras(self, event: Any, loc: Path) -> None:
        if event.anchor:
            self.problem(event.start_mark, f"anchors (&{event.anchor}) are not allowed in content; write the value out in full", loc)
        tag = event.tag
        if tag and tag != "!":
            self.problem(event.start_mark, f"explicit tags ({tag}) are not allowed in content; remove the tag", loc)


def dotted(loc: Path) -> str:
    """``('indicators', 2, 'value')`` -> ``indicators[2].value``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str):
            out += f".{part}" if out else part
    return out


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    """A located message for a libyaml syntax error, naming where the construct began."""
    mark = exc.problem_mark or exc.context_mark
    what = (exc.problem or "invalid YAML").strip()
    if "maximum nesting depth" in what and mark is not None:
        # Newer libyaml stops deep flow nesting itself, scanning ahead of the events that count depth here.
        return Problem(path, mark.line + 1, mark.column + 1, "", _TOO_DEEP)
    context = (exc.context or "").strip()
    opened = exc.context_mark
    if context and opened is not None and mark is not None and (opened.line, opened.column) != (mark.line, mark.column):
        construct = re.sub(r"^while (parsing|scanning) (an? )?", "", context)
        what = f"{what} in the {construct} that starts at line {opened.line + 1}, column {opened.column + 1}"
    elif context:
        what = f"{context}, {what}"
    hint = "check indentation, colons, brackets and quotes near here"
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        hint = "YAML cannot be indented with tabs: use spaces"
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Problem(path, line, column, "", f"YAML syntax error: {what}; {hint}")


def _reader_problem(exc: yaml.reader.ReaderError, text: str, path: str) -> Problem:
    """A located message for a character libyaml refuses (control characters)."""
    before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
    line, column = _line_column(before)
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return Problem(path, line, column, "", f"character U+{char:04X} is not allowed in YAML ({exc.reason}); delete it")


def _run(builder: _Builder, text: str) -> Any:
    """Feed ``text`` through libyaml into ``builder``; syntax errors become its problems."""
    try:
        parser = _Loader(text)
        try:
            return builder.build(parser)
        finally:
            parser.dispose()
    except _TooDeep:
        pass
    except yaml.MarkedYAMLError as exc:
        builder.problems.append(_syntax_problem(exc, text, builder.path))
    except yaml.reader.ReaderError as exc:
        builder.problems.append(_reader_problem(exc, text, builder.path))
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml marks its errors
        builder.problems.append(Problem(builder.path, 1, 1, "", f"YAML error: {exc}"))
    return None


def read_yaml_text(text: str, path: str) -> YamlDocument:
    """Parse ``text``; raise :class:`ContentError` listing every problem found."""
    builder = _Builder(path)
    data = _run(builder, text)
    if builder.problems:
        raise ContentError(builder.problems)
    return YamlDocument(path, data, text)


def read_yaml_bytes(raw: bytes, path: str) -> YamlDocument:
    """Decode and parse a YAML file's bytes."""
    return read_yaml_text(decode_utf8(raw, path), path)
