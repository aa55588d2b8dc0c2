"""Plan the site: every page with its URL, template and typed context.

Each page kind has a context dataclass below; its fields are exactly what
the template of that kind receives as ``ctx`` (besides ``page``, the
:class:`Page` itself, and ``site``, the :class:`SiteInfo`). Contexts hold
the small display values of :mod:`parkreport.views`, never the whole corpus.

==================  ======================  ===================
URL                 template                context
==================  ======================  ===================
/                   home.html               HomeContext
/parks/<id>/        park.html               ParkContext
/parks/<id>/<y>/    park_year.html          ParkYearContext
/years/<y>/         year.html               YearContext
/metrics/<id>/      metric.html             MetricContext
/projects/          projects.html           ProjectsContext
/projects/<id>/     project.html            ProjectContext
/reports/           reports.html            ReportsContext
/reports/<id>/      report.html             ReportContext
/quality/           quality.html            QualityContext
/methods/           methods.html            MethodsContext
/search/            search.html             SearchContext
/404.html           404.html                NotFoundContext
==================  ======================  ===================

The lists of every park (a year, a metric, data quality, the projects, the
reports) are paged: the
parks with something to show in the list, ``parks_per_page`` a page in the
order of their paths (:attr:`SiteIndex.list_pages`), the first page at the
URL above and the others at ``<URL>page/<n>/``, each with a :class:`Pager`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .corpus import Corpus
from .derive import Derived, QualityIssue
from .export import DOWNLOADS, Download
from .highlight import SourceSegment
from .markup import render_markdown
from .model import Metric, Park, Project, Report
from .rows import (
    ChangeView,
    ParkCard,
    ProjectRow,
    QualityGroup,
    SeriesView,
    YearFigureRow,
    YearTable,
    histories_worth_charting,
    severity_counts,
)
from .siteindex import ListKey, SiteIndex
from .views import (
    ClaimView,
    FactView,
    FigureView,
    IssueView,
    Link,
    ReportEntry,
    ReportRow,
    TargetView,
)


@dataclass(frozen=True)
class SiteInfo:
    """What every page knows about the site: title, language, navigation."""

    title: str = "园区经济报告"
    description: str = "中国产业园区经济指标、目标与项目进展，每个数字都可追溯到原文。"
    language: str = "zh-CN"
    author: str = ""
    license: str = ""
    nav: tuple[Link, ...] = (
        Link("/", "首页"),
        Link("/projects/", "项目"),
        Link("/reports/", "报告"),
        Link("/quality/", "数据质量"),
        Link("/methods/", "方法与下载"),
        Link("/search/", "搜索"),
    )


@dataclass(frozen=True)
class Page:
    """One page of the site: where it goes, how it is rendered, what it shows."""

    path: str  # site path, ending in '/' (or a file name such as /404.html)
    kind: str
    template: str
    title: str
    context: Any
    description: str = ""  # plain text, for search engines and link previews

    @property
    def output_file(self) -> str:
        """The file it is written to, relative to the output directory."""
        return output_file_of(self.path)


def output_file_of(path: str) -> str:
    """The file a page of ``path`` is written to, relative to the output directory."""
    relative = path.lstrip("/")
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


# --------------------------------------------------------------------------
# Contexts, one per page kind


@dataclass(frozen=True)
class HomeContext:
    parks: tuple[ParkCard, ...]
    latest_reports: tuple[ReportRow, ...]
    years: tuple[Link, ...]
    metrics: tuple[Link, ...]
    project_count: int
    report_count: int


@dataclass(frozen=True)
class ParkContext:
    park: Park
    parent: Link | None
    headline: tuple[FigureView, ...]  # latest figure of each headline metric
    figures: tuple[FigureView, ...]  # latest figure of every other metric
    charts: tuple[SeriesView, ...]  # history of each metric and span, for metrics with two points or more to draw
    targets: tuple[TargetView, ...]
    projects: tuple[ProjectRow, ...]
    facts: tuple[FactView, ...]
    reports: tuple[ReportRow, ...]
    years: tuple[Link, ...]


@dataclass(frozen=True)
class ParkYearContext:
    park: Link
    year: int
    previous_year: Link | None
    next_year: Link | None
    comparable: tuple[YearFigureRow, ...]  # a same-span figure of last year exists
    not_comparable: tuple[YearFigureRow, ...]  # only an implied value, or other spans, of last year
    other_figures: tuple[FigureView, ...]  # nothing of last year to compare with
    targets_due: tuple[TargetView, ...]  # deadline in this year (wherever they were set)
    targets_set: tuple[TargetView, ...]  # set this year, deadline later or none (not repeated from targets_due)
    signings: tuple[FigureView, ...]
    projects_advanced: tuple[ChangeView, ...]
    quality: tuple[IssueView, ...]
    reports: tuple[ReportRow, ...]


@dataclass(frozen=True)
class PagerEntry:
    """One page of a paged list: its path and number, and the first and last parks it can show."""

    path: str
    number: int
    first: Link
    last: Link


@dataclass(frozen=True)
class Pager:
    """Where a page of a paged list stands; the template shows it only when there are several pages."""

    number: int  # this page's, from 1
    pages: tuple[PagerEntry, ...]  # every page of the list, in order

    @property
    def previous(self) -> PagerEntry | None:
        return self.pages[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> PagerEntry | None:
        return self.pages[self.number] if self.number < len(self.pages) else None


@dataclass(frozen=True)
class QualityNavEntry:
    """A park with data-quality issues, in the list on the first page of /quality/."""

    park: Link | None  # None: issues not tied to a park
    count: int
    page: str  # the page its issues are on; "" when it is this page


@dataclass(frozen=True)
class YearContext:
    year: int
    tables: tuple[YearTable, ...]  # one per span: an H1 figure never shares a table with a Jan-Apr one
    parks: tuple[Link, ...]  # park-year pages of this year
    reports: tuple[ReportRow, ...]
    pager: Pager  # this page's parks only: tables, park-years and reports (a report is on the page of each of its parks)


@dataclass(frozen=True)
class MetricContext:
    metric: Metric
    series: tuple[SeriesView, ...]  # this page's parks only
    pager: Pager


@dataclass(frozen=True)
class ProjectsContext:
    projects: tuple[ProjectRow, ...]  # this page's parks' only, park by park
    stages: tuple[str, ...]  # stage ids present on the whole site (first page only; () on the others)
    site_stages: tuple[str | None, ...]  # every project's stage (None: unclear), for the chart (first page only)
    total: int  # projects of the whole site (first page only; 0 on the others)
    pager: Pager


@dataclass(frozen=True)
class ProjectContext:
    project: Project
    park: Link
    row: ProjectRow
    timeline: tuple[ClaimView, ...]
    targets: tuple[TargetView, ...]


@dataclass(frozen=True)
class ReportsContext:
    reports: tuple[ReportRow, ...]  # this page's parks' only, newest first (a report is on the page of each of its parks)
    pager: Pager


@dataclass(frozen=True)
class ReportContext:
    report: Report
    parks: tuple[Link, ...]
    segments: tuple[SourceSegment, ...]
    entries: tuple[ReportEntry, ...]
    original: str
    removed: str
    source_file: str
    original_file: str


@dataclass(frozen=True)
class QualityContext:
    total: int  # every issue of the site (first page only; 0 on the others)
    counts: tuple[tuple[str, int], ...]  # severity -> number of issues of the site, in severity order (first page only)
    nav: tuple[QualityNavEntry, ...]  # every park with issues, parks with errors first (first page only)
    groups: tuple[QualityGroup, ...]  # this page's issues by park (anchor park-<id>), parks with errors first
    pager: Pager


@dataclass(frozen=True)
class MethodsContext:
    downloads: tuple[Download, ...]
    metrics: tuple[Metric, ...]
    parks: tuple[Link, ...]  # per-park CSV files exist for these


@dataclass(frozen=True)
class SearchContext:
    index_path: str = "/data/search.json"


@dataclass(frozen=True)
class NotFoundContext:
    suggestions: tuple[Link, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------
# The plan


def plain_text(markdown_text: str, limit: int = 160) -> str:
    """A Markdown text as one line of plain text, shortened, for meta descriptions."""
    text = " ".join(render_markdown(markdown_text).striptags().split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class PageSpec:
    """A page before its context is built: its kind and key, URL and template.

    Specs are cheap: the plan of a national site fits in memory, and each
    page's context is built (by :func:`page_of`) only where it is rendered.
    """

    path: str
    kind: str
    template: str
    key: tuple[str | int, ...] = ()

    @property
    def output_file(self) -> str:
        return output_file_of(self.path)


def plan_specs(index: SiteIndex) -> list[PageSpec]:
    """Every page of the site as a spec, in the order :func:`plan_pages` gives them."""
    corpus = index.corpus
    specs = [PageSpec("/", "home", "home.html")]
    for park in corpus.parks.values():
        specs.append(PageSpec(f"/parks/{park.id}/", "park", "park.html", (park.id,)))
        specs.extend(PageSpec(f"/parks/{park.id}/{year}/", "park_year", "park_year.html", (park.id, year))
                     for year in index.park_years(park.id))
    specs.extend(PageSpec(paged_path(f"/years/{year}/", number), "year", "year.html", (year, number))
                 for year in index.years() for number in _numbers(index, ("year", year)))
    specs.extend(PageSpec(paged_path(f"/metrics/{metric_id}/", number), "metric", "metric.html", (metric_id, number))
                 for metric_id in sorted(corpus.metrics) for number in _numbers(index, ("metric", metric_id)))
    specs.extend(PageSpec(paged_path("/projects/", number), "projects", "projects.html", (number,))
                 for number in _numbers(index, ("projects",)))
    specs.extend(PageSpec(f"/projects/{project_id}/", "project", "project.html", (project_id,)) for project_id in corpus.projects)
    specs.extend(PageSpec(paged_path("/reports/", number), "reports", "reports.html", (number,))
                 for number in _numbers(index, ("reports",)))
    specs.extend(PageSpec(f"/reports/{report_id}/", "report", "report.html", (report_id,)) for report_id in corpus.reports)
    specs.extend(PageSpec(paged_path("/quality/", number), "quality", "quality.html", (number,))
                 for number in _numbers(index, ("quality",)))
    for path, kind in (("/methods/", "methods"), ("/search/", "search"), ("/404.html", "404")):
        specs.append(PageSpec(path, kind, f"{kind}.html"))
    return specs


def _numbers(index: SiteIndex, key: ListKey) -> range:
    return range(1, len(index.pages_of(key)) + 1)


def paged_path(path: str, number: int) -> str:
    """The path of page ``number`` of a paged list at ``path``: the list's own path for the first."""
    return path if number == 1 else f"{path}page/{number}/"


def pager(index: SiteIndex, key: ListKey, path: str, number: int) -> Pager:
    """Page ``number`` of the paged list ``key``, at ``path``."""
    entries = tuple(
        PagerEntry(paged_path(path, page), page, index.park_link(parks[0]), index.park_link(parks[-1]))
        for page, parks in enumerate(index.pages_of(key), 1) if parks
    )
    return Pager(number, entries)


def paged_title(title: str, number: int) -> str:
    return title if number == 1 else f"{title}（第{number}页）"


def page_of(index: SiteIndex, spec: PageSpec, site: SiteInfo | None = None) -> Page:
    """The page a spec names, with its context built from the index."""
    corpus, key = index.corpus, spec.key
    if spec.kind == "park":
        return park_page(index, corpus.parks[str(key[0])])
    if spec.kind == "park_year":
        return park_year_page(index, corpus.parks[str(key[0])], int(key[1]))
    if spec.kind == "year":
        return year_page(index, int(key[0]), int(key[1]))
    if spec.kind == "metric":
        return metric_page(index, corpus.metrics[str(key[0])], int(key[1]))
    if spec.kind == "project":
        return project_page(index, corpus.projects[str(key[0])])
    if spec.kind == "report":
        return report_page(index, corpus.reports[str(key[0])])
    if spec.kind == "projects":
        return projects_page(index, int(key[0]))
    if spec.kind == "reports":
        return reports_page(index, int(key[0]))
    if spec.kind == "methods":
        metrics = tuple(sorted(corpus.metrics.values(), key=lambda m: m.id))
        return Page("/methods/", "methods", "methods.html", "方法与下载", MethodsContext(DOWNLOADS, metrics, index.park_links()))
    if spec.kind == "search":
        return Page("/search/", "search", "search.html", "搜索", SearchContext())
    if spec.kind == "404":
        return Page("/404.html", "404", "404.html", "页面不存在", NotFoundContext(site.nav if site else ()))
    return home_page(index) if spec.kind == "home" else quality_page(index, int(key[0]))


def plan_pages(corpus: Corpus, derived: Derived, site: SiteInfo | None = None, removed: dict[str, str] | None = None) -> list[Page]:
    """Every page of the site with its context, in a stable order (the eager form of :func:`plan_specs`).

    ``removed`` maps report ids to the site chrome ingest removed from their
    source (``sources/<id>.removed.txt``), shown on the source pages.
    """
    index = SiteIndex(corpus, derived, removed)
    return [page_of(index, spec, site) for spec in plan_specs(index)]


def home_page(index: SiteIndex) -> Page:
    corpus = index.corpus
    context = HomeContext(
        parks=tuple(index.park_card(park) for park in corpus.parks.values()),
        latest_reports=index.report_rows()[:10],
        years=tuple(Link(f"/years/{year}/", f"{year}年") for year in reversed(index.years())),
        metrics=tuple(Link(f"/metrics/{m.id}/", m.zh) for m in sorted(corpus.metrics.values(), key=lambda m: m.id)),
        project_count=len(corpus.projects),
        report_count=len(corpus.reports),
    )
    return Page("/", "home", "home.html", "首页", context)


def park_page(index: SiteIndex, park: Park) -> Page:
    headline, figures = index.latest_figures(park.id)
    parent = index.corpus.parks.get(park.parent) if park.parent else None
    context = ParkContext(
        park=park,
        parent=Link(f"/parks/{parent.id}/", parent.name) if parent else None,
        headline=headline,
        figures=figures,
        charts=histories_worth_charting(index.series_views(park=park.id)),
        targets=index.park_targets(park.id),
        projects=index.projects_of(park.id),
        facts=index.park_facts(park.id),
        reports=index.report_rows(park=park.id),
        years=tuple(Link(f"/parks/{park.id}/{year}/", f"{year}年") for year in index.park_years(park.id)),
    )
    return Page(f"/parks/{park.id}/", "park", "park.html", park.name, context, plain_text(park.description))


def park_year_page(index: SiteIndex, park: Park, year: int) -> Page:
    years = index.park_years(park.id)
    position = years.index(year)
    link = Link(f"/parks/{park.id}/", park.name)

    def year_link(other: int) -> Link:
        return Link(f"/parks/{park.id}/{other}/", f"{other}年")

    rows = index.year_rows(park.id, year)
    summary = index.park_year_summaries.get((park.id, year))
    context = ParkYearContext(
        park=link,
        year=year,
        previous_year=year_link(years[position - 1]) if position > 0 else None,
        next_year=year_link(years[position + 1]) if position + 1 < len(years) else None,
        comparable=rows.comparable,
        not_comparable=rows.not_comparable,
        other_figures=rows.alone,
        targets_due=index.assessments(summary.targets_due) if summary else (),
        targets_set=index.assessments(t for t in summary.targets_set if t not in summary.targets_due) if summary else (),
        signings=index.signings(summary) if summary else (),
        projects_advanced=index.changes(summary.projects_advanced) if summary else (),
        quality=index.issues(summary.quality) if summary else (),
        reports=index.report_rows(park=park.id, year=year),
    )
    return Page(f"/parks/{park.id}/{year}/", "park_year", "park_year.html", f"{park.name} {year}年", context)


def year_page(index: SiteIndex, year: int, number: int = 1) -> Page:
    key = ("year", year)
    shown = set(index.pages_of(key)[number - 1])
    context = YearContext(
        year=year,
        tables=index.year_tables(year, shown),
        parks=tuple(
            Link(f"/parks/{park.id}/{year}/", park.name)
            for park in index.parks_in_order(shown)
            if year in index.park_years(park.id)
        ),
        reports=index.report_rows(year=year, parks=shown),
        pager=pager(index, key, f"/years/{year}/", number),
    )
    return Page(paged_path(f"/years/{year}/", number), "year", "year.html", paged_title(f"{year}年各园区", number), context)


def metric_page(index: SiteIndex, metric: Metric, number: int = 1) -> Page:
    key = ("metric", metric.id)
    shown = index.pages_of(key)[number - 1]
    series = tuple(sorted((view for park in shown for view in index.series_views(park=park, metric=metric.id)),
                          key=lambda v: (v.park.path, v.scope, v.span)))
    context = MetricContext(metric=metric, series=series, pager=pager(index, key, f"/metrics/{metric.id}/", number))
    return Page(paged_path(f"/metrics/{metric.id}/", number), "metric", "metric.html", paged_title(metric.zh, number), context, metric.en)


def project_page(index: SiteIndex, project: Project) -> Page:
    row = index.project_row(project.id)
    context = ProjectContext(
        project=project,
        park=row.park,
        row=row,
        timeline=index.timeline(project.id),
        targets=index.project_targets(project.id),
    )
    return Page(f"/projects/{project.id}/", "project", "project.html", project.name, context, plain_text(project.description))


def report_page(index: SiteIndex, report: Report) -> Page:
    highlighted = index.highlighted(report)
    context = ReportContext(
        report=report,
        parks=tuple(index.park_link(park) for park in report.parks),
        segments=highlighted.segments,
        entries=index.report_entries(report),
        original=index.corpus.originals.get(report.id, ""),
        removed=index.removed_text(report),
        source_file=report.source_file,
        original_file=report.original_file,
    )
    return Page(f"/reports/{report.id}/", "report", "report.html", report.title, context, plain_text(report.summary))


def projects_page(index: SiteIndex, number: int = 1) -> Page:
    """Page ``number`` of /projects/: its parks' projects; the first also counts and charts every project's stage."""
    key: ListKey = ("projects",)
    rows = index.projects_of_parks(index.pages_of(key)[number - 1])
    if number == 1:
        everything, stages = index.projects_table()
        context = ProjectsContext(rows, stages, tuple(row.stage for row in everything), len(everything),
                                  pager(index, key, "/projects/", 1))
    else:
        context = ProjectsContext(rows, (), (), 0, pager(index, key, "/projects/", number))
    return Page(paged_path("/projects/", number), "projects", "projects.html", paged_title("项目", number), context)


def reports_page(index: SiteIndex, number: int = 1) -> Page:
    """Page ``number`` of /reports/: the reports about its parks, newest first."""
    key: ListKey = ("reports",)
    context = ReportsContext(index.report_rows(parks=index.pages_of(key)[number - 1]), pager(index, key, "/reports/", number))
    return Page(paged_path("/reports/", number), "reports", "reports.html", paged_title("报告", number), context)


def quality_page(index: SiteIndex, number: int = 1) -> Page:
    """Page ``number`` of /quality/: its parks' issues; the first also has the totals, every park's count, and
    the issues tied to no known park."""
    key: ListKey = ("quality",)
    if number == 1:
        # Counted from the issues themselves: views are made only for the parks this page shows
        # (a national site has hundreds of thousands of issues, and this page is built on every edit).
        everything = index.derived.quality
        parks = _quality_parks(index, everything)
        page_of_park = index.page_of_park(key)
        pages = [page_of_park.get(park, 1) for park, _ in parks]  # issues tied to no known park: the first page
        nav = tuple(QualityNavEntry(_quality_park_link(index, park), len(found), _quality_page_path(page))
                    for (park, found), page in zip(parks, pages))
        groups = tuple(_quality_group(index, park, found) for (park, found), page in zip(parks, pages) if page == 1)
        context = QualityContext(len(everything), severity_counts(everything), nav, groups, pager(index, key, "/quality/", 1))
    else:
        parks = _quality_parks(index, index.park_issues(index.pages_of(key)[number - 1]))
        context = QualityContext(0, (), (), tuple(_quality_group(index, park, found) for park, found in parks),
                                 pager(index, key, "/quality/", number))
    return Page(paged_path("/quality/", number), "quality", "quality.html", paged_title("数据质量", number), context)


def _quality_parks(index: SiteIndex, issues: Iterable[QualityIssue]) -> list[tuple[str, list[QualityIssue]]]:
    """Issues by known park ("": tied to none), parks with errors first (then warnings), then in the order of their
    paths; without making their views."""
    by_park: dict[str, list[QualityIssue]] = {}
    for issue in issues:
        by_park.setdefault(issue.park if issue.park and issue.park in index.corpus.parks else "", []).append(issue)
    counted = [(tuple(-count for _, count in severity_counts(found)[:2]), index.park_link(park).path if park else "~", park)
               for park, found in by_park.items()]
    return [(park, by_park[park]) for *_, park in sorted(counted)]


def _quality_park_link(index: SiteIndex, park: str) -> Link | None:
    return index.park_link(park) if park else None


def _quality_group(index: SiteIndex, park: str, issues: list[QualityIssue]) -> QualityGroup:
    """One park's issues as the page lists them, errors first."""
    return QualityGroup(_quality_park_link(index, park), index.issues(issues), severity_counts(issues))


def _quality_page_path(number: int) -> str:
    return "" if number == 1 else paged_path("/quality/", number)
