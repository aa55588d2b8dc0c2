"""What the extractor proposes: candidate entries of a draft report.

Each candidate carries the offsets of its quote in the cleaned source (so the
quote is cut verbatim), a confidence between 0 and 1, and the fields of the
content-model entry it will become.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..fieldtypes import Qualifier
from ..periods import Period
from .segments import Segment

UNKNOWN_METRIC = "unknown-metric"


@dataclass(frozen=True)
class AmountCandidate:
    value: float | str
    unit: str
    qualifier: Qualifier = "exact"


@dataclass(frozen=True)
class ShareCandidate:
    of: str
    pct: float
    qualifier: Qualifier = "exact"


@dataclass(frozen=True)
class IndicatorCandidate:
    metric: str
    value: float | str
    unit: str
    period: Period
    quote: Segment
    confidence: float
    qualifier: Qualifier = "exact"
    status: str = "actual"
    yoy_pct: float | None = None
    share: ShareCandidate | None = None
    scope: str = ""
    note: str = ""


@dataclass(frozen=True)
class ThresholdCandidate:
    value: float
    unit: str
    of: str = ""


@dataclass(frozen=True)
class TargetCandidate:
    what: str
    quote: Segment
    confidence: float
    commitment: str
    metric: str | None = None
    value: float | str | None = None
    range: tuple[float, float] | None = None
    qualifier: Qualifier = "exact"
    unit: str = ""
    threshold: ThresholdCandidate | None = None
    by: Period | None = None
    from_year: int | None = None
    scope: str = ""


@dataclass(frozen=True)
class ProjectCandidate:
    """A status claim about one named project."""

    name: str  # as the source writes it (Traditional kept)
    status: str
    quote: Segment
    confidence: float
    project: str | None = None  # a declared project id, when the name is known
    imminent: bool = False
    planned_stage: str | None = None
    planned_by: Period | None = None
    investment: AmountCandidate | None = None
    output_value: AmountCandidate | None = None
    capacity: str = ""
    date: str = ""  # YYYY-MM(-DD) when the claim says when ("于9月正式签约")
    commitment: str = ""  # set for a project target (力争今年建成投产): status is 'planned'
    commitment_words: str = ""  # the target in the source's words (力争今年建成投产)
    note: str = ""

    @property
    def is_target(self) -> bool:
        return bool(self.commitment)


@dataclass(frozen=True)
class Extraction:
    """Everything found in one source text."""

    indicators: tuple[IndicatorCandidate, ...]
    targets: tuple[TargetCandidate, ...]
    projects: tuple[ProjectCandidate, ...]
    park: str | None
    year: int | None
    year_label: str

    def summary(self) -> str:
        """"12 indicators (2 with unknown-metric), 3 targets, 9 project claims"."""
        unknown = sum(1 for item in self.indicators if item.metric == UNKNOWN_METRIC)
        targets = len(self.targets) + sum(1 for item in self.projects if item.is_target)
        events = sum(1 for item in self.projects if not item.is_target)
        unknown_text = f" ({unknown} with {UNKNOWN_METRIC})" if unknown else ""
        return f"{len(self.indicators)} indicators{unknown_text}, {targets} targets, {events} project claims"
