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

from ..corpus import Corpus
from .observations import build_observations, default_as_of, report_dates
from .results import (
    ClaimKind,
    Derived,
    DerivedNumber,
    HeadlineFigure,
    InvestmentTotal,
    IssueKind,
    MetricView,
    Observation,
    OverviewRow,
    ParkYearSummary,
    ProjectClaim,
    ProjectTimeline,
    QualityIssue,
    Rule,
    Series,
    SeriesPoint,
    Severity,
    SourceRef,
    StageChange,
    TargetAssessment,
    TargetStatus,
    YearOverview,
    YoYComparison,
)

DEFAULT_STALL_MONTHS = 12


def derive(corpus: Corpus, *, as_of: dt.date | None = None, stall_months: int = DEFAULT_STALL_MONTHS) -> Derived:
    """Derive every summary the site shows from ``corpus``; pure and deterministic."""
    dates = report_dates(corpus)
    as_of = as_of or default_as_of(dates)
    observations = build_observations(corpus, dates)
    return Derived(
        as_of=as_of,
        observations=observations,
        report_dates=tuple(sorted(dates.items())),
    )


__all__ = [
    "ClaimKind",
    "DEFAULT_STALL_MONTHS",
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
    "SourceRef",
    "StageChange",
    "TargetAssessment",
    "TargetStatus",
    "YearOverview",
    "YoYComparison",
    "derive",
]
