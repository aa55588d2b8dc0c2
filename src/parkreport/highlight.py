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
    starts_at: dict[int, list[str]] = {}
    for begin, _, anchor in spans:
        starts_at.setdefault(begin, []).append(anchor)
    segments: list[SourceSegment] = []
    for begin, end in zip(cuts, cuts[1:]):
        covering = tuple(anchor for b, e, anchor in spans if b <= begin and end <= e)
        segments.append(SourceSegment(text[begin:end], covering, tuple(starts_at.get(begin, ()))))
    if not segments and starts_at:  # an empty text cannot hold quotes, but stay total
        segments.append(SourceSegment("", (), tuple(starts_at.get(0, ()))))
    return Highlighted(tuple(segments), tuple(missing))
