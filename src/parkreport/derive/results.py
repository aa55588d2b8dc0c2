"""The typed results of the derive stage, as the site renders them.

Every number derive computes is a :class:`DerivedNumber`: the value, its
unit, the rule that produced it, a short explanation in Chinese and English,
whether it is approximate or rests on an estimate, and the
:class:`SourceRef` of every input, so a page can say "derived from ..." and
link each input to its highlighted quote (``/reports/<id>/#<list>-<index>``).

All results are frozen dataclasses holding tuples, sorted by stable keys:
deriving the same corpus twice gives equal values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, NamedTuple

from ..periods import Period
from .rules import Rule

# --------------------------------------------------------------------------
# References and numbers


class SourceRef(NamedTuple):
    """Where a fact is stated: report id, list name and index in that list.

    Equal to the plain tuple ``("puyang-2023-h1", "indicators", 1)``; the
    anchor ``indicators-1`` is the id of the highlighted quote on the
    report's source page.
    """

    report: str
    collection: str  # "indicators", "targets", "project_events" or "facts"
    index: int  # type: ignore[assignment]  # shadows tuple.index on purpose: the YAML list index

    @property
    def anchor(self) -> str:
        """The fragment id on the source page, e.g. ``indicators-1``."""
        return f"{self.collection}-{self.index}"

    @property
    def href(self) -> str:
        """Site-relative link to the highlighted quote."""
        return f"/reports/{self.report}/#{self.anchor}"


@dataclass(frozen=True, slots=True)
class DerivedNumber:
    """A number with its provenance: which inputs, which rule.

    ``approximate`` is true when the rule or an input makes it so (value added
    at comparable prices, qualifiers such as 近/余/约). ``estimate`` is true
    when any input is an estimate (预计); the result then is one too.
    """

    value: float
    unit: str
    rule: Rule
    explanation_zh: str
    explanation_en: str
    inputs: tuple[SourceRef, ...]
    approximate: bool = False
    estimate: bool = False
    period: Period | None = None

    @property
    def is_derived(self) -> bool:
        """True when computed by derive rather than read from one source figure."""
        return self.rule not in ("reported", "converted")


# --------------------------------------------------------------------------
# Observations and year-over-year series

ObservationStatus = Literal["actual", "estimated", "target", "revised"]


@dataclass(frozen=True, slots=True)
class Observation:
    """One indicator as stated by one report, normalised to its metric's unit.

    ``value`` is None when the source hides the figure ('unknown' or
    'redacted', in ``hidden``): such a value is never treated as 0.
    """

    ref: SourceRef
    park: str
    metric: str
    scope: str
    period: Period
    status: ObservationStatus
    reported_value: float | None
    reported_unit: str
    qualifier: str
    value: DerivedNumber | None  # in the metric's unit ("reported" or "converted")
    hidden: str  # "", "unknown" or "redacted"
    yoy_pct: float | None
    report_date: dt.date | None
    quote: str

    @property
    def approximate(self) -> bool:
        return self.qualifier != "exact"


@dataclass(frozen=True, slots=True)
class YoYComparison:
    """Two observations of the same park, metric, scope and span, one year apart.

    ``computed`` is the growth from the two values; ``reported_pct`` what the
    later report says. ``disagrees`` is True when the two differ by more than
    the rounding of the printed figures allows (``tolerance`` percentage
    points), None when there is no reported rate or the inputs are qualified.
    """

    current: Observation
    previous: Observation
    computed: DerivedNumber
    reported_pct: float | None
    tolerance: float | None
    disagrees: bool | None


@dataclass(frozen=True, slots=True)
class ShareCheck:
    """A reported share ("占固定资产投资的81.1%") against the two figures it relates."""

    part: Observation
    whole: Observation
    computed: DerivedNumber
    reported_pct: float
    qualifier: str
    tolerance: float
    disagrees: bool | None


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One year of a series: the preferred observation and what follows from it.

    ``observation`` is the preferred figure (revised > actual > estimated,
    then the latest report); ``alternatives`` are the other figures for the
    same period. ``implied_prior`` is the previous year's value implied by
    the reported rate (a derived number, never an observation).
    """

    year: int
    period: Period
    observation: Observation
    alternatives: tuple[Observation, ...] = ()
    reported_yoy_pct: float | None = None
    comparison: YoYComparison | None = None
    implied_prior: DerivedNumber | None = None


@dataclass(frozen=True, slots=True)
class Series:
    """A park's figures for one metric and one span across years (e.g. every H1)."""

    park: str
    metric: str
    scope: str
    span: str  # Period.span: "H1", "M1-4", "FY", ...
    unit: str  # the metric's unit, in which every point's value is given
    points: tuple[SeriesPoint, ...]

    def point(self, year: int) -> SeriesPoint | None:
        return next((p for p in self.points if p.year == year), None)

    @property
    def comparable_span(self) -> bool:
        """False for "so far this year" (YTD): its end differs from report to
        report, so its points must not be joined into a line or compared."""
        return self.span != "YTD"


# --------------------------------------------------------------------------
# Targets

TargetStatus = Literal["met", "missed", "partly_met", "open", "unknown"]


@dataclass(frozen=True, slots=True)
class TargetAssessment:
    """A target and what later evidence says about it.

    ``reason_zh`` / ``reason_en`` say in one sentence why the status was
    given; ``evidence`` lists the later facts it rests on, and ``achieved``
    the figure compared with the target, when there is one.
    """

    ref: SourceRef
    park: str
    what: str
    metric: str | None
    project: str | None
    status: TargetStatus
    reason_zh: str
    reason_en: str
    evidence: tuple[SourceRef, ...] = ()
    achieved: DerivedNumber | None = None
    horizon: Period | None = None
    horizon_end: dt.date | None = None
    set_on: dt.date | None = None


# --------------------------------------------------------------------------
# Projects

ClaimKind = Literal["stage", "vague", "planned"]


@dataclass(frozen=True, slots=True)
class ProjectClaim:
    """One status claim about a project, by one report.

    ``stage`` is the stage claimed (None for vague progress and plans);
    ``rank`` orders stages (an imminent claim ranks just below its stage).
    """

    ref: SourceRef
    project: str
    park: str
    status: str
    kind: ClaimKind
    stage: str | None
    imminent: bool
    rank: float | None
    report_date: dt.date | None
    event_date: dt.date | None
    planned_stage: str | None
    planned_by: Period | None
    investment: DerivedNumber | None
    quote: str

    @property
    def year(self) -> int | None:
        """The year the claim is about: its own date's, else its report's (a review out in January
        counts a signing dated the previous September in that year)."""
        date = self.event_date or self.report_date
        return date.year if date is not None else None


@dataclass(frozen=True, slots=True)
class StageChange:
    """A project's move between two stage-bearing claims (or to a vague one)."""

    project: str
    before: ProjectClaim | None
    after: ProjectClaim
    direction: Literal["advanced", "progress", "regressed", "unchanged", "new"]


@dataclass(frozen=True, slots=True)
class ProjectTimeline:
    """Every claim about one project, in report order, and what follows from them."""

    project: str
    park: str
    name: str
    claims: tuple[ProjectClaim, ...]
    current_stage: str | None
    current_claim: ProjectClaim | None
    regressions: tuple[StageChange, ...] = ()
    vague_claims: tuple[ProjectClaim, ...] = ()
    last_claim_date: dt.date | None = None
    stalled: bool = False
    stall_months: int = 12


@dataclass(frozen=True, slots=True)
class InvestmentTotal:
    """Stated investment of a park's projects in one year and stage, per currency."""

    park: str
    year: int
    stage: str
    projects: tuple[str, ...]
    total: DerivedNumber


# --------------------------------------------------------------------------
# Data quality

Severity = Literal["error", "warning", "info"]
IssueKind = Literal[
    "yoy_disagreement",
    "revision",
    "regression",
    "stall",
    "hidden_value",
    "unconfirmed_estimate",
    "qualified_figure",
    "undated_report",
    "vague_claim",
    "plan_overdue",
    "share_disagreement",
]


@dataclass(frozen=True, slots=True)
class QualityIssue:
    """One thing a reader should be warned about, with the facts it concerns."""

    kind: IssueKind
    severity: Severity
    park: str | None
    message_zh: str
    message_en: str
    refs: tuple[SourceRef, ...]
    metric: str | None = None
    project: str | None = None
    numbers: tuple[DerivedNumber, ...] = ()
    reports: tuple[str, ...] = ()  # reports concerned as a whole (e.g. an undated report)

