"""Finding a quote in its source text.

Quotes are copied from the cleaned source, but line breaks and stray spaces
(OCR text, "65.18 亿元") make exact matching brittle for authors. A quote
matches when it occurs in the source once all whitespace is ignored; the
match is reported as offsets into the source so pages can highlight it.

The source is compacted with one regular expression (C speed, not a Python
loop per character) on the first lookup, not before: a loaded corpus holds
every source text, and most are only searched when their page is made. The
offset of each kept character, needed only to report where a match is, is
computed on the first such request.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

# ``\s`` in a str pattern is exactly ``str.isspace``.
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


def _compact(text: str) -> str:
    """``text`` without whitespace."""
    return _SPACE.sub("", text)


def _offsets(text: str) -> list[int]:
    """The offset in ``text`` of each character :func:`_compact` keeps."""
    offsets: list[int] = []
    for run in _WORD.finditer(text):
        offsets.extend(range(run.start(), run.end()))
    return offsets


def missing_quotes(text: str, quotes: list[str]) -> list[int]:
    """The positions in ``quotes`` of those that do not occur in ``text`` (whitespace ignored)."""
    compact = _compact(text)
    missing = []
    for index, quote in enumerate(quotes):
        needle = _compact(quote)
        if not needle or needle not in compact:
            missing.append(index)
    return missing


@dataclass(eq=False)
class SourceText:
    """A cleaned source text, indexed for quote lookups."""

    text: str
    _compact_text: str | None = field(init=False, repr=False, default=None)
    _offsets: list[int] | None = field(init=False, repr=False, default=None)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SourceText) and other.text == self.text

    __hash__ = None  # type: ignore[assignment] - mutable caches, equal by text

    @property
    def _compact(self) -> str:
        if self._compact_text is None:
            self._compact_text = _compact(self.text)
        return self._compact_text

    def _offset_table(self) -> list[int]:
        if self._offsets is None:
            self._offsets = _offsets(self.text)
        return self._offsets

    def find(self, quote: str, start: int = 0) -> tuple[int, int] | None:
        """Offsets ``(begin, end)`` of the first match at or after ``start``."""
        needle = _compact(quote)
        if not needle:
            return None
        offsets = self._offset_table() if start else None
        compact_start = bisect_left(offsets, start) if offsets is not None else 0
        found = self._compact.find(needle, compact_start)
        if found < 0:
            return None
        offsets = self._offset_table()
        return offsets[found], offsets[found + len(needle) - 1] + 1

    def __contains__(self, quote: str) -> bool:
        needle = _compact(quote)
        return bool(needle) and needle in self._compact
