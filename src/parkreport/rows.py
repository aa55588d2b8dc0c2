"""Rows and groups of figures that pages lay out as tables, cards and charts.

Built by :class:`parkreport.siteindex.SiteIndex` from derive's results;
each holds the small display values of :mod:`parkreport.views`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .derive import QualityIssue
from .model import Park
from .periods import Period
from .views import ClaimView, FigureView, IssueView, Link


@dataclass(frozen=True)
class ParkCard:
    """A park on the home page with its latest headline figures."""

    link: Link
    park: Park
    headline: tuple[FigureView, ...]
    reports: int
    latest_report: str | None


@dataclass(frozen=True)
class SeriesPointView:
    """One year of a series: the figure, and last year's value its growth implies."""

    figure: FigureView
    implied_prior: FigureView | None


@dataclass(frozen=True)
class SeriesView:
    """A park's figures for one metric and one span across years (comparable with each other)."""

    park: Link
    metric: Link
    scope: str
    span: str
    unit: str
    points: tuple[SeriesPointView, ...]

    @property
    def chart_id(self) -> str:
        """``chart-<park>-<metric>``: unique on a page, since a metric's page charts it for every park."""
        return "-".join(["chart", *(link.path.strip("/").rsplit("/", 1)[-1] for link in (self.park, self.metric))])

    def charted_years(self) -> int:
        """Years this series puts on a chart's time axis: its figures', and implied prior values' in the gaps.

        A figure whose year the source withholds (``202x``) has no place on the axis.
        """
        figures = (f for point in self.points for f in (point.figure, point.implied_prior) if f is not None)
        return len({f.period.year for f in figures if f.period.year is not None})


def histories_worth_charting(views: Iterable[SeriesView]) -> tuple[SeriesView, ...]:
    """The series of the metrics with at least two points to draw; a single figure is left to the tables."""
    by_metric: dict[str, list[SeriesView]] = {}
    for view in views:
        by_metric.setdefault(view.metric.path, []).append(view)
    return tuple(view for group in by_metric.values() if sum(v.charted_years() for v in group) > 1 for view in group)


@dataclass(frozen=True)
class YearFigureRow:
    """A figure on a park-year page and what it can honestly be compared with.

    ``previous`` is last year's figure of the same span (comparable);
    ``computed_yoy`` the growth computed from the two (derived);
    ``implied_prior`` last year's value implied by the reported growth
    (derived); ``other_spans`` last year's figures of other spans, shown as
    not comparable.
    """

    figure: FigureView
    previous: FigureView | None
    computed_yoy: float | None
    disagrees: bool | None
    implied_prior: FigureView | None
    other_spans: tuple[FigureView, ...]


@dataclass(frozen=True)
class YearRows:
    """A park-year's figures in three groups (see :class:`YearFigureRow`)."""

    comparable: tuple[YearFigureRow, ...]  # last year's figure of the same span exists
    not_comparable: tuple[YearFigureRow, ...]  # only an implied value or other spans of last year
    alone: tuple[FigureView, ...]  # nothing of last year to set beside it


@dataclass(frozen=True)
class YearRow:
    park: Link
    figure: FigureView


@dataclass(frozen=True)
class YearTable:
    """Every park's figures of one year and one span."""

    span: str
    period: Period
    rows: tuple[YearRow, ...]


@dataclass(frozen=True)
class ProjectRow:
    """A project in the projects index, with its current stage."""

    link: Link
    park: Link
    investor: str
    industry: str
    stage: str | None
    last_claim: ClaimView | None
    last_date: str | None  # date of the latest claim's report as printed (may be partial: 2023)
    stalled: bool
    claims: int


@dataclass(frozen=True)
class ChangeView:
    """A project's move between two claims on a park-year page."""

    project: Link
    before: ClaimView | None
    after: ClaimView
    direction: str


SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class QualityGroup:
    """The data-quality issues of one park (``park`` None: not tied to a park)."""

    park: Link | None
    issues: tuple[IssueView, ...]
    counts: tuple[tuple[str, int], ...]  # severity -> number, in SEVERITIES order, all three


def severity_counts(issues: Iterable[IssueView | QualityIssue]) -> tuple[tuple[str, int], ...]:
    found = Counter(issue.severity for issue in issues)
    return tuple((severity, found.get(severity, 0)) for severity in SEVERITIES)
