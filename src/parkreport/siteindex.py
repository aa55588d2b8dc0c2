"""Lookups over the corpus and derive's results, built once per build.

Page planning asks many small questions ("the latest figures of this park",
"the timeline of that project"); :class:`SiteIndex` answers each from
dictionaries built once, so planning stays linear in the size of the
content. The display values it returns are defined in :mod:`parkreport.views` and
:mod:`parkreport.rows`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from functools import cached_property

from .corpus import Corpus
from .derive import (
    Derived,
    HeadlineFigure,
    Observation,
    OverviewRow,
    ParkYearSummary,
    QualityIssue,
    Series,
    SourceRef,
    StageChange,
    TargetAssessment,
    YearOverview,
    YoYComparison,
)
from .highlight import Highlighted, QuoteAnchor, highlight
from .model import Park, Report
from .periods import Period
from .quotes import SourceText
from .rows import (
    ChangeView,
    ParkCard,
    ProjectRow,
    SeriesPointView,
    SeriesView,
    YearFigureRow,
    YearRow,
    YearRows,
    YearTable,
)
from .views import (
    ClaimView,
    FactView,
    FigureView,
    IssueView,
    Link,
    ReportEntry,
    ReportRow,
    TargetView,
    assessment_view,
    claim_view,
    derived_figure,
    fact_views,
    implied_prior_figure,
    issue_view,
    metric_name,
    observation_figure,
    park_link,
    point_figure,
    report_row,
    reports_newest_first,
    target_views,
)

PARKS_PER_PAGE = 20  # the default of parkreport.yaml's parks_per_page

ListKey = tuple[str | int, ...]  # a paged list: ("metric", id), ("year", year), ("quality",), ("projects",) or ("reports",)

_STATUS_RANK = {"revised": 3, "actual": 2, "estimated": 1, "target": 0}


def _latest_key(observation: Observation) -> tuple[int, int, int, dt.date, int]:
    period = observation.period
    return (
        period.year or 0,
        period.last,
        -period.first,
        observation.report_date or dt.date.min,
        _STATUS_RANK.get(observation.status, 0),
    )


class SiteIndex:
    """Answers the questions page planning asks, from indexes built once."""

    def __init__(self, corpus: Corpus, derived: Derived, removed: dict[str, str] | None = None,
                 parks_per_page: int = PARKS_PER_PAGE) -> None:
        self.corpus = corpus
        self.derived = derived
        self.removed = removed or {}
        self.parks_per_page = parks_per_page
        self.observations_by_park: dict[str, list[Observation]] = defaultdict(list)
        self.observation_by_ref: dict[SourceRef, Observation] = {}
        for observation in derived.observations:
            self.observations_by_park[observation.park].append(observation)
            self.observation_by_ref[observation.ref] = observation
        self.comparison_by_ref: dict[SourceRef, YoYComparison] = {c.current.ref: c for c in derived.comparisons}
        self.timelines = {timeline.project: timeline for timeline in derived.timelines}
        self.park_year_summaries = {(summary.park, summary.year): summary for summary in derived.park_years}
        self.series_by_park: dict[str, list[Series]] = defaultdict(list)
        self.series_by_metric: dict[str, list[Series]] = defaultdict(list)
        for series in derived.series:
            self.series_by_park[series.park].append(series)
            self.series_by_metric[series.metric].append(series)

    def prepare(self) -> SiteIndex:
        """Build every lookup table now, so worker processes forked afterwards share them."""
        for name, member in vars(type(self)).items():
            if isinstance(member, cached_property):
                getattr(self, name)
        return self

    # -- links and lists ---------------------------------------------------

    def park_link(self, park_id: str) -> Link:
        park = self.corpus.parks.get(park_id)
        return park_link(park) if park else Link(f"/parks/{park_id}/", park_id)

    def park_links(self) -> tuple[Link, ...]:
        return tuple(park_link(park) for park in self.corpus.parks.values())

    @cached_property
    def list_pages(self) -> dict[ListKey, tuple[tuple[str, ...], ...]]:
        """The parks of each page of each paged list, by list: ``("metric", id)``, ``("year", y)``, ``("quality",)``,
        ``("projects",)``, ``("reports",)``.

        A list holds the parks that have something to show in it (a figure
        of the metric; a figure, a summary or a report of the year; a
        data-quality issue; a project; a report), ``parks_per_page`` a page, in the order the
        lists show parks in (of their paths, ``/parks/<id>/``: ``a-b``
        before ``a``). A list with no park has one empty page.
        """
        members: dict[ListKey, set[str]] = defaultdict(set)
        for metric in self.corpus.metrics:
            members[("metric", metric)] = {series.park for series in self.series_by_metric.get(metric, [])}
        for overview in self.derived.year_overviews:
            members[("year", overview.year)].update(row.park for row in overview.rows)
        for park, years in self._park_years.items():
            for year in years:
                members[("year", year)].add(park)
        for report in self.corpus.reports.values():
            for year in _report_years(report):
                members[("year", year)].update(report.parks)
        members[("quality",)] = {issue.park for issue in self.derived.quality if issue.park}
        members[("projects",)] = set(self.corpus.project_park.values())
        members[("reports",)] = {park for report in self.corpus.reports.values() for park in report.parks}
        size = self.parks_per_page
        pages = {}
        for key, parks in members.items():
            ordered = sorted((park for park in parks if park in self.corpus.parks), key=lambda park: f"/parks/{park}/")
            pages[key] = tuple(tuple(ordered[start:start + size]) for start in range(0, len(ordered), size)) or ((),)
        return pages

    def pages_of(self, key: ListKey) -> tuple[tuple[str, ...], ...]:
        """The parks of each page of one paged list (see :attr:`list_pages`)."""
        return self.list_pages.get(key, ((),))

    def page_of_park(self, key: ListKey) -> dict[str, int]:
        """The page (1, 2, ...) each park of a paged list is on."""
        return {park_id: number for number, parks in enumerate(self.pages_of(key), 1) for park_id in parks}

    @cached_property
    def _park_rank(self) -> dict[str, int]:
        return {park_id: rank for rank, park_id in enumerate(self.corpus.parks)}

    def parks_in_order(self, parks: Iterable[str]) -> list[Park]:
        """``parks`` in the content's order of parks."""
        return [self.corpus.parks[park_id] for park_id in sorted(parks, key=self._park_rank.__getitem__)]

    @cached_property
    def _reports_newest_first(self) -> list[Report]:
        return reports_newest_first(self.corpus)

    @cached_property
    def _report_rows(self) -> dict[str, ReportRow]:
        return {report.id: report_row(self.corpus, report) for report in self._reports_newest_first}

    @cached_property
    def _reports_by_park(self) -> dict[str, list[Report]]:
        grouped: dict[str, list[Report]] = defaultdict(list)
        for report in self._reports_newest_first:
            for park in report.parks:
                grouped[park].append(report)
        return grouped

    @cached_property
    def _report_rank(self) -> dict[str, int]:
        return {report.id: rank for rank, report in enumerate(self._reports_newest_first)}

    def report_rows(self, park: str | None = None, year: int | None = None, parks: Collection[str] | None = None
                    ) -> tuple[ReportRow, ...]:
        """Reports, newest first, optionally of one park (or of any of ``parks``) and/or touching one year."""
        reports: Iterable[Report]
        if parks is not None:
            found = {report.id: report for one in parks for report in self._reports_by_park.get(one, [])}
            reports = sorted(found.values(), key=lambda report: self._report_rank[report.id])
        else:
            reports = self._reports_by_park.get(park, []) if park is not None else self._reports_newest_first
        return tuple(
            self._report_rows[report.id] for report in reports if year is None or year in _report_years(report)
        )

    # -- years -------------------------------------------------------------

    @cached_property
    def _park_years(self) -> dict[str, list[int]]:
        years: dict[str, set[int]] = defaultdict(set)
        for summary in self.derived.park_years:
            years[summary.park].add(summary.year)
        for observation in self.derived.observations:
            if observation.status != "target" and observation.period.year is not None:
                years[observation.park].add(observation.period.year)
        return {park: sorted(found) for park, found in years.items()}

    def park_years(self, park: str) -> list[int]:
        return self._park_years.get(park, [])

    def years(self) -> list[int]:
        found = {year for years in self._park_years.values() for year in years}
        found |= {overview.year for overview in self.derived.year_overviews}
        return sorted(found)

    # -- figures -----------------------------------------------------------

    def figure(self, observation: Observation) -> FigureView:
        comparison = self.comparison_by_ref.get(observation.ref)
        computed = comparison.computed.value if comparison is not None else None
        return observation_figure(self.corpus, observation, computed)

    def latest_figures(self, park: str) -> tuple[tuple[FigureView, ...], tuple[FigureView, ...]]:
        """The latest stated figure of each metric (and scope): headline metrics first."""
        latest: dict[tuple[str, str], Observation] = {}
        for observation in self.observations_by_park.get(park, []):
            if observation.status == "target" or observation.period.year is None:
                continue
            key = (observation.metric, observation.scope)
            if key not in latest or _latest_key(observation) > _latest_key(latest[key]):
                latest[key] = observation
        headline: list[FigureView] = []
        others: list[FigureView] = []
        for (metric_id, scope), observation in sorted(latest.items()):
            metric = self.corpus.metrics.get(metric_id)
            target = headline if metric is not None and metric.headline and not scope else others
            target.append(self.figure(observation))
        return tuple(headline), tuple(others)

    def park_card(self, park: Park) -> ParkCard:
        headline, _ = self.latest_figures(park.id)
        rows = self.report_rows(park=park.id)
        return ParkCard(park_link(park), park, headline, len(rows), rows[0].published if rows else None)

    def series_views(self, park: str | None = None, metric: str | None = None) -> tuple[SeriesView, ...]:
        found: Iterable[Series] = self.series_by_park.get(park, []) if park is not None else self.series_by_metric.get(metric or "", [])
        views = []
        for series in found:
            if metric is not None and series.metric != metric:
                continue
            points = tuple(SeriesPointView(point_figure(self.corpus, p), implied_prior_figure(self.corpus, p)) for p in series.points)
            views.append(
                SeriesView(self.park_link(series.park), Link(f"/metrics/{series.metric}/", metric_name(self.corpus, series.metric)),
                           series.scope, series.span, series.unit, points)
            )
        return tuple(sorted(views, key=lambda v: (v.metric.path, v.park.path, v.scope, v.span)))

    def year_rows(self, park: str, year: int) -> YearRows:
        """Figures of a park-year: comparable with last year, not comparable, and the rest."""
        summary = self.park_year_summaries.get((park, year))
        if summary is not None:
            figures = _unique_figures((*summary.headline, *summary.figures))
        else:
            figures = [HeadlineFigure(s.metric, s.scope, s.span, p, s) for s in self.series_by_park.get(park, [])
                       for p in s.points if p.year == year]
        comparable, not_comparable, alone = [], [], []
        for headline in figures:
            row = self._year_row(headline, year)
            if row.previous is not None:
                comparable.append(row)
            elif row.implied_prior is not None or row.other_spans:
                not_comparable.append(row)
            else:
                alone.append(row.figure)
        return YearRows(tuple(comparable), tuple(not_comparable), tuple(alone))

    def _year_row(self, headline: HeadlineFigure, year: int) -> YearFigureRow:
        point = headline.point
        comparison = point.comparison
        others = [
            self.figure(p.observation)
            for s in self.series_by_park.get(headline.series.park, [])
            if s.metric == headline.metric and s.scope == headline.scope and s.span != headline.span
            for p in s.points
            if p.year == year - 1
        ]
        return YearFigureRow(
            figure=point_figure(self.corpus, point),
            previous=self.figure(comparison.previous) if comparison else None,
            computed_yoy=comparison.computed.value if comparison else None,
            disagrees=comparison.disagrees if comparison else None,
            implied_prior=implied_prior_figure(self.corpus, point),
            other_spans=tuple(others),
        )

    @cached_property
    def _overview_rows(self) -> dict[int, list[tuple[YearOverview, dict[str, list[OverviewRow]]]]]:
        """Each year's overviews, with their rows by park."""
        found: dict[int, list[tuple[YearOverview, dict[str, list[OverviewRow]]]]] = defaultdict(list)
        for overview in self.derived.year_overviews:
            by_park: dict[str, list[OverviewRow]] = defaultdict(list)
            for row in overview.rows:
                by_park[row.park].append(row)
            found[overview.year].append((overview, by_park))
        return found

    def year_tables(self, year: int, parks: Collection[str] | None = None) -> tuple[YearTable, ...]:
        """Every park's (or ``parks``') figures of a year, one table per span."""
        tables = []
        for overview, by_park in self._overview_rows.get(year, []):
            shown = list(overview.rows) if parks is None else [row for park in sorted(parks) for row in by_park.get(park, [])]
            if not shown:
                continue
            rows = tuple(
                YearRow(self.park_link(row.park), point_figure(self.corpus, row.point))
                for row in sorted(shown, key=lambda r: (r.metric, r.park, r.scope))
            )
            tables.append(YearTable(overview.span, shown[0].point.period, rows))
        return tuple(sorted(tables, key=lambda t: (-t.period.last, t.period.first)))

    def signings(self, summary: ParkYearSummary) -> tuple[FigureView, ...]:
        period = Period(summary.year)
        numbers = ((summary.signings_count,) if summary.signings_count else ()) + summary.signings_amount
        return tuple(derived_figure(self.corpus, "", number, period) for number in numbers)

    # -- targets, projects, facts, quality -----------------------------------

    @cached_property
    def _targets_by_park(self) -> dict[str, list[TargetView]]:
        assessments = {assessment.ref: assessment for assessment in self.derived.targets}
        grouped: dict[str, list[TargetView]] = defaultdict(list)
        for report in self._reports_newest_first:
            for view in target_views(self.corpus, assessments, report):
                grouped[view.park.path].append(view)
        return grouped

    @cached_property
    def _targets_by_project(self) -> dict[str, list[TargetView]]:
        grouped: dict[str, list[TargetView]] = defaultdict(list)
        for views in self._targets_by_park.values():
            for view in views:
                if view.target.project:
                    grouped[view.target.project].append(view)
        return grouped

    def park_targets(self, park: str) -> tuple[TargetView, ...]:
        return tuple(self._targets_by_park.get(f"/parks/{park}/", ()))

    def project_targets(self, project: str) -> tuple[TargetView, ...]:
        return tuple(self._targets_by_project.get(project, ()))

    def assessments(self, assessments: Iterable[TargetAssessment]) -> tuple[TargetView, ...]:
        return tuple(assessment_view(self.corpus, assessment) for assessment in assessments)

    def park_facts(self, park: str) -> tuple[FactView, ...]:
        return tuple(view for report in self._reports_by_park.get(park, []) for view in fact_views(report, park))

    def timeline(self, project: str) -> tuple[ClaimView, ...]:
        timeline = self.timelines.get(project)
        return tuple(claim_view(self.corpus, claim) for claim in timeline.claims) if timeline else ()

    @cached_property
    def _project_rows(self) -> dict[str, ProjectRow]:
        rows = {}
        for project in self.corpus.projects.values():
            timeline = self.timelines.get(project.id)
            last = timeline.claims[-1] if timeline and timeline.claims else None
            last_view = claim_view(self.corpus, last) if last else None
            rows[project.id] = ProjectRow(
                link=Link(f"/projects/{project.id}/", project.name),
                park=self.park_link(self.corpus.project_park[project.id]),
                investor=project.investor,
                industry=project.industry,
                stage=timeline.current_stage if timeline else None,
                last_claim=last_view,
                last_date=(last_view.event_date or last_view.published) if last_view else None,
                stalled=timeline.stalled if timeline else False,
                claims=len(timeline.claims) if timeline else 0,
            )
        return rows

    def project_row(self, project: str) -> ProjectRow:
        return self._project_rows[project]

    def project_rows(self) -> tuple[ProjectRow, ...]:
        return tuple(self._project_rows.values())

    @cached_property
    def _projects_by_park(self) -> dict[str, list[ProjectRow]]:
        grouped: dict[str, list[ProjectRow]] = defaultdict(list)
        for project_id, row in self._project_rows.items():
            grouped[self.corpus.project_park[project_id]].append(row)
        return grouped

    def projects_of(self, park: str) -> tuple[ProjectRow, ...]:
        return tuple(self._projects_by_park.get(park, ()))

    def projects_table(self) -> tuple[tuple[ProjectRow, ...], tuple[str, ...]]:
        rows = self.project_rows()
        return rows, tuple(sorted({row.stage for row in rows if row.stage}))

    def projects_of_parks(self, parks: Iterable[str]) -> tuple[ProjectRow, ...]:
        """The projects of ``parks``, park by park in the order given, each park's in the content's order."""
        return tuple(row for park in parks for row in self._projects_by_park.get(park, ()))

    def changes(self, changes: Iterable[StageChange]) -> tuple[ChangeView, ...]:
        return tuple(
            ChangeView(
                project=self._project_rows[change.project].link,
                before=claim_view(self.corpus, change.before) if change.before else None,
                after=claim_view(self.corpus, change.after),
                direction=change.direction,
            )
            for change in changes
        )

    @cached_property
    def _issues_by_park(self) -> dict[str, list[QualityIssue]]:
        grouped: dict[str, list[QualityIssue]] = defaultdict(list)
        for issue in self.derived.quality:
            grouped[issue.park or ""].append(issue)
        return grouped

    def park_issues(self, parks: Iterable[str]) -> list[QualityIssue]:
        """The data-quality issues of ``parks``, park by park (see :meth:`issues` for their views)."""
        return [issue for park in parks for issue in self._issues_by_park.get(park, [])]

    def issues(self, issues: Iterable[QualityIssue]) -> tuple[IssueView, ...]:
        order = {"error": 0, "warning": 1, "info": 2}
        views = [issue_view(self.corpus, issue) for issue in issues]
        return tuple(sorted(views, key=lambda v: (order.get(v.severity, 3), v.park.path if v.park else "", v.kind, v.message)))

    # -- source pages --------------------------------------------------------

    def highlighted(self, report: Report) -> Highlighted:
        anchors = [QuoteAnchor(f"{name}-{index}", entry.quote) for name, entries in _collections(report) for index, entry in enumerate(entries)]
        source = self.corpus.sources.get(report.id) or SourceText("")
        return highlight(source, anchors)

    def report_entries(self, report: Report) -> tuple[ReportEntry, ...]:
        """Every extracted fact of a report, labelled, in YAML order."""
        entries = []
        for index, indicator in enumerate(report.indicators):
            observation = self.observation_by_ref.get(SourceRef(report.id, "indicators", index))
            figure = self.figure(observation) if observation else None
            entries.append(ReportEntry(f"indicators-{index}", "indicators", metric_name(self.corpus, indicator.metric), figure))
        for index, target in enumerate(report.targets):
            entries.append(ReportEntry(f"targets-{index}", "targets", target.what))
        for index, event in enumerate(report.project_events):
            project = self.corpus.projects.get(event.project)
            entries.append(ReportEntry(f"project_events-{index}", "project_events", project.name if project else event.project, status=event.status))
        for index, fact in enumerate(report.facts):
            entries.append(ReportEntry(f"facts-{index}", "facts", fact.text, status=fact.kind))
        return tuple(entries)

    def removed_text(self, report: Report) -> str:
        return self.removed.get(report.id, "")


def _collections(report: Report) -> list[tuple[str, list]]:  # type: ignore[type-arg]
    return [
        ("indicators", list(report.indicators)),
        ("targets", list(report.targets)),
        ("project_events", list(report.project_events)),
        ("facts", list(report.facts)),
    ]


def _report_years(report: Report) -> set[int]:
    years = set()
    if report.published:
        years.add(int(report.published[:4]))
    if report.period is not None and report.period.year is not None:
        years.add(report.period.year)
    return years


def _unique_figures(figures: Iterable[HeadlineFigure]) -> list[HeadlineFigure]:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for figure in figures:
        key = (figure.metric, figure.scope, figure.span)
        if key not in seen:
            seen.add(key)
            unique.append(figure)
    return unique
