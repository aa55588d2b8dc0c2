"""Cut a source text into segments so every quoted fact can be highlighted and anchored.

Each fact's quote is located with :meth:`SourceText.find` (whitespace does
not matter) and the text is cut at every quote's start and end. A segment
knows which quotes cover it (it is highlighted when any does) and which
quotes start at it (their anchors go there). Quotes may overlap or nest, or
two facts may share one sentence: every one still gets its own anchor.

Templates render the segments with autoescape on; no HTML is built here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .quotes import SourceText


@dataclass(frozen=True)
class QuoteAnchor:
    """An anchor id (``indicators-0``) and the quote it marks."""

    anchor: str
    quote: str


@dataclass(frozen=True)
class SourceSegment:
    """A run of source text; ``covered_by`` lists the anchors of quotes covering it,
    ``starts`` the anchors whose quote begins here (in the order facts were given)."""

    text: str
    covered_by: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.covered_by)


@dataclass(frozen=True)
class Highlighted:
    """The segments of a source text, and the anchors whose quote was not found."""

    segments: tuple[SourceSegment, ...]
    missing: tuple[str, ...]


def highlight(source: SourceText, anchors: Iterable[QuoteAnchor]) -> Highlighted:
    """Segments of ``source.text`` with every quote's span marked."""
    spans: list[tuple[int, int, str]] = []
    missing: list[str] = []
    for item in anchors:
        found = source.find(item.quote)
        if found is None:
            missing.append(item.anchor)
        else:
            spans.append((found[0], found[1], item.anchor))
    text = source.text
    cuts = sorted({0, len(text), *(begin for begin, _, _ in spans), *(end for _, end, _ in spans)})
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for number, (begin, end, _) in enumerate(spans):
        starting.setdefault(begin, []).append(number)
        ending.setdefault(end, []).append(number)
    active: set[int] = set()  # spans covering the segment that starts at the current cut
    segments: list[SourceSegment] = []
    for begin, end in zip(cuts, cuts[1:]):
        active.difference_update(ending.get(begin, ()))
        active.update(starting.get(begin, ()))
        covering = tuple(spans[number][2] for number in sorted(active))
        starts = tuple(spans[number][2] for number in starting.get(begin, ()))
        segments.append(SourceSegment(text[begin:end], covering, starts))
    return Highlighted(tuple(segments), tuple(missing))
