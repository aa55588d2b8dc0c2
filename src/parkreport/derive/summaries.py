"""The summaries the pages need: park-year, cross-park per year and span, per metric.

A report belongs to a year by its date (or, when it covers a period, by that
period's year too): Puyang's 2023 summary uses the report on H1 2023.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

from ..corpus import Corpus
from ..model import Report
from .derived import HeadlineFigure, MetricView, OverviewRow, ParkYearSummary, YearOverview
from .progress import changes_in_year
from .results import (
    DerivedNumber,
    InvestmentTotal,
    Observation,
    ProjectTimeline,
    QualityIssue,
    Series,
    TargetAssessment,
)
from .yoy import preference_key

_T = TypeVar("_T")

#: Metric ids that count signed projects and sum their investment, when the
#: content reports them as indicators; otherwise signings come from project
#: claims with the status ``signed``.
SIGNING_COUNT_METRICS: tuple[str, ...] = ("projects-signed", "signed-projects", "signed-project-count")
SIGNING_AMOUNT_METRICS: tuple[str, ...] = ("signed-investment", "projects-signed-investment", "signed-project-investment")


def _span_order(span: str, series: Iterable[Series]) -> tuple[int, str]:
    """Longer cumulative spans first (full year, then Jan-Sep, H1 ...)."""
    point = next((p for s in series if s.span == span for p in s.points), None)
    length = (point.period.last - point.period.first) if point else 0
    return (-length, span)


def _metric_order(corpus: Corpus) -> dict[str, int]:
    return {metric_id: index for index, metric_id in enumerate(corpus.metrics)}


def _figures(corpus: Corpus, series: Iterable[Series], park: str, year: int) -> tuple[HeadlineFigure, ...]:
    order = _metric_order(corpus)
    own = [s for s in series if s.park == park]
    figures = [
        HeadlineFigure(s.metric, s.scope, s.span, point, s)
        for s in own for point in s.points if point.year == year
    ]
    spans = {span: _span_order(span, own) for span in {f.span for f in figures}}
    return tuple(sorted(figures, key=lambda f: (order.get(f.metric, len(order)), f.scope, spans[f.span])))


def _year_reports(park_reports: Iterable[tuple[str, Report]], dates: dict[str, dt.date | None],
                  year: int) -> tuple[str, ...]:
    """A park's reports dated in ``year`` or covering a period of it."""
    return tuple(
        report_id for report_id, report in park_reports
        if ((date := dates.get(report_id)) is not None and date.year == year)
        or (report.period is not None and report.period.year == year)
    )


def _longest(candidates: list[Observation]) -> Observation:
    """The figure covering most of the year: a full year beats "so far", which beats H1."""
    return max(candidates, key=lambda o: (o.period.is_full_year, o.period.last - o.period.first, preference_key(o)))


def _signings_count(corpus: Corpus, observations: Iterable[Observation], timelines: Iterable[ProjectTimeline],
                    park: str, year: int) -> DerivedNumber | None:
    candidates = [o for o in observations if o.park == park and o.metric in SIGNING_COUNT_METRICS
                  and o.period.year == year and o.value is not None and o.status != "target"]
    if candidates:
        return _longest(candidates).value
    signed = [
        c for t in timelines if t.park == park for c in t.claims
        if c.status == "signed" and c.year == year
    ]
    projects = sorted({c.project for c in signed})
    if not projects:
        return None
    return DerivedNumber(
        float(len(projects)), "个", "count_stated", f"{year}年报告称已签约的项目数",
        f"projects reported as signed in {year}", tuple(sorted({c.ref for c in signed})),
    )


def _signings_amount(observations: Iterable[Observation], investment: Iterable[InvestmentTotal],
                     park: str, year: int) -> tuple[DerivedNumber, ...]:
    candidates = [o for o in observations if o.park == park and o.metric in SIGNING_AMOUNT_METRICS
                  and o.period.year == year and o.value is not None and o.status != "target"]
    if candidates:
        best = _longest(candidates)
        assert best.value is not None
        return (best.value,)
    return tuple(t.total for t in investment if t.park == park and t.year == year and t.stage == "signed")


def park_year_summary(corpus: Corpus, park: str, year: int, *, series: tuple[Series, ...],
                      observations: tuple[Observation, ...], targets: tuple[TargetAssessment, ...],
                      timelines: tuple[ProjectTimeline, ...], investment: tuple[InvestmentTotal, ...],
                      quality: tuple[QualityIssue, ...], dates: dict[str, dt.date | None],
                      park_reports: tuple[tuple[str, Report], ...] | None = None) -> ParkYearSummary:
    """One park-year page; the tuples may hold every park's facts or just this park's."""
    if park_reports is None:
        park_reports = tuple((rid, r) for rid, r in sorted(corpus.reports.items()) if park in r.parks)
    figures = _figures(corpus, series, park, year)
    # Reports of the year, and any later report that states a figure for it (a revision).
    year_refs = {o.ref for f in figures for o in (f.point.observation, *f.point.alternatives)}
    stated = {ref.report for ref in year_refs}
    own_reports = set(_year_reports(park_reports, dates, year))
    reports = tuple(sorted(own_reports | stated))
    changes = tuple(
        change for t in timelines if t.park == park
        if (change := changes_in_year(t, year)) is not None
    )
    own_investment = tuple(t for t in investment if t.park == park and t.year == year)
    return ParkYearSummary(
        park=park, year=year, reports=reports,
        headline=tuple(f for f in figures if corpus.metrics[f.metric].headline and not f.scope),
        figures=figures,
        # Set this year: by the year's own reports, not a later one that only revises a figure of it.
        targets_set=tuple(t for t in targets if t.park == park and t.ref.report in own_reports),
        targets_due=tuple(t for t in targets if t.park == park and t.horizon is not None and t.horizon.year == year),
        signings_count=_signings_count(corpus, observations, timelines, park, year),
        signings_amount=_signings_amount(observations, investment, park, year),
        projects_advanced=tuple(c for c in changes if c.direction in ("advanced", "progress")),
        investment=own_investment,
        # A later report counts here only for the figures it states about this year.
        quality=tuple(i for i in quality if i.park == park and (
            any(r.report in own_reports or r in year_refs for r in i.refs) or any(r in own_reports for r in i.reports))),
        project_changes=changes,
    )


def park_years(corpus: Corpus, dates: dict[str, dt.date | None], series: tuple[Series, ...]) -> list[tuple[str, int]]:
    """Every (park, year) with a dated report or a figure."""
    pairs: set[tuple[str, int]] = set()
    for report_id, report in corpus.reports.items():
        date = dates.get(report_id)
        for park in report.parks:
            if date is not None:
                pairs.add((park, date.year))
            if report.period is not None and report.period.year is not None:
                pairs.add((park, report.period.year))
    pairs.update((s.park, p.year) for s in series for p in s.points)
    return sorted(pairs)


def park_year_summaries(corpus: Corpus, dates: dict[str, dt.date | None], *, series: tuple[Series, ...],
                        observations: tuple[Observation, ...], targets: tuple[TargetAssessment, ...],
                        timelines: tuple[ProjectTimeline, ...], investment: tuple[InvestmentTotal, ...],
                        quality: tuple[QualityIssue, ...]) -> tuple[ParkYearSummary, ...]:
    """Every park-year summary; each park's facts are sliced out once, not per year."""
    def by_park(items: Iterable[_T], park_of: Callable[[_T], str | None]) -> dict[str | None, tuple[_T, ...]]:
        grouped: dict[str | None, list[_T]] = defaultdict(list)
        for item in items:
            grouped[park_of(item)].append(item)
        return {park: tuple(members) for park, members in grouped.items()}

    reports: dict[str, list[tuple[str, Report]]] = defaultdict(list)
    for report_id, report in sorted(corpus.reports.items()):
        for park in report.parks:
            reports[park].append((report_id, report))
    slices = (
        by_park(series, lambda s: s.park), by_park(observations, lambda o: o.park),
        by_park(targets, lambda t: t.park), by_park(timelines, lambda t: t.park),
        by_park(investment, lambda t: t.park), by_park(quality, lambda i: i.park),
    )
    return tuple(
        park_year_summary(
            corpus, park, year, series=slices[0].get(park, ()), observations=slices[1].get(park, ()),
            targets=slices[2].get(park, ()), timelines=slices[3].get(park, ()),
            investment=slices[4].get(park, ()), quality=slices[5].get(park, ()), dates=dates,
            park_reports=tuple(reports[park]),
        )
        for park, year in park_years(corpus, dates, series)
    )


def year_overviews(corpus: Corpus, series: Iterable[Series]) -> tuple[YearOverview, ...]:
    """All parks side by side, one table per year and span (never mixing spans).

    "So far this year" figures are left out: their cut-off dates differ from
    report to report, so parks' figures would not be comparable.
    """
    order = _metric_order(corpus)
    tables: dict[tuple[int, str], list[OverviewRow]] = defaultdict(list)
    for s in series:
        if not s.comparable_span:
            continue
        for point in s.points:
            tables[(point.year, s.span)].append(OverviewRow(s.park, s.metric, s.scope, point))
    return tuple(
        YearOverview(year, span, tuple(sorted(rows, key=lambda r: (order.get(r.metric, len(order)), r.scope, r.park))))
        for (year, span), rows in sorted(tables.items())
    )


def metric_views(corpus: Corpus, series: Iterable[Series]) -> tuple[MetricView, ...]:
    grouped: dict[str, list[Series]] = defaultdict(list)
    for s in series:
        grouped[s.metric].append(s)
    return tuple(
        MetricView(metric_id, corpus.metrics[metric_id].unit,
                   tuple(sorted(grouped[metric_id], key=lambda s: (s.span, s.park, s.scope))))
        for metric_id in corpus.metrics if metric_id in grouped
    )
