"""Cross-file rules: references resolve, units fit metrics, quotes occur in sources.

Single-file rules (types, unknown keys, YAML traps) are enforced while
loading; this stage sees the whole content and reports what only the whole
can tell. It never stops at the first problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .corpus import Corpus
from .errors import ContentError, Problem
from .load import LoadedFile, RawContent, display_path, load_raw
from .model import Metric, Park, Project, Report
from .quotes import SourceText
from .units import BaseUnit, UnitError, UnitRegistry
from .yamlreader import dotted

_MONEY_KINDS = {"CNY", "USD", "EUR", "HKD"}


class _Checker:
    def __init__(self, raw: RawContent) -> None:
        self.raw = raw
        self.problems: list[Problem] = list(raw.problems)
        self.broken_ids = {Path(rel).stem for rel in raw.broken}

    def at(self, loaded: LoadedFile, loc: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        line, column = loaded.document.locate(loc, key=key)
        self.problems.append(Problem(loaded.document.path, line, column, dotted(loc), message))

    # -- vocabulary --------------------------------------------------------

    def metrics(self) -> tuple[dict[str, Metric], UnitRegistry]:
        loaded = self.raw.metrics
        if loaded is None:
            return {}, UnitRegistry()
        units = UnitRegistry(tuple(BaseUnit(u.name, u.kind, u.factor, u.en) for u in loaded.model.units))
        metrics: dict[str, Metric] = {}
        for index, metric in enumerate(loaded.model.metrics):
            loc = ("metrics", index)
            if metric.id in metrics:
                self.at(loaded, loc + ("id",), f"duplicate metric id '{metric.id}'")
            metrics[metric.id] = metric
            self.unit(loaded, loc + ("unit",), metric.unit, units)
        return metrics, units

    def unit(self, loaded: LoadedFile, loc: tuple[Any, ...], text: str, units: UnitRegistry) -> str | None:
        try:
            return units.parse(text).kind
        except UnitError as exc:
            self.at(loaded, loc, str(exc))
            return None

    # -- parks and projects ------------------------------------------------

    def parks(self) -> tuple[dict[str, Park], dict[str, Project], dict[str, str], dict[str, str]]:
        parks: dict[str, Park] = {}
        projects: dict[str, Project] = {}
        project_park: dict[str, str] = {}
        files: dict[str, str] = {}
        for loaded in self.raw.parks:
            park: Park = loaded.model
            if Path(loaded.path).stem != park.id:
                self.at(loaded, ("id",), f"id '{park.id}' must match the file name '{Path(loaded.path).name}'; rename one of them")
            if park.id in parks:
                self.at(loaded, ("id",), f"duplicate park id '{park.id}' (also in {files['park:' + park.id]})")
            parks[park.id] = park
            files[f"park:{park.id}"] = loaded.path
            for index, project in enumerate(park.projects):
                if project.id in projects:
                    self.at(loaded, ("projects", index, "id"), f"duplicate project id '{project.id}' (also in park '{project_park[project.id]}')")
                projects[project.id] = project
                project_park[project.id] = park.id
        for loaded in self.raw.parks:
            park = loaded.model
            if park.parent and park.parent not in parks and park.parent not in self.broken_ids:
                self.at(loaded, ("parent",), self.unknown("park", park.parent, parks))
            if park.parent == park.id:
                self.at(loaded, ("parent",), "a park cannot be its own parent")
        return parks, projects, project_park, files

    def unknown(self, kind: str, ref: str, known: dict[str, Any]) -> str:
        import difflib

        guess = difflib.get_close_matches(ref, list(known), n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        folder = {"park": "content/parks/", "metric": "content/metrics.yaml", "project": "the 'projects' of a park file"}[kind]
        return f"unknown {kind} '{ref}'{hint}; declare it in {folder} or fix the id"

    # -- reports -----------------------------------------------------------

    def reports(self, metrics: dict[str, Metric], units: UnitRegistry, parks: dict[str, Park], projects: dict[str, Project]) -> tuple[dict[str, Report], dict[str, SourceText], dict[str, str], dict[str, str]]:
        reports: dict[str, Report] = {}
        sources: dict[str, SourceText] = {}
        originals: dict[str, str] = {}
        files: dict[str, str] = {}
        for loaded in self.raw.reports:
            report: Report = loaded.model
            if Path(loaded.path).stem != report.id:
                self.at(loaded, ("id",), f"id '{report.id}' must match the file name '{Path(loaded.path).name}'; rename one of them")
            if report.id in reports:
                self.at(loaded, ("id",), f"duplicate report id '{report.id}'")
            reports[report.id] = report
            files[f"report:{report.id}"] = loaded.path
            if report.review.strip():
                self.at(loaded, ("review",), f"draft awaiting review ({report.review.strip()}); check every entry against the source, then delete 'review'")
            for index, park in enumerate(report.parks):
                if park not in parks and park not in self.broken_ids:
                    self.at(loaded, ("parks", index), self.unknown("park", park, parks))
            source = self.source(loaded, report)
            if source is not None:
                sources[report.id] = source
            if report.original_file in self.raw.sources:
                originals[report.id] = self.raw.sources[report.original_file]
            elif report.original:
                self.at(loaded, ("original",), f"original '{report.original}' not found in content/sources/")
            self.facts(loaded, report, metrics, units, parks, projects, source)
        return reports, sources, originals, files

    def source(self, loaded: LoadedFile, report: Report) -> SourceText | None:
        text = self.raw.sources.get(report.source_file)
        if text is None:
            where = ("source",) if report.source else ("id",)
            self.at(
                loaded,
                where,
                f"source text content/sources/{report.source_file} not found; "
                f"create it with 'parkreport ingest RAW_FILE --id {report.id}'",
            )
            return None
        return SourceText(text)

    def park_ref(self, loaded: LoadedFile, report: Report, loc: tuple[Any, ...], park: str | None, parks: dict[str, Park]) -> None:
        if park is None:
            if len(report.parks) > 1:
                self.at(loaded, loc, f"this report covers several parks ({', '.join(report.parks)}); say which with 'park:'")
            return
        if park not in report.parks:
            self.at(loaded, loc + ("park",), f"park '{park}' is not among the report's parks ({', '.join(report.parks)}); add it to 'parks'")

    def facts(self, loaded: LoadedFile, report: Report, metrics: dict[str, Metric], units: UnitRegistry,
              parks: dict[str, Park], projects: dict[str, Project], source: SourceText | None) -> None:
        published_year = int(report.published[:4]) if report.published else None
        for index, indicator in enumerate(report.indicators):
            loc = ("indicators", index)
            self.park_ref(loaded, report, loc, indicator.park, parks)
            metric = metrics.get(indicator.metric)
            if metric is None:
                if self.raw.metrics is not None:
                    self.at(loaded, loc + ("metric",), self.unknown("metric", indicator.metric, metrics))
            kind = self.unit(loaded, loc + ("unit",), indicator.unit, units)
            if metric is not None and kind is not None and units.known(metric.unit):
                expected = units.parse(metric.unit).kind
                if kind != expected:
                    self.at(loaded, loc + ("unit",), f"unit '{indicator.unit}' does not measure {metric.zh} (usual unit {metric.unit}); "
                            "a different currency or count is a different metric")
            if (indicator.status in ("actual", "estimated") and published_year and indicator.period.year
                    and indicator.period.year > published_year):
                self.at(loaded, loc + ("period",), f"a {indicator.status} figure for {indicator.period.year} in a report published in {published_year}: "
                        "is it a target? set status: target")
            self.quote(loaded, loc, indicator.quote, source)
        for index, target in enumerate(report.targets):
            loc = ("targets", index)
            self.park_ref(loaded, report, loc, target.park, parks)
            if target.metric and target.metric not in metrics and self.raw.metrics is not None:
                self.at(loaded, loc + ("metric",), self.unknown("metric", target.metric, metrics))
            if target.unit:
                self.unit(loaded, loc + ("unit",), target.unit, units)
            if target.threshold:
                self.unit(loaded, loc + ("threshold", "unit"), target.threshold.unit, units)
            if target.project and target.project not in projects:
                self.at(loaded, loc + ("project",), self.unknown("project", target.project, projects))
            self.quote(loaded, loc, target.quote, source)
        for index, event in enumerate(report.project_events):
            loc = ("project_events", index)
            if event.project not in projects:
                if not self.broken_ids & set(report.parks):
                    self.at(loaded, loc + ("project",), self.unknown("project", event.project, projects))
            for name in ("investment", "output_value"):
                amount = getattr(event, name)
                if amount is not None:
                    kind = self.unit(loaded, loc + (name, "unit"), amount.unit, units)
                    if kind is not None and kind not in _MONEY_KINDS:
                        self.at(loaded, loc + (name, "unit"), f"'{amount.unit}' is not an amount of money; put capacities in 'capacity'")
            self.quote(loaded, loc, event.quote, source)
        for index, fact in enumerate(report.facts):
            loc = ("facts", index)
            self.park_ref(loaded, report, loc, fact.park, parks)
            self.quote(loaded, loc, fact.quote, source)

    def quote(self, loaded: LoadedFile, loc: tuple[Any, ...], quote: str, source: SourceText | None) -> None:
        if source is not None and quote not in source:
            self.at(loaded, loc + ("quote",), f"quote not found in the source text: '{_shorten(quote)}'; "
                    "copy it exactly from the cleaned source (spaces and line breaks do not matter)")


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_raw(raw: RawContent) -> tuple[Corpus | None, list[Problem]]:
    """Run the cross-file rules over loaded content."""
    checker = _Checker(raw)
    metrics, units = checker.metrics()
    parks, projects, project_park, park_files = checker.parks()
    reports, sources, originals, report_files = checker.reports(metrics, units, parks, projects)
    problems = sorted(set(checker.problems))
    if problems:
        return None, problems
    corpus = Corpus(
        root=raw.root,
        metrics=metrics,
        units=units,
        parks=dict(sorted(parks.items())),
        projects=dict(sorted(projects.items())),
        project_park=project_park,
        reports=dict(sorted(reports.items())),
        sources=sources,
        originals=originals,
        files={**park_files, **report_files},
    )
    return corpus, []


def load_corpus(root: Path | str) -> Corpus:
    """Load and check a content directory; raise ContentError with every problem."""
    corpus, problems = check_raw(load_raw(Path(root)))
    if problems or corpus is None:
        raise ContentError(problems)
    return corpus


__all__ = ["check_raw", "load_corpus", "display_path"]
