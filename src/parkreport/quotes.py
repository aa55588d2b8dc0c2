"""Finding a quote in its source text.

Quotes are copied from the cleaned source, but line breaks and stray spaces
(OCR text, "65.18 亿元") make exact matching brittle for authors. A quote
matches when it occurs in the source once all whitespace is ignored; the
match is reported as offsets into the source so pages can highlight it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _compact(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and each kept character's offset in ``text``."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if not char.isspace():
            chars.append(char)
            offsets.append(index)
    return "".join(chars), offsets


@dataclass
class SourceText:
    """A cleaned source text, indexed for quote lookups."""

    text: str
    _compact: str = field(init=False, repr=False)
    _offsets: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._compact, self._offsets = _compact(self.text)

    def find(self, quote: str, start: int = 0) -> tuple[int, int] | None:
        """Offsets ``(begin, end)`` of the first match at or after ``start``."""
        needle, _ = _compact(quote)
        if not needle:
            return None
        compact_start = 0
        if start:
            compact_start = next((i for i, off in enumerate(self._offsets) if off >= start), len(self._offsets))
        found = self._compact.find(needle, compact_start)
        if found < 0:
            return None
        return self._offsets[found], self._offsets[found + len(needle) - 1] + 1

    def __contains__(self, quote: str) -> bool:
        return self.find(quote) is not None
