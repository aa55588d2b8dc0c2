"""Finding a quote in its source text.

Quotes are copied from the cleaned source, but line breaks and stray spaces
(OCR text, "65.18 亿元") make exact matching brittle for authors. A quote
matches when it occurs in the source once all whitespace is ignored; the
match is reported as offsets into the source so pages can highlight it.

The source is compacted with one regular expression (C speed, not a Python
loop per character) on the first lookup, not before: a loaded corpus holds
every source text, and most are only searched when their page is made.
Where a match is in the source is found from the runs of non-space
characters (where each starts in the compacted text and in the source),
listed on the first such request: one pair of machine integers per run,
not a Python integer per character, so a worker that has highlighted every
report of a national corpus does not hold a table as large as its sources.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field

# ``\s`` in a str pattern is exactly ``str.isspace``.
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


def _compact(text: str) -> str:
    """``text`` without whitespace."""
    return _SPACE.sub("", text)


@dataclass(frozen=True, eq=False)
class _Runs:
    """Where each run of non-space characters of a text starts: in the compacted text, and in the text."""

    compact_starts: array[int]
    text_starts: array[int]
    kept: int  # characters in the compacted text

    @classmethod
    def of(cls, text: str) -> _Runs:
        compact_starts, text_starts, kept = array("q"), array("q"), 0
        for run in _WORD.finditer(text):
            compact_starts.append(kept)
            text_starts.append(run.start())
            kept += run.end() - run.start()
        return cls(compact_starts, text_starts, kept)

    def text_offset(self, compact: int) -> int:
        """The offset in the text of the compacted text's character at ``compact``."""
        run = bisect_right(self.compact_starts, compact) - 1
        return self.text_starts[run] + compact - self.compact_starts[run]

    def compact_offset(self, offset: int) -> int:
        """How many kept characters come before the text's offset ``offset``."""
        run = bisect_right(self.text_starts, offset) - 1
        if run < 0:
            return 0
        end = self.compact_starts[run + 1] if run + 1 < len(self.compact_starts) else self.kept
        return min(self.compact_starts[run] + offset - self.text_starts[run], end)


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
    _runs: _Runs | None = field(init=False, repr=False, default=None)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SourceText) and other.text == self.text

    __hash__ = None  # type: ignore[assignment]  # mutable caches, equal by text

    @property
    def _compact(self) -> str:
        if self._compact_text is None:
            self._compact_text = _compact(self.text)
        return self._compact_text

    def _run_table(self) -> _Runs:
        if self._runs is None:
            self._runs = _Runs.of(self.text)
        return self._runs

    def find(self, quote: str, start: int = 0) -> tuple[int, int] | None:
        """Offsets ``(begin, end)`` of the first match at or after ``start``."""
        needle = _compact(quote)
        if not needle:
            return None
        found = self._compact.find(needle, self._run_table().compact_offset(start) if start else 0)
        if found < 0:
            return None
        runs = self._run_table()
        return runs.text_offset(found), runs.text_offset(found + len(needle) - 1) + 1

    def __contains__(self, quote: str) -> bool:
        needle = _compact(quote)
        return bool(needle) and needle in self._compact
