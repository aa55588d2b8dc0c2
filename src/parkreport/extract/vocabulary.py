"""What the extractor knows by name: metrics, parks and projects from the content.

Nothing here is hard-coded: metric names come from ``metrics.yaml`` (``zh``,
``zh_short``, ``synonyms``), project and park names from the park files. A
name matches whatever whitespace the source puts between its characters
(OCR line breaks: "占固 定资产投资"), and the longest name wins where two
start at the same place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from ..model import Metric, Park
from ..units import UnitError, UnitRegistry
from .text import to_simplified

# Between the characters of a name: line breaks, spaces and quotation marks
# ("走出去"招商 is 走出去招商).
_GAP = r"[\s\"'“”‘’「」]*"


@dataclass(frozen=True)
class NameMatch:
    """A vocabulary name found in the text."""

    start: int
    end: int
    name: str
    target: str  # the metric, project or park id it names


def _name_pattern(names: dict[str, str]) -> re.Pattern[str] | None:
    if not names:
        return None
    ordered = sorted(names, key=lambda name: (-len(name), name))
    alternatives = (_GAP.join(re.escape(char) for char in name) for name in ordered)
    return re.compile("|".join(f"({alt})" for alt in alternatives))


def _find(pattern: re.Pattern[str] | None, targets: list[str], names: list[str], view: str) -> list[NameMatch]:
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(view):
        index = match.lastindex - 1 if match.lastindex else 0
        found.append(NameMatch(match.start(), match.end(), names[index], targets[index]))
    return found


@dataclass(frozen=True)
class Vocabulary:
    """Metric, project and park names, each mapped to its id."""

    metrics: dict[str, Metric] = field(default_factory=dict)
    parks: dict[str, Park] = field(default_factory=dict)
    units: UnitRegistry = field(default_factory=UnitRegistry)
    extra_units: tuple[str, ...] = ()

    @cached_property
    def _metric_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for metric in sorted(self.metrics.values(), key=lambda m: m.id):
            for name in (metric.zh, metric.zh_short, *metric.synonyms):
                simplified = to_simplified(name.strip())
                if simplified:
                    names.setdefault(simplified, metric.id)
        return names

    @cached_property
    def _metric_index(self) -> tuple[re.Pattern[str] | None, list[str], list[str]]:
        names = self._metric_names
        ordered = sorted(names, key=lambda name: (-len(name), name))
        return _name_pattern(names), [names[name] for name in ordered], ordered

    @cached_property
    def metric_splits(self) -> tuple[tuple[str, str, str], ...]:
        """Every metric name cut in two (stem, head, metric id), both parts at least two characters.

        Reports split names around a list or a figure: "签约浙江航民...等5个项目"
        names 签约项目, "签约项目20个,总投资110.3亿元" names 签约(项目)总投资.
        """
        splits = {
            (name[:cut], name[cut:], metric)
            for name, metric in self._metric_names.items()
            for cut in range(2, len(name) - 1)
        }
        return tuple(sorted(splits))

    def find_metrics(self, view: str) -> list[NameMatch]:
        """Every metric name in ``view`` (a matching view), longest first at each place."""
        pattern, targets, names = self._metric_index
        return _find(pattern, targets, names, view)

    @cached_property
    def _project_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for park_id in sorted(self.parks):
            for project in self.parks[park_id].projects:
                for name in (project.name, *project.aliases):
                    simplified = to_simplified(name.strip())
                    if len(simplified) >= 2:
                        names.setdefault(simplified, project.id)
        return names

    def project_for(self, name: str) -> str | None:
        """The id of a declared project this extracted name refers to, if any."""
        names = self._project_names
        simplified = to_simplified(name)
        if simplified in names:
            return names[simplified]
        best = [known for known in names if known in simplified or simplified in known]
        if not best:
            return None
        return names[max(best, key=lambda known: (len(known), known))]

    def park_for(self, view: str) -> str | None:
        """The declared park the text names most often (ties: the longest name)."""
        counts: dict[str, int] = {}
        for park in self.parks.values():
            for name in (park.name, *park.aliases):
                simplified = to_simplified(name)
                if len(simplified) >= 2 and simplified in view:
                    counts[park.id] = counts.get(park.id, 0) + view.count(simplified) * len(simplified)
        if not counts:
            return None
        return max(sorted(counts), key=lambda park_id: counts[park_id])

    def unit_kind(self, unit: str) -> str | None:
        try:
            return self.units.parse(unit).kind
        except UnitError:
            return None

    def metric_kind(self, metric_id: str) -> str | None:
        metric = self.metrics.get(metric_id)
        return None if metric is None else self.unit_kind(metric.unit)
