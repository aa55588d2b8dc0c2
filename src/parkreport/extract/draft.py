"""Write an extraction as a draft report file.

The draft is a report YAML file the content model accepts, with a ``review``
marker that makes ``parkreport check`` report it until a person has checked
every entry and deleted the marker. Each entry is preceded by a
``# confidence: 0.8`` comment (comments keep the content model clean). The
output is deterministic: the same extraction gives the same bytes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..periods import Period
from .candidates import (
    UNKNOWN_METRIC,
    AmountCandidate,
    Extraction,
    IndicatorCandidate,
    ProjectCandidate,
    TargetCandidate,
)

_PLAIN = re.compile(r"[a-z][a-z0-9_-]*")
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/report.schema.json"
NEW_PROJECT_PREFIX = "new-project-"


@dataclass(frozen=True)
class DraftHeader:
    """The report-level fields of a draft."""

    report_id: str
    park: str
    title: str
    kind: str = "other"
    published: str | None = None
    period: Period | None = None
    source_name: str = ""
    publisher: str = ""
    author: str = ""
    original: str = ""  # the kept original's file name, when it is not <id>.orig.txt


def _scalar(value: object) -> str:
    """A YAML scalar: numbers plain, everything else double-quoted (JSON is valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Period):
        return json.dumps(value.code)
    text = str(value)
    if _PLAIN.fullmatch(text) and text not in _RESERVED:
        return text  # ids and enum words read best plain: metric: industrial-output
    return json.dumps(text, ensure_ascii=False)


def _field(lines: list[str], indent: str, key: str, value: object) -> None:
    lines.append(f"{indent}{key}: {_scalar(value)}")


def _amount(amount: AmountCandidate) -> str:
    parts = [f"value: {_scalar(amount.value)}", f"unit: {_scalar(amount.unit)}"]
    if amount.qualifier != "exact":
        parts.append(f"qualifier: {amount.qualifier}")
    return "{" + ", ".join(parts) + "}"


def _entry(lines: list[str], confidence: float, fields: list[tuple[str, object]], comment: str = "") -> None:
    extra = f"; {comment}" if comment else ""
    lines.append(f"  # confidence: {confidence:.2f}{extra}")
    for index, (key, value) in enumerate(fields):
        indent = "  - " if index == 0 else "    "
        if isinstance(value, AmountCandidate):
            lines.append(f"{indent}{key}: {_amount(value)}")
        elif isinstance(value, RawFlow):
            lines.append(f"{indent}{key}: {value.text}")
        else:
            _field(lines, indent, key, value)


@dataclass(frozen=True)
class RawFlow:
    """A flow mapping written as is."""

    text: str


def _quote(text: str, candidate: IndicatorCandidate | TargetCandidate | ProjectCandidate) -> str:
    return text[candidate.quote.start:candidate.quote.end]


def _indicator_fields(text: str, item: IndicatorCandidate) -> list[tuple[str, object]]:
    fields: list[tuple[str, object]] = [("metric", item.metric)]
    if item.scope:
        fields.append(("scope", item.scope))
    fields.append(("value", item.value))
    if item.qualifier != "exact":
        fields.append(("qualifier", item.qualifier))
    fields += [("unit", item.unit), ("period", item.period)]
    if item.status != "actual":
        fields.append(("status", item.status))
    if item.yoy_pct is not None:
        fields.append(("yoy_pct", item.yoy_pct))
    if item.share is not None:
        flow = f"{{of: {_scalar(item.share.of)}, pct: {_scalar(item.share.pct)}"
        flow += "}" if item.share.qualifier == "exact" else f", qualifier: {item.share.qualifier}}}"
        fields.append(("share", RawFlow(flow)))
    if item.note:
        fields.append(("note", item.note))
    fields.append(("quote", _quote(text, item)))
    return fields


def _target_fields(text: str, item: TargetCandidate) -> list[tuple[str, object]]:
    fields: list[tuple[str, object]] = [("what", item.what), ("kind", "quantitative")]
    if item.metric:
        fields.append(("metric", item.metric))
    if item.range is not None:
        fields.append(("range", RawFlow(f"{{min: {_scalar(item.range[0])}, max: {_scalar(item.range[1])}}}")))
    elif item.value is not None:
        fields.append(("value", item.value))
    if item.qualifier != "exact":
        fields.append(("qualifier", item.qualifier))
    if item.unit:
        fields.append(("unit", item.unit))
    if item.threshold is not None:
        threshold = item.threshold
        flow = f"{{value: {_scalar(threshold.value)}, unit: {_scalar(threshold.unit)}, of: {_scalar(threshold.of)}}}"
        fields.append(("threshold", RawFlow(flow)))
    if item.by is not None:
        fields.append(("by", item.by))
    if item.from_year is not None:
        fields.append(("from_year", item.from_year))
    if item.commitment:
        fields.append(("commitment", item.commitment))
    fields.append(("quote", _quote(text, item)))
    return fields


def _event_fields(text: str, item: ProjectCandidate, project_id: str) -> list[tuple[str, object]]:
    fields: list[tuple[str, object]] = [("project", project_id), ("status", item.status)]
    if item.imminent:
        fields.append(("imminent", True))
    if item.date:
        fields.append(("date", item.date))
    if item.planned_stage:
        fields.append(("planned_stage", item.planned_stage))
    if item.planned_by is not None:
        fields.append(("planned_by", item.planned_by))
    if item.investment is not None:
        fields.append(("investment", item.investment))
    if item.capacity:
        fields.append(("capacity", item.capacity))
    if item.output_value is not None:
        fields.append(("output_value", item.output_value))
    fields.append(("quote", _quote(text, item)))
    return fields


def _target_words(item: ProjectCandidate) -> str:
    """"航民力争今年建成投产"; the commitment's own words when they already name the project."""
    words = item.commitment_words or item.commitment
    return words if item.name in words else f"{item.name}{words}"


def _project_target_fields(text: str, item: ProjectCandidate, project_id: str) -> list[tuple[str, object]]:
    fields: list[tuple[str, object]] = [
        ("what", _target_words(item)),
        ("kind", "qualitative"),
        ("project", project_id),
    ]
    if item.planned_stage:
        fields.append(("stage", item.planned_stage))
    if item.planned_by is not None:
        fields.append(("by", item.planned_by))
    fields += [("commitment", item.commitment), ("quote", _quote(text, item))]
    return fields


def new_project_ids(projects: tuple[ProjectCandidate, ...]) -> dict[str, str]:
    """Placeholder ids for names no park file declares, in order of first mention."""
    ids: dict[str, str] = {}
    for item in projects:
        if item.project is None and item.name not in ids:
            ids[item.name] = f"{NEW_PROJECT_PREFIX}{len(ids) + 1}"
    return ids


def _review_note(extraction: Extraction, new_ids: dict[str, str]) -> str:
    unknown = sum(1 for item in extraction.indicators if item.metric == UNKNOWN_METRIC)
    parts = [
        f"drafted by parkreport extract: {len(extraction.indicators)} indicators",
        f"{len(extraction.targets) + sum(p.is_target for p in extraction.projects)} targets",
        f"{sum(not p.is_target for p in extraction.projects)} project claims to check",
    ]
    if unknown:
        parts.append(f"{unknown} figures with unknown-metric")
    if new_ids:
        parts.append(f"{len(new_ids)} projects to declare")
    return ", ".join(parts)


def _header_lines(header: DraftHeader, extraction: Extraction, new_ids: dict[str, str]) -> list[str]:
    source = header.source_name or f"{header.report_id}.txt"
    lines = [
        SCHEMA_LINE,
        "#",
        f"# Draft written by 'parkreport extract' from sources/{source}.",
        "# Check every entry against the source: fix or delete it; the confidence",
        "# comments say where to look first. Delete the 'review' line when done;",
        "# 'parkreport check' reports this file until then.",
    ]
    _field(lines, "", "id", header.report_id)
    lines.append(f"parks: [{header.park}]")
    _field(lines, "", "title", header.title)
    for name, value in (("publisher", header.publisher), ("author", header.author), ("published", header.published)):
        if value:
            _field(lines, "", name, value)
    if header.period is not None:
        _field(lines, "", "period", header.period)
    _field(lines, "", "kind", header.kind)
    if header.source_name and header.source_name != f"{header.report_id}.txt":
        _field(lines, "", "source", header.source_name)
    if header.original:
        _field(lines, "", "original", header.original)
    _field(lines, "", "review", _review_note(extraction, new_ids))
    return lines


def render_draft(text: str, extraction: Extraction, header: DraftHeader) -> str:
    """The draft report file for ``extraction`` of the cleaned ``text``."""
    new_ids = new_project_ids(extraction.projects)
    lines = _header_lines(header, extraction, new_ids)
    sections: list[tuple[str, list[tuple[float, list[tuple[str, object]], str]]]] = [
        ("indicators", [(i.confidence, _indicator_fields(text, i), "") for i in extraction.indicators]),
        ("targets", [(t.confidence, _target_fields(text, t), "") for t in extraction.targets] + [
            (p.confidence, _project_target_fields(text, p, p.project or new_ids[p.name]), f"named {p.name}")
            for p in extraction.projects if p.is_target
        ]),
        ("project_events", [
            (p.confidence, _event_fields(text, p, p.project or new_ids[p.name]), f"named {p.name}")
            for p in extraction.projects if not p.is_target
        ]),
    ]
    for name, entries in sections:
        if not entries:
            continue
        lines.append(f"{name}:")
        for confidence, fields, comment in entries:
            _entry(lines, confidence, fields, comment)
    if new_ids:
        lines += [
            "",
            f"# Projects no park file declares yet: add them to parks/{header.park}.yaml",
            "# under 'projects:' with a stable id, then use that id above.",
        ]
        lines += [f"#   - {{id: {project_id}, name: {name}}}" for name, project_id in new_ids.items()]
    return "\n".join(lines) + "\n"
