"""The summaries the pages show, and :class:`Derived`, the whole result of derive.

A park-year summary (/parks/<id>/<year>/), a cross-park overview per year and
span (/years/<year>/), a per-metric view (/metrics/<id>/), all built from the
value types in :mod:`.results`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .results import (
    DerivedNumber,
    InvestmentTotal,
    Observation,
    ProjectClaim,
    ProjectTimeline,
    QualityIssue,
    Series,
    SeriesPoint,
    ShareCheck,
    SourceRef,
    StageChange,
    TargetAssessment,
    YoYComparison,
)


@dataclass(frozen=True, slots=True)
class HeadlineFigure:
    """One figure on a park-year page: the point and its series context."""

    metric: str
    scope: str
    span: str
    point: SeriesPoint
    series: Series


@dataclass(frozen=True, slots=True)
class ParkYearSummary:
    """Everything the page /parks/<id>/<year>/ shows."""

    park: str
    year: int
    reports: tuple[str, ...]
    headline: tuple[HeadlineFigure, ...]
    figures: tuple[HeadlineFigure, ...]
    targets_set: tuple[TargetAssessment, ...]
    targets_due: tuple[TargetAssessment, ...]
    signings_count: DerivedNumber | None
    signings_amount: tuple[DerivedNumber, ...]
    projects_advanced: tuple[StageChange, ...]
    investment: tuple[InvestmentTotal, ...]
    quality: tuple[QualityIssue, ...]
    project_changes: tuple[StageChange, ...] = ()  # every project claimed about this year, any direction


@dataclass(frozen=True, slots=True)
class OverviewRow:
    """One park's figure for one metric in a cross-park overview."""

    park: str
    metric: str
    scope: str
    point: SeriesPoint


@dataclass(frozen=True, slots=True)
class YearOverview:
    """All parks' figures for one year and one span (/years/<year>/).

    Only figures of the same span are side by side: an H1 figure never shares
    a table with a Jan-Apr one.
    """

    year: int
    span: str
    rows: tuple[OverviewRow, ...]


@dataclass(frozen=True, slots=True)
class MetricView:
    """One metric across parks (/metrics/<id>/): a series per park, scope and span."""

    metric: str
    unit: str
    series: tuple[Series, ...]


@dataclass(frozen=True, slots=True)
class Derived:
    """The whole result of :func:`parkreport.derive.derive`."""

    as_of: dt.date
    observations: tuple[Observation, ...] = ()
    series: tuple[Series, ...] = ()
    comparisons: tuple[YoYComparison, ...] = ()
    targets: tuple[TargetAssessment, ...] = ()
    timelines: tuple[ProjectTimeline, ...] = ()
    investment_totals: tuple[InvestmentTotal, ...] = ()
    park_years: tuple[ParkYearSummary, ...] = ()
    year_overviews: tuple[YearOverview, ...] = ()
    metric_views: tuple[MetricView, ...] = ()
    quality: tuple[QualityIssue, ...] = ()
    report_dates: tuple[tuple[str, dt.date | None], ...] = field(default=())
    shares: tuple[ShareCheck, ...] = ()
    claims: tuple[ProjectClaim, ...] = ()  # every project claim, in timeline order

    def park_year(self, park: str, year: int) -> ParkYearSummary | None:
        return next((s for s in self.park_years if s.park == park and s.year == year), None)

    def series_of(self, park: str, metric: str, span: str | None = None) -> tuple[Series, ...]:
        return tuple(
            s for s in self.series if s.park == park and s.metric == metric and (span is None or s.span == span)
        )

    def timeline(self, project: str) -> ProjectTimeline | None:
        return next((t for t in self.timelines if t.project == project), None)

    def target(self, ref: SourceRef | tuple[str, str, int]) -> TargetAssessment | None:
        return next((t for t in self.targets if t.ref == tuple(ref)), None)

    def issues_for(self, park: str) -> tuple[QualityIssue, ...]:
        return tuple(i for i in self.quality if i.park == park)

    def observation(self, ref: SourceRef | tuple[str, str, int]) -> Observation | None:
        """The observation an input reference points to (for "derived from ...")."""
        return next((o for o in self.observations if o.ref == tuple(ref)), None)

    def park_years_of(self, park: str) -> tuple[ParkYearSummary, ...]:
        return tuple(s for s in self.park_years if s.park == park)

    def year_overview(self, year: int, span: str) -> YearOverview | None:
        return next((o for o in self.year_overviews if o.year == year and o.span == span), None)

    def metric_view(self, metric: str) -> MetricView | None:
        return next((v for v in self.metric_views if v.metric == metric), None)
