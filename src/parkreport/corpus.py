"""The validated content, as one typed value handed to derive and render."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .model import Indicator, Metric, Park, Project, Report
from .quotes import SourceText
from .units import UnitRegistry


@dataclass(frozen=True)
class Corpus:
    """Every park, project, metric, report and source text, cross-checked."""

    root: Path
    metrics: dict[str, Metric]
    units: UnitRegistry
    parks: dict[str, Park]
    projects: dict[str, Project]
    project_park: dict[str, str]  # project id -> park id
    reports: dict[str, Report]
    sources: dict[str, SourceText]  # report id -> cleaned source
    originals: dict[str, str]  # report id -> verbatim original text
    files: dict[str, str] = field(default_factory=dict)  # "report:<id>" / "park:<id>" -> relative path
    digests: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 of the bytes loaded, for every file read

    def park_of(self, report: Report, park: str | None) -> str:
        """The park a fact belongs to: its own ``park`` or the report's only park."""
        return park or report.parks[0]

    def indicators(self) -> list[tuple[Report, Indicator]]:
        """All indicator observations with the report that states them, in a stable order."""
        return [(report, indicator) for report in self.reports.values() for indicator in report.indicators]
