"""Paragraphs, sentences and clauses of a text, as offsets into it.

A quote is a clause or a sentence, never a whole paragraph; a span word
(1-4月, 上半年) governs the rest of its sentence; and a figure's metric name
stands in the same clause (between semicolons) as the figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH_END = re.compile(r"\n\s*\n|\n(?=\s*(?:#|[一二三四五六七八九十]+、|\d+[、.]))")
_SENTENCE_END = re.compile(r"[。!?！？]+|\n")
_CLAUSE_END = re.compile(r"[;；]")
_SUBCLAUSE_END = re.compile(r"[,，;；:：]")


@dataclass(frozen=True)
class Segment:
    """A stretch of the text: ``text[start:end]``."""

    start: int
    end: int

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def _split(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[Segment]:
    pieces: list[Segment] = []
    cursor = start
    for match in pattern.finditer(text, start, end):
        if match.start() > cursor:
            pieces.append(Segment(cursor, match.end()))
        cursor = match.end()
    if cursor < end:
        pieces.append(Segment(cursor, end))
    return [piece for piece in (_trim(text, p) for p in pieces) if piece.end > piece.start]


def _trim(text: str, segment: Segment) -> Segment:
    start, end = segment.start, segment.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Segment(start, end)


def paragraphs(text: str) -> list[Segment]:
    return _split(text, 0, len(text), _PARAGRAPH_END)


def sentences(text: str, within: Segment | None = None) -> list[Segment]:
    """Sentences, split at 。!? and line ends."""
    area = within or Segment(0, len(text))
    return _split(text, area.start, area.end, _SENTENCE_END)


def clauses(text: str, within: Segment) -> list[Segment]:
    """Clauses of a sentence, split at semicolons."""
    return _split(text, within.start, within.end, _CLAUSE_END)


def subclause_start(text: str, offset: int, floor: int) -> int:
    """Where the comma-delimited piece holding ``offset`` begins (not before ``floor``)."""
    for index in range(offset - 1, floor - 1, -1):
        if _SUBCLAUSE_END.match(text[index]):
            return index + 1
    return floor


def enclosing(segments: list[Segment], offset: int) -> Segment | None:
    return next((segment for segment in segments if segment.contains(offset)), None)


def strip_end_punctuation(text: str, segment: Segment) -> Segment:
    """Drop trailing punctuation so a quote ends on its last word or figure."""
    end = segment.end
    while end > segment.start and text[end - 1] in "。,，;；:：、!！?？ \n\t":
        end -= 1
    return Segment(segment.start, end)
