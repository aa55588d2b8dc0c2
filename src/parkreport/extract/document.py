"""One source text prepared for the rules: its view, figures, names and periods."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from ..periods import Period
from .numbers import Quantity, find_quantities, find_ranks
from .periods import (
    ReportYear,
    SpanMention,
    YearMention,
    find_spans,
    find_years,
    make_period,
    report_year,
    resolve_year,
)
from .segments import Segment, enclosing, paragraphs, sentences
from .text import matching_view
from .vocabulary import NameMatch, Vocabulary


@dataclass(frozen=True)
class PeriodGuess:
    """A period and how sure the context makes it (1.0 = stated in the sentence)."""

    period: Period
    certainty: float


@dataclass
class Document:
    """A cleaned source text with everything the rules look up, found once."""

    text: str
    vocabulary: Vocabulary
    year: ReportYear
    view: str = field(init=False)
    quantities: list[Quantity] = field(init=False)
    metric_names: list[NameMatch] = field(init=False)
    spans: list[SpanMention] = field(init=False)
    years: list[YearMention] = field(init=False)
    paragraphs: list[Segment] = field(init=False)
    sentences: list[Segment] = field(init=False)

    def __post_init__(self) -> None:
        self.view = matching_view(self.text)
        self.quantities = find_quantities(self.view, self.vocabulary.extra_units)
        for unit in self.vocabulary.extra_units:
            if self.vocabulary.unit_kind(unit) == "rank":
                self.quantities = sorted(self.quantities + find_ranks(self.view, unit), key=lambda q: q.start)
        self.metric_names = self.vocabulary.find_metrics(self.view)
        self.spans = find_spans(self.view)
        self.years = find_years(self.view)
        self.paragraphs = paragraphs(self.text)
        self.sentences = [s for p in self.paragraphs for s in sentences(self.text, p)]

    @classmethod
    def prepare(cls, text: str, vocabulary: Vocabulary, given_year: int | None) -> Document:
        return cls(text, vocabulary, report_year(matching_view(text), given_year))

    def in_segment(self, segment: Segment) -> list[Quantity]:
        return [q for q in self.quantities if segment.start <= q.start < segment.end]

    def sentence_of(self, offset: int) -> Segment:
        return enclosing(self.sentences, offset) or Segment(offset, offset + 1)

    def paragraph_of(self, offset: int) -> Segment:
        return enclosing(self.paragraphs, offset) or Segment(0, len(self.text))

    def period_at(self, offset: int) -> PeriodGuess:
        """The period governing a figure at ``offset``, from its sentence.

        A span word earlier in the sentence governs; without one, a figure of
        an earlier year (去年, 2021年) is that full year, and any other figure
        counts from January to the report's writing (YTD), as reports mean
        "so far" when they give no span.
        """
        sentence = self.sentence_of(offset)
        span = _last_before(self.spans, sentence.start, offset)
        year_mention = _last_before(self.years, sentence.start, offset)
        year, label = resolve_year(year_mention, self.year)
        certainty = 1.0 if span is not None else 0.8
        if span is None:
            # 今年 with no span is "so far"; a named or past year is that whole year.
            # A review's unmarked figures (its year named in the title) are that whole year.
            so_far = (year_mention is None and self.year.reviewed is None) or (
                year_mention is not None and year_mention.offset == 0)
            span = SpanMention(offset, offset, 1, 12, to_date=so_far and year is not None)
        if year_mention is None and self.year.source != "given":
            certainty -= 0.1
        period = make_period(span, year, label)
        if period is None:
            # No year known at all: keep the span, mark the year unknown.
            period, certainty = Period(None, span.first, span.last, span.to_date, "20xx"), certainty - 0.3
        return PeriodGuess(period, round(certainty, 2))

    def span_stated(self, offset: int) -> bool:
        """True when a span word earlier in the sentence governs ``offset``."""
        return _last_before(self.spans, self.sentence_of(offset).start, offset) is not None


_Mention = TypeVar("_Mention", SpanMention, YearMention)


def _last_before(mentions: list[_Mention], floor: int, offset: int) -> _Mention | None:
    """The last mention starting in ``[floor, offset)``."""
    found = None
    for mention in mentions:
        if mention.start >= offset:
            break
        if mention.start >= floor:
            found = mention
    return found
