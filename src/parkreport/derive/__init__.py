"""The derive stage: validated content in, summaries out, no I/O.

:func:`derive` takes a :class:`~parkreport.corpus.Corpus` and returns a
:class:`Derived`: observations, year-over-year series of comparable periods,
target assessments, project timelines, investment totals, the summaries
the pages need and a data-quality list. Every derived number carries the
rule that produced it and references to the facts it rests on.

It never reads the clock: "open" targets and project stalls are judged
against ``as_of``, by default the latest report date in the corpus.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from ..corpus import Corpus
from .derived import Derived, HeadlineFigure, MetricView, OverviewRow, ParkYearSummary, YearOverview
from .observations import build_observations, default_as_of, report_dates
from .progress import build_claims, build_timelines, investment_totals
from .quality import quality_issues
from .results import (
    ClaimKind,
    DerivedNumber,
    InvestmentTotal,
    IssueKind,
    Observation,
    ProjectClaim,
    ProjectTimeline,
    QualityIssue,
    Series,
    SeriesPoint,
    Severity,
    ShareCheck,
    SourceRef,
    StageChange,
    TargetAssessment,
    TargetStatus,
    YoYComparison,
)
from .rules import RULE_DESCRIPTIONS, Rule
from .shares import share_checks
from .summaries import metric_views, park_year_summaries, year_overviews
from .targets import assess_targets
from .yoy import build_series, comparisons_of

DEFAULT_STALL_MONTHS = 12


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector, as it was.

    Derive makes many small objects and no reference cycles; each collection
    pass would walk the whole corpus again (about a fifth of derive's time
    at 100 parks). Memory is still freed by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def derive(corpus: Corpus, *, as_of: dt.date | None = None, stall_months: int = DEFAULT_STALL_MONTHS) -> Derived:
    """Derive every summary the site shows from ``corpus``; pure and deterministic."""
    with _without_cycle_collection():
        return _derive(corpus, as_of, stall_months)


def _derive(corpus: Corpus, as_of: dt.date | None, stall_months: int) -> Derived:
    dates = report_dates(corpus)
    as_of = as_of or default_as_of(dates)
    observations = build_observations(corpus, dates)
    series = build_series(corpus, observations)
    claims = build_claims(corpus, dates)
    timelines = build_timelines(corpus, claims, dates, stall_months)
    targets = assess_targets(corpus, observations, timelines, dates, as_of)
    investment = investment_totals(corpus, claims)
    shares = share_checks(corpus, observations)
    quality = quality_issues(corpus, observations, series, targets, timelines, dates, as_of, shares)
    summaries = park_year_summaries(
        corpus, dates, series=series, observations=observations, targets=targets,
        timelines=timelines, investment=investment, quality=quality,
    )
    return Derived(
        as_of=as_of,
        observations=observations,
        series=series,
        comparisons=comparisons_of(series),
        targets=targets,
        timelines=timelines,
        investment_totals=investment,
        park_years=summaries,
        year_overviews=year_overviews(corpus, series),
        metric_views=metric_views(corpus, series),
        quality=quality,
        report_dates=tuple(sorted(dates.items())),
        shares=shares,
        claims=claims,
    )


__all__ = [
    "DEFAULT_STALL_MONTHS",
    "RULE_DESCRIPTIONS",
    "ClaimKind",
    "Derived",
    "DerivedNumber",
    "HeadlineFigure",
    "InvestmentTotal",
    "IssueKind",
    "MetricView",
    "Observation",
    "OverviewRow",
    "ParkYearSummary",
    "ProjectClaim",
    "ProjectTimeline",
    "QualityIssue",
    "Rule",
    "Series",
    "SeriesPoint",
    "Severity",
    "ShareCheck",
    "SourceRef",
    "StageChange",
    "TargetAssessment",
    "TargetStatus",
    "YearOverview",
    "YoYComparison",
    "derive",
]
