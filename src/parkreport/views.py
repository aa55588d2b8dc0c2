"""Small typed values templates display, built from the corpus and derive's results.

Every figure on the site is shown through a :class:`FigureView`: value and
unit, the period (templates print it in words), a status (actual, estimated,
target, revised, or derived for computed figures), the year-over-year
growth, and ``cite``, the site path of the exact quote it came from
(``/reports/<id>/#indicators-0``). Templates never reach into the corpus;
they get these values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .corpus import Corpus
from .derive import (
    DerivedNumber,
    Observation,
    ProjectClaim,
    QualityIssue,
    SeriesPoint,
    SourceRef,
    TargetAssessment,
)
from .model import Park, Report, Target
from .periods import Period


@dataclass(frozen=True)
class Link:
    """A labelled link to a page of the site (``path`` is a site path, e.g. /parks/a/)."""

    path: str
    label: str


@dataclass(frozen=True)
class FigureView:
    """One displayed figure.

    ``status`` is ``actual``, ``estimated``, ``target``, ``revised`` or
    ``derived``; a derived figure carries ``explanation`` (how it was
    computed) and ``cite`` points at the first fact it rests on.
    ``yoy_derived`` marks a growth computed from two figures rather than
    printed in the source. ``value`` is a number, or ``'unknown'`` /
    ``'redacted'`` (never 0).
    """

    metric: str
    metric_name: str
    value: float | str
    unit: str
    qualifier: str
    period: Period
    status: str
    cite: str
    report: str
    scope: str = ""
    yoy_pct: float | None = None
    yoy_derived: bool = False
    approximate: bool = False
    estimate: bool = False
    explanation: str = ""
    explanation_en: str = ""  # the same in English, for the English edition
    quote: str = ""
    decimals: int | None = None  # caps the digits shown (computed figures), never adds any

    @property
    def derived(self) -> bool:
        return self.status == "derived"


def park_link(park: Park) -> Link:
    return Link(f"/parks/{park.id}/", park.name)


def report_link(report: Report) -> Link:
    return Link(f"/reports/{report.id}/", report.title)


def metric_name(corpus: Corpus, metric: str) -> str:
    found = corpus.metrics.get(metric)
    return (found.zh_short or found.zh) if found else metric


def observation_figure(corpus: Corpus, observation: Observation, yoy: float | None = None, yoy_derived: bool = False) -> FigureView:
    """A reported figure, in its metric's unit when derive converted it."""
    number = observation.value
    value: float | str = number.value if number is not None else (observation.hidden or "unknown")
    unit = number.unit if number is not None else observation.reported_unit
    converted = number is not None and number.rule == "converted"
    explanation = number.explanation_zh if number is not None and converted else ""
    explanation_en = number.explanation_en if number is not None and converted else ""
    reported_yoy = observation.yoy_pct
    yoy = round(yoy, 1) if yoy is not None else None
    return FigureView(
        metric=observation.metric,
        metric_name=metric_name(corpus, observation.metric),
        value=value,
        unit=unit,
        qualifier=observation.qualifier,
        period=observation.period,
        status=observation.status,
        cite=observation.ref.href,
        report=observation.ref.report,
        scope=observation.scope,
        yoy_pct=reported_yoy if reported_yoy is not None else yoy,
        yoy_derived=reported_yoy is None and yoy is not None,
        approximate=observation.approximate,
        estimate=observation.status == "estimated",
        explanation=explanation,
        explanation_en=explanation_en,
        quote=observation.quote,
    )


_STATED_RULES = ("reported", "converted")
DERIVED_DECIMALS = 2  # computed values are shown to 2 decimals: 96.1 / 1.214 -> 79.16


def derived_figure(corpus: Corpus, metric: str, number: DerivedNumber, period: Period, scope: str = "") -> FigureView:
    """A figure derive produced: computed ones (an implied prior value, a sum)
    get the status ``derived``; stated amounts keep actual/estimated."""
    first: SourceRef | None = number.inputs[0] if number.inputs else None
    if number.rule in _STATED_RULES:
        status = "estimated" if number.estimate else "actual"
    else:
        status = "derived"
    return FigureView(
        metric=metric,
        metric_name=metric_name(corpus, metric),
        value=number.value,
        unit=number.unit,
        qualifier="exact",  # approximation is shown by the ≈ of derived figures
        period=number.period or period,
        status=status,
        cite=first.href if first else "",
        report=first.report if first else "",
        scope=scope,
        approximate=number.approximate,
        estimate=number.estimate,
        explanation=number.explanation_zh,
        explanation_en=number.explanation_en,
        decimals=None if status != "derived" else DERIVED_DECIMALS,
    )


def point_figure(corpus: Corpus, point: SeriesPoint) -> FigureView:
    """The preferred figure of a series point, with its growth (reported, else computed)."""
    computed = point.comparison.computed.value if point.comparison is not None else None
    return observation_figure(corpus, point.observation, computed)


def implied_prior_figure(corpus: Corpus, point: SeriesPoint) -> FigureView | None:
    if point.implied_prior is None:
        return None
    observation = point.observation
    period = observation.period.previous_year() if observation.period.year is not None else observation.period
    return derived_figure(corpus, observation.metric, point.implied_prior, period, observation.scope)


@dataclass(frozen=True)
class ClaimView:
    """One status claim about a project, as a timeline entry."""

    project: Link
    park: Link
    status: str  # stage or event status id; templates label it
    imminent: bool
    published: str | None  # the claiming report's date as printed (may be partial: 2023)
    event_date: str | None  # when it happened, if the report says (may be partial)
    planned_stage: str | None
    planned_by: Period | None
    investment: FigureView | None
    report: Link
    cite: str
    quote: str
    output_value: FigureView | None = None  # 新增产值 as the claim states it
    capacity: str = ""  # 30万吨白卡纸, as stated


def _output_value(corpus: Corpus, claim: ProjectClaim, report: Report) -> FigureView | None:
    amount = report.project_events[claim.ref.index].output_value
    if amount is None or not isinstance(amount.value, float) or report.period is None:
        return None
    number = DerivedNumber(amount.value, amount.unit, "reported", "报告所述产值", "output value as stated",
                           (claim.ref,), approximate=amount.qualifier != "exact")
    return derived_figure(corpus, "", number, report.period)


def claim_view(corpus: Corpus, claim: ProjectClaim) -> ClaimView:
    project = corpus.projects[claim.project]
    park = corpus.parks[claim.park]
    report = corpus.reports[claim.ref.report]
    event = report.project_events[claim.ref.index]
    investment = None
    if claim.investment is not None and report.period is not None:
        investment = derived_figure(corpus, "", claim.investment, report.period)
    return ClaimView(
        project=Link(f"/projects/{project.id}/", project.name),
        park=park_link(park),
        status=claim.status,
        imminent=claim.imminent,
        published=report.published,
        event_date=event.date,
        planned_stage=claim.planned_stage,
        planned_by=claim.planned_by,
        investment=investment,
        report=report_link(report),
        cite=claim.ref.href,
        quote=claim.quote,
        output_value=_output_value(corpus, claim, report),
        capacity=event.capacity,
    )


@dataclass(frozen=True)
class ReportRow:
    """A report in a list: link, date, kind, parks and how many facts it holds."""

    link: Link
    published: str | None
    kind: str
    publisher: str
    parks: tuple[Link, ...]
    period: Period | None
    facts: int


def report_row(corpus: Corpus, report: Report) -> ReportRow:
    facts = len(report.indicators) + len(report.targets) + len(report.project_events) + len(report.facts)
    parks = tuple(park_link(corpus.parks[park]) for park in report.parks if park in corpus.parks)
    return ReportRow(report_link(report), report.published, report.kind, report.publisher, parks, report.period, facts)


def reports_newest_first(corpus: Corpus) -> list[Report]:
    return sorted(corpus.reports.values(), key=lambda r: (r.published or "", r.id), reverse=True)


@dataclass(frozen=True)
class TargetView:
    """A target a report set, with what later evidence says (``outcome``)."""

    what: str
    target: Target  # the model entry: value, range, unit, threshold, by, commitment
    park: Link
    report: Link
    set_on: str | None
    outcome: str  # met, missed, partly_met, open, unknown
    reason: str
    evidence: tuple[str, ...]  # cite paths of the later facts it rests on
    cite: str
    reason_en: str = ""  # the reason in English, for the English edition


def target_views(corpus: Corpus, assessments: Mapping[SourceRef, TargetAssessment], report: Report) -> list[TargetView]:
    """The targets a report sets, with their assessments (looked up by reference)."""
    views = []
    for index, target in enumerate(report.targets):
        ref = SourceRef(report.id, "targets", index)
        assessment = assessments.get(ref)
        park = corpus.parks[corpus.park_of(report, target.park)]
        views.append(
            TargetView(
                what=target.what,
                target=target,
                park=park_link(park),
                report=report_link(report),
                set_on=report.published,
                outcome=assessment.status if assessment else "unknown",
                reason=assessment.reason_zh if assessment else "",
                reason_en=assessment.reason_en if assessment else "",
                evidence=tuple(ref.href for ref in assessment.evidence) if assessment else (),
                cite=ref.href,
            )
        )
    return views


def assessment_view(corpus: Corpus, assessment: TargetAssessment) -> TargetView:
    report = corpus.reports[assessment.ref.report]
    target = report.targets[assessment.ref.index]
    return TargetView(
        what=assessment.what,
        target=target,
        park=park_link(corpus.parks[assessment.park]),
        report=report_link(report),
        set_on=report.published,
        outcome=assessment.status,
        reason=assessment.reason_zh,
        reason_en=assessment.reason_en,
        evidence=tuple(ref.href for ref in assessment.evidence),
        cite=assessment.ref.href,
    )


@dataclass(frozen=True)
class IssueView:
    """A data-quality warning with links to the facts it concerns."""

    severity: str
    kind: str
    message: str
    park: Link | None
    cites: tuple[str, ...]
    message_en: str = ""  # the message in English, for the English edition


def issue_view(corpus: Corpus, issue: QualityIssue) -> IssueView:
    park = corpus.parks.get(issue.park) if issue.park else None
    return IssueView(
        severity=issue.severity,
        kind=issue.kind,
        message=issue.message_zh,
        message_en=issue.message_en,
        park=park_link(park) if park else None,
        cites=tuple(ref.href for ref in issue.refs),
    )


@dataclass(frozen=True)
class FactView:
    """A notable qualitative fact (award, event, policy...)."""

    kind: str
    text: str
    date: str | None
    report: Link
    cite: str


def fact_views(report: Report, park: str | None = None) -> list[FactView]:
    return [
        FactView(fact.kind, fact.text, fact.date or report.published, report_link(report), SourceRef(report.id, "facts", index).href)
        for index, fact in enumerate(report.facts)
        if park is None or (fact.park or report.parks[0]) == park
    ]


@dataclass(frozen=True)
class ReportEntry:
    """An extracted fact listed beside its source text, linking to its highlight.

    ``status`` is the event status of a project event or the kind of a fact.
    """

    anchor: str  # e.g. indicators-0, the id of its highlighted quote
    collection: str  # indicators, targets, project_events, facts
    label: str
    figure: FigureView | None = None
    status: str = ""
