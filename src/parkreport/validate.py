"""Cross-file rules: references resolve, units fit metrics, quotes occur in sources.

Single-file rules (types, unknown keys, YAML traps) are enforced while
loading; this stage sees the whole content and reports what only the whole
can tell. It never stops at the first problem, and it does not repeat a
problem: a reference to something that failed to load is not reported again
as unknown.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any

from .contentcache import ContentCache
from .corpus import Corpus
from .errors import ContentError, Problem
from .load import LoadedFile, RawContent, display_path, load_raw
from .model import Fact, Indicator, Metric, Park, Project, ProjectEvent, Report, Target
from .periods import partial_date_start
from .quotes import SourceText, missing_quotes
from .units import BaseUnit, UnitError, UnitRegistry
from .yamlreader import dotted

_MONEY_KINDS = {"CNY", "USD", "EUR", "HKD"}
_DECLARED_IN = {
    "park": "content/parks/",
    "metric": "content/metrics.yaml",
    "project": "the 'projects' of a park file",
    "target": "the 'id' of a target in the report that sets it",
}

Loc = tuple[Any, ...]
_QUOTED = ("indicators", "targets", "project_events", "facts")


def _date_span(text: str) -> tuple[dt.date, dt.date]:
    """First and last day a partial date (2023, 2023-07, 2023-07-15) can mean."""
    first = partial_date_start(text)
    if text.count("-") == 2:
        return first, first
    if text.count("-") == 1:
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return first, dt.date(first.year, 12, 31)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Checker:
    """Runs every cross-file rule, collecting problems."""

    def __init__(self, raw: RawContent) -> None:
        self.raw = raw
        self.problems: list[Problem] = list(raw.problems)
        self.metrics: dict[str, Metric] = {}
        self.metric_kinds: dict[str, str] = {}  # metric id -> kind of its usual unit, when known
        self.units = UnitRegistry()
        self.parks: dict[str, Park] = {}
        self.projects: dict[str, Project] = {}
        self.project_park: dict[str, str] = {}
        self.targets: dict[str, Report] = {}  # target id -> the report that sets it
        self.files: dict[str, str] = {}

    def at(self, loaded: LoadedFile, loc: Loc, message: str) -> None:
        """Record a problem at ``loc`` of a loaded model (translated to the file)."""
        loc = loaded.file_loc(loc)
        line, column = loaded.document.locate(loc)
        self.problems.append(Problem(loaded.document.path, line, column, dotted(loc), message))

    def unknown(self, loaded: LoadedFile, loc: Loc, kind: str, ref: str, known: dict[str, Any]) -> None:
        """Report an unresolved reference, unless what it names failed to load."""
        if ref in known or ref in self.raw.unresolved:
            return
        if kind == "metric" and ref == "unknown-metric" or kind == "project" and ref.startswith("new-project-"):
            # The placeholders 'parkreport extract' writes for what it could not name.
            self.at(loaded, loc, f"'{ref}' is a draft placeholder: replace it with the id of a {kind} declared in "
                                 f"{_DECLARED_IN[kind]} (declare one if needed), or delete the entry")
            return
        guess = difflib.get_close_matches(ref, list(known), n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        self.at(loaded, loc, f"unknown {kind} '{ref}'{hint}; declare it in {_DECLARED_IN[kind]} or fix the id")

    def unit(self, loaded: LoadedFile, loc: Loc, text: str) -> str | None:
        """The kind of unit ``text``, or None (reported) when it is unknown."""
        try:
            return self.units.parse(text).kind
        except UnitError as exc:
            if self.raw.metrics is not None:  # extra units may be declared in a broken metrics.yaml
                self.at(loaded, loc, str(exc))
            return None

    def own_id(self, loaded: LoadedFile, what: str, ident: str, seen: dict[str, str]) -> bool:
        """The id must match the file name and be unique among files of its kind; False for a duplicate."""
        name = Path(loaded.path).name
        if Path(loaded.path).stem != ident:
            self.at(loaded, ("id",), f"id '{ident}' must match the file name '{name}'; rename one of them")
        if ident in seen:
            self.at(loaded, ("id",), f"duplicate {what} id '{ident}' (also in {seen[ident]}); rename one of them")
            return False
        seen[ident] = loaded.path
        return True

    # -- vocabulary --------------------------------------------------------

    def check_metrics(self) -> None:
        loaded = self.raw.metrics
        if loaded is None:
            return
        self.units = UnitRegistry(tuple(BaseUnit(u.name, u.kind, u.factor, u.en) for u in loaded.model.units))
        for index, metric in enumerate(loaded.model.metrics):
            loc = ("metrics", index)
            if metric.id in self.metrics:
                self.at(loaded, loc + ("id",), f"duplicate metric id '{metric.id}'; rename or remove one of them")
            self.metrics[metric.id] = metric
            kind = self.unit(loaded, loc + ("unit",), metric.unit)
            if kind is not None:
                self.metric_kinds[metric.id] = kind

    # -- parks and projects ------------------------------------------------

    def check_parks(self) -> None:
        seen: dict[str, str] = {}
        for loaded in self.raw.parks:
            park: Park = loaded.model
            if not self.own_id(loaded, "park", park.id, seen):
                continue  # its projects would all be reported again as duplicates
            self.parks[park.id] = park
            self.files[f"park:{park.id}"] = loaded.path
            for index, project in enumerate(park.projects):
                if project.id in self.projects:
                    self.at(loaded, ("projects", index, "id"),
                            f"duplicate project id '{project.id}' (also in park '{self.project_park[project.id]}'); "
                            "project ids are unique across all parks: rename one of them")
                    continue
                self.projects[project.id] = project
                self.project_park[project.id] = park.id
        for loaded in self.raw.parks:
            park = loaded.model
            if park.parent == park.id:
                self.at(loaded, ("parent",), "a park cannot be its own parent")
            elif park.parent:
                self.unknown(loaded, ("parent",), "park", park.parent, self.parks)

    # -- reports -----------------------------------------------------------

    def collect_targets(self) -> None:
        """Target ids, unique across reports, so that facts of any report can refer to them."""
        for loaded in self.raw.reports:
            report: Report = loaded.model
            for index, target in enumerate(report.targets):
                if not target.id:
                    continue
                if target.id in self.targets:
                    self.at(loaded, ("targets", index, "id"),
                            f"duplicate target id '{target.id}' (also in report '{self.targets[target.id].id}'); "
                            "target ids are unique across all reports: rename one of them")
                else:
                    self.targets[target.id] = report

    def check_reports(self) -> tuple[dict[str, Report], dict[str, SourceText], dict[str, str]]:
        self.collect_targets()
        reports: dict[str, Report] = {}
        sources: dict[str, SourceText] = {}
        originals: dict[str, str] = {}
        seen: dict[str, str] = {}
        for loaded in self.raw.reports:
            report: Report = loaded.model
            self.own_id(loaded, "report", report.id, seen)
            reports[report.id] = report
            self.files[f"report:{report.id}"] = loaded.path
            if report.review.strip():
                self.at(loaded, ("review",), f"draft awaiting review ({report.review.strip()}); "
                        "check every entry against the source, then delete 'review'")
            for index, park in enumerate(report.parks):
                self.unknown(loaded, ("parks", index), "park", park, self.parks)
            source = self.source(loaded, report)
            if source is not None:
                sources[report.id] = source
            missing = self.missing_quotes(loaded, report, source)
            if report.original_file in self.raw.sources:
                originals[report.id] = self.raw.sources[report.original_file]
            elif report.original:
                self.at(loaded, ("original",), f"original '{report.original}' not found in content/sources/; "
                        "fix the file name or add the file")
            self.entries(loaded, report, missing)
        return reports, sources, originals

    def missing_quotes(self, loaded: LoadedFile, report: Report, source: SourceText | None) -> set[Loc]:
        """Where the report's quotes that its source lacks are (cached by the hashes of both files)."""
        if source is None:
            return set()
        entries = [((name, index), entry.quote) for name in _QUOTED for index, entry in enumerate(getattr(report, name))]
        report_digest = self.raw.digests.get(loaded.path)
        source_digest = self.raw.digests.get(f"sources/{report.source_file}")
        key = self.raw.cache.key("quotes", report_digest, source_digest) if report_digest and source_digest else ""
        found = self.raw.cache.get(key) if key else None
        if not isinstance(found, list):
            found = missing_quotes(source.text, [quote for _, quote in entries])
            if key:
                self.raw.cache.put(key, found)
        return {entries[index][0] for index in found if isinstance(index, int) and 0 <= index < len(entries)}

    def source(self, loaded: LoadedFile, report: Report) -> SourceText | None:
        text = self.raw.sources.get(report.source_file)
        if text is None:
            if f"sources/{report.source_file}" in self.raw.broken:
                return None  # unreadable: already reported
            self.at(
                loaded,
                ("source",) if report.source else ("id",),
                f"source text content/sources/{report.source_file} not found; "
                f"create it with 'parkreport ingest RAW_FILE --id {report.id}'",
            )
            return None
        return SourceText(text)

    def entries(self, loaded: LoadedFile, report: Report, missing: set[Loc]) -> None:
        lists: tuple[tuple[str, list[Any]], ...] = (
            ("indicators", report.indicators), ("targets", report.targets),
            ("project_events", report.project_events), ("facts", report.facts),
        )
        for name, entries in lists:
            for index, entry in enumerate(entries):
                loc = (name, index)
                if isinstance(entry, Indicator):
                    self.indicator(loaded, report, loc, entry)
                elif isinstance(entry, Target):
                    self.target(loaded, report, loc, entry)
                elif isinstance(entry, ProjectEvent):
                    self.project_event(loaded, report, loc, entry)
                elif isinstance(entry, Fact) and entry.fulfils:
                    self.fulfils(loaded, report, loc + ("fulfils",), entry.fulfils)
                if isinstance(entry, (Indicator, Target, Fact)):
                    self.park_ref(loaded, report, loc, entry.park)
                if loc in missing:
                    self.quote(loaded, loc, entry.quote)

    def park_ref(self, loaded: LoadedFile, report: Report, loc: Loc, park: str | None) -> None:
        if park is None:
            if len(report.parks) > 1:
                self.at(loaded, loc, f"this report covers several parks ({', '.join(report.parks)}); say which with 'park:'")
        elif park not in report.parks:
            self.at(loaded, loc + ("park",), f"park '{park}' is not among the report's parks ({', '.join(report.parks)}); add it to 'parks'")

    def metric_ref(self, loaded: LoadedFile, loc: Loc, metric_id: str) -> Metric | None:
        metric = self.metrics.get(metric_id)
        if metric is None and self.raw.metrics is not None:
            self.unknown(loaded, loc, "metric", metric_id, self.metrics)
        return metric

    def indicator(self, loaded: LoadedFile, report: Report, loc: Loc, indicator: Indicator) -> None:
        metric = self.metric_ref(loaded, loc + ("metric",), indicator.metric)
        kind = self.unit(loaded, loc + ("unit",), indicator.unit)
        if metric is not None and kind is not None and metric.id in self.metric_kinds:
            if kind != self.metric_kinds[metric.id]:
                self.at(loaded, loc + ("unit",), f"unit '{indicator.unit}' does not measure {metric.zh} (usual unit {metric.unit}); "
                        "a different currency or count is a different metric")
        published_year = int(report.published[:4]) if report.published else None
        year = indicator.period.year
        if indicator.status in ("actual", "estimated") and published_year and year and year > published_year:
            article = "an" if indicator.status == "estimated" else "a"
            self.at(loaded, loc + ("period",), f"{article} {indicator.status} figure for {year} in a report published in {published_year}: "
                    "is it a target? set status: target")

    def target(self, loaded: LoadedFile, report: Report, loc: Loc, target: Target) -> None:
        if target.metric:
            self.metric_ref(loaded, loc + ("metric",), target.metric)
        if target.unit:
            self.unit(loaded, loc + ("unit",), target.unit)
        if target.threshold:
            self.unit(loaded, loc + ("threshold", "unit"), target.threshold.unit)
        if target.project:
            self.project_ref(loaded, report, loc + ("project",), target.project)

    def fulfils(self, loaded: LoadedFile, report: Report, loc: Loc, target_id: str) -> None:
        """A fact can show only an earlier report's target achieved."""
        setter = self.targets.get(target_id)
        if setter is None:
            self.unknown(loaded, loc, "target", target_id, self.targets)
        elif setter.id == report.id:
            self.at(loaded, loc, f"target '{target_id}' is set by this same report; "
                    "only a later report can show that it was achieved")
        elif report.published and setter.published and _date_span(report.published)[1] < _date_span(setter.published)[0]:
            self.at(loaded, loc, f"target '{target_id}' is set by '{setter.id}', published {setter.published}, "
                    f"after this report ({report.published}); a fact can only fulfil an earlier target")

    def project_ref(self, loaded: LoadedFile, report: Report, loc: Loc, project: str) -> None:
        # A park file that failed to parse takes its project list with it.
        if not self.raw.unresolved.intersection(report.parks):
            self.unknown(loaded, loc, "project", project, self.projects)

    def project_event(self, loaded: LoadedFile, report: Report, loc: Loc, event: ProjectEvent) -> None:
        self.project_ref(loaded, report, loc + ("project",), event.project)
        for name in ("investment", "output_value"):
            amount = getattr(event, name)
            if amount is None:
                continue
            kind = self.unit(loaded, loc + (name, "unit"), amount.unit)
            if kind is not None and kind not in _MONEY_KINDS:
                self.at(loaded, loc + (name, "unit"), f"'{amount.unit}' is not an amount of money; put capacities in 'capacity'")

    def quote(self, loaded: LoadedFile, loc: Loc, quote: str) -> None:
        self.at(loaded, loc + ("quote",), f"quote not found in the source text: '{_shorten(quote)}'; "
                "copy it exactly from the cleaned source (spaces and line breaks do not matter)")


def check_raw(raw: RawContent) -> tuple[Corpus | None, list[Problem]]:
    """Run the cross-file rules over loaded content; the corpus, or None and every problem."""
    checker = _Checker(raw)
    checker.check_metrics()
    checker.check_parks()
    reports, sources, originals = checker.check_reports()
    problems = sorted(set(checker.problems))
    if problems:
        return None, problems  # refused content leaves no trace: the cache is written only by loads that succeed
    raw.cache.flush()
    corpus = Corpus(
        root=raw.root,
        metrics=checker.metrics,
        units=checker.units,
        parks=dict(sorted(checker.parks.items())),
        projects=dict(sorted(checker.projects.items())),
        project_park=checker.project_park,
        reports=dict(sorted(reports.items())),
        sources=sources,
        originals=originals,
        files=checker.files,
        digests=raw.digests,
    )
    return corpus, []


def load_corpus(root: Path | str, cache_dir: Path | None = None) -> Corpus:
    """Load and check a content directory; raise ContentError with every problem.

    With ``cache_dir``, what parsing each file (and finding each report's
    quotes in its source) gave is kept there by the hashes of the files, so
    the next load parses only the files that changed. Content refused
    writes nothing there: the cache stays that of the last good load.
    """
    cache = ContentCache(Path(cache_dir)) if cache_dir is not None else None
    corpus, problems = check_raw(load_raw(Path(root), cache))
    if problems or corpus is None:
        raise ContentError(problems)
    return corpus


__all__ = ["check_raw", "load_corpus", "display_path"]
