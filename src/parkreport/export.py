"""Downloads: the site's data as CSV and JSON under ``/data/``.

One row per observation (indicators, including the values derive computes,
marked ``derived``), per project, per project event and per target, plus
one indicator CSV per park. Every row carries the id of the report and the
link to the highlighted quote it came from.

Formats, chosen for the people who open them:

* CSV: UTF-8 **with BOM** (Excel on Chinese Windows reads UTF-8 only with
  it), ``\\n`` line endings, a header row, empty cells for missing values;
* JSON: a list of objects with the same keys, UTF-8, keys sorted, numbers as
  numbers, missing values as ``null``.

Output is deterministic: rows are sorted, no timestamps.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from .corpus import Corpus
from .derive import Derived, Observation, SeriesPoint
from .model import Report
from .periods import Period, period_words

Row = dict[str, Any]

INDICATOR_COLUMNS = (
    "park_id", "park_name", "metric_id", "metric_zh", "scope", "year", "span", "period", "period_zh",
    "value", "unit", "qualifier", "status", "yoy_pct", "yoy_computed", "derived", "derivation",
    "report_id", "report_published", "quote", "source_url",
)
PROJECT_COLUMNS = (
    "project_id", "project_name", "park_id", "park_name", "investor", "industry",
    "current_stage", "last_claim_date", "stalled", "claims", "page_url",
)
EVENT_COLUMNS = (
    "project_id", "project_name", "park_id", "status", "imminent", "event_date", "planned_stage", "planned_by",
    "investment_value", "investment_unit", "capacity", "report_id", "report_published", "quote", "source_url",
)
TARGET_COLUMNS = (
    "park_id", "park_name", "what", "kind", "metric_id", "scope", "value", "range_min", "range_max", "qualifier",
    "unit", "by", "commitment", "project_id", "outcome", "outcome_reason", "report_id", "report_published",
    "quote", "source_url",
)


@dataclass(frozen=True)
class Download:
    """A downloadable file, as the methods page documents it."""

    path: str  # site path, e.g. /data/indicators.csv
    title: str
    description: str
    columns: tuple[str, ...]


DOWNLOADS: tuple[Download, ...] = (
    Download("/data/indicators.csv", "指标（CSV）", "每行一个观测值：园区、指标、统计期、数值、单位、性质（实际/预计/目标/修订/推算）、同比及原文出处。推算值（由同比增速推算的上年同期值）标记 derived=true。", INDICATOR_COLUMNS),
    Download("/data/indicators.json", "指标（JSON）", "与 indicators.csv 相同的数据，JSON 对象数组。", INDICATOR_COLUMNS),
    Download("/data/projects.csv", "项目（CSV）", "每行一个项目：所在园区、投资方、行业、当前阶段、最近一次报道日期、是否可能停滞。", PROJECT_COLUMNS),
    Download("/data/projects.json", "项目（JSON）", "与 projects.csv 相同的数据。", PROJECT_COLUMNS),
    Download("/data/project_events.csv", "项目动态（CSV）", "每行一条报告中关于项目进展的表述，含阶段、投资额和原文。", EVENT_COLUMNS),
    Download("/data/project_events.json", "项目动态（JSON）", "与 project_events.csv 相同的数据。", EVENT_COLUMNS),
    Download("/data/targets.csv", "目标（CSV）", "每行一个报告提出的目标，含目标值或区间、期限及完成情况判断。", TARGET_COLUMNS),
    Download("/data/targets.json", "目标（JSON）", "与 targets.csv 相同的数据。", TARGET_COLUMNS),
)

PARK_CSV = "/data/parks/{park}.csv"


def _number(value: float | str | None) -> float | str | None:
    """Whole numbers as ints (65.0 -> 65) so files read naturally; text stays text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _period_fields(period: Period) -> Row:
    return {
        "year": period.year,
        "span": period.span,
        "period": period.code,
        "period_zh": period_words(period),
    }


class _Rows:
    """Builds the rows of every download from the corpus and derive's results."""

    def __init__(self, corpus: Corpus, derived: Derived, absolute_url: Callable[[str], str]) -> None:
        self.corpus = corpus
        self.derived = derived
        self.absolute_url = absolute_url
        self.computed = {c.current.ref: c.computed.value for c in derived.comparisons}

    def _report(self, report_id: str) -> Report:
        return self.corpus.reports[report_id]

    def _park_fields(self, park_id: str) -> Row:
        park = self.corpus.parks.get(park_id)
        return {"park_id": park_id, "park_name": park.name if park else ""}

    def observation(self, observation: Observation) -> Row:
        metric = self.corpus.metrics.get(observation.metric)
        number = observation.value
        report = self._report(observation.ref.report)
        computed = self.computed.get(observation.ref)
        return {
            **self._park_fields(observation.park),
            "metric_id": observation.metric,
            "metric_zh": metric.zh if metric else "",
            "scope": observation.scope,
            **_period_fields(observation.period),
            "value": _number(number.value if number else observation.hidden or "unknown"),
            "unit": number.unit if number else observation.reported_unit,
            "qualifier": observation.qualifier,
            "status": observation.status,
            "yoy_pct": _number(observation.yoy_pct),
            "yoy_computed": _number(round(computed, 4)) if computed is not None else None,
            "derived": False,
            "derivation": number.explanation_zh if number and number.rule == "converted" else "",
            "report_id": report.id,
            "report_published": report.published,
            "quote": observation.quote,
            "source_url": self.absolute_url(observation.ref.href),
        }

    def implied_prior(self, point: SeriesPoint) -> Row | None:
        number = point.implied_prior
        observation = point.observation
        if number is None or observation.period.year is None:
            return None
        period = number.period or observation.period.previous_year()
        metric = self.corpus.metrics.get(observation.metric)
        report = self._report(observation.ref.report)
        return {
            **self._park_fields(observation.park),
            "metric_id": observation.metric,
            "metric_zh": metric.zh if metric else "",
            "scope": observation.scope,
            **_period_fields(period),
            "value": round(number.value, 4),
            "unit": number.unit,
            "qualifier": "about" if number.approximate else "exact",
            "status": "derived",
            "yoy_pct": None,
            "yoy_computed": None,
            "derived": True,
            "derivation": number.explanation_zh,
            "report_id": report.id,
            "report_published": report.published,
            "quote": observation.quote,
            "source_url": self.absolute_url(observation.ref.href),
        }

    @cached_property
    def _by_park(self) -> dict[str, tuple[list[Observation], list[SeriesPoint]]]:
        """Each park's observations and series points, in derive's order."""
        by_park: dict[str, tuple[list[Observation], list[SeriesPoint]]] = {}
        for observation in self.derived.observations:
            by_park.setdefault(observation.park, ([], []))[0].append(observation)
        for series in self.derived.series:
            for point in series.points:
                by_park.setdefault(point.observation.park, ([], []))[1].append(point)
        return by_park

    def indicator_parks(self) -> set[str]:
        """The parks the indicator rows name."""
        return set(self._by_park)

    def park_indicators(self, park: str) -> list[Row]:
        """One park's indicator rows (its figures, then the values derive implies), sorted as the whole table."""
        observations, points = self._by_park.get(park, ([], []))
        rows = [self.observation(observation) for observation in observations]
        rows.extend(row for row in map(self.implied_prior, points) if row is not None)
        return sorted(rows, key=_indicator_key)

    def projects(self) -> list[Row]:
        timelines = {timeline.project: timeline for timeline in self.derived.timelines}
        rows = []
        for project in self.corpus.projects.values():
            timeline = timelines.get(project.id)
            rows.append({
                "project_id": project.id,
                "project_name": project.name,
                **self._park_fields(self.corpus.project_park[project.id]),
                "investor": project.investor,
                "industry": project.industry,
                "current_stage": timeline.current_stage if timeline else None,
                "last_claim_date": timeline.last_claim_date.isoformat() if timeline and timeline.last_claim_date else None,
                "stalled": timeline.stalled if timeline else False,
                "claims": len(timeline.claims) if timeline else 0,
                "page_url": self.absolute_url(f"/projects/{project.id}/"),
            })
        return rows

    def events(self) -> list[Row]:
        rows = []
        for report in self.corpus.reports.values():
            for index, event in enumerate(report.project_events):
                project = self.corpus.projects.get(event.project)
                rows.append({
                    "project_id": event.project,
                    "project_name": project.name if project else "",
                    "park_id": self.corpus.project_park.get(event.project, ""),
                    "status": event.status,
                    "imminent": event.imminent,
                    "event_date": event.date,
                    "planned_stage": event.planned_stage,
                    "planned_by": event.planned_by.code if event.planned_by else None,
                    "investment_value": _number(event.investment.value) if event.investment else None,
                    "investment_unit": event.investment.unit if event.investment else None,
                    "capacity": event.capacity,
                    "report_id": report.id,
                    "report_published": report.published,
                    "quote": event.quote,
                    "source_url": self.absolute_url(f"/reports/{report.id}/#project_events-{index}"),
                })
        return sorted(rows, key=lambda r: (r["project_id"], r["report_published"] or "", r["report_id"], r["source_url"]))

    def targets(self) -> list[Row]:
        assessments = {tuple(a.ref): a for a in self.derived.targets}
        rows = []
        for report in self.corpus.reports.values():
            for index, target in enumerate(report.targets):
                assessment = assessments.get((report.id, "targets", index))
                rows.append({
                    **self._park_fields(self.corpus.park_of(report, target.park)),
                    "what": target.what,
                    "kind": target.kind,
                    "metric_id": target.metric,
                    "scope": target.scope,
                    "value": _number(target.value),
                    "range_min": _number(target.range.min) if target.range else None,
                    "range_max": _number(target.range.max) if target.range else None,
                    "qualifier": target.qualifier,
                    "unit": target.unit,
                    "by": target.by.code if target.by else None,
                    "commitment": target.commitment,
                    "project_id": target.project,
                    "outcome": assessment.status if assessment else "unknown",
                    "outcome_reason": assessment.reason_zh if assessment else "",
                    "report_id": report.id,
                    "report_published": report.published,
                    "quote": target.quote,
                    "source_url": self.absolute_url(f"/reports/{report.id}/#targets-{index}"),
                })
        return sorted(rows, key=lambda r: (r["park_id"], r["report_published"] or "", r["source_url"]))


def _indicator_key(row: Row) -> tuple[Any, ...]:
    return (row["park_id"], row["metric_id"], row["scope"], row["year"] or 0, row["span"], row["derived"], row["source_url"])


def csv_bytes(rows: Iterable[Row], columns: Sequence[str]) -> bytes:
    """CSV, UTF-8 with BOM, '\\n' line endings; booleans as true/false, None as empty."""
    return csv_file(csv_header(columns), [csv_block([row.get(column) for column in columns] for row in rows)])


def csv_header(columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(columns)
    return buffer.getvalue()


def csv_block(records: Iterable[Sequence[Any]]) -> str:
    """The CSV lines of ``records`` (values in column order)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([_cell(value) for value in record] for record in records)
    return buffer.getvalue()


def csv_file(header: str, blocks: Iterable[str]) -> bytes:
    return ("\ufeff" + header + "".join(blocks)).encode("utf-8")


# A text cell starting with one of these is run as a formula by spreadsheet programs
# (=HYPERLINK(...) and the like): such cells get a leading apostrophe, as OWASP advises.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if isinstance(value, str):  # the most frequent cell first
        return "'" + value if value.startswith(_FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def json_bytes(rows: Iterable[Row]) -> bytes:
    """A JSON array of the rows, keys sorted, one key per line (``json.dumps(indent=1)``'s layout)."""
    rows = list(rows)
    return b"".join(_json_pieces([rows] if rows else []))


def json_table(records: Sequence[Sequence[Any]], columns: Sequence[str]) -> Iterator[bytes]:
    """What :func:`json_bytes` gives for ``records`` made into dicts of ``columns``, in pieces.

    Only the dicts of one piece exist at a time: a national table's rows
    are held as tuples, several times smaller.
    """
    return _json_pieces([dict(zip(columns, record)) for record in records[start:start + JSON_BATCH]]
                        for start in range(0, len(records), JSON_BATCH))


JSON_BATCH = 2000  # rows laid out per piece of a JSON download


def _json_pieces(batches: Iterable[list[Row]]) -> Iterator[bytes]:
    """The JSON array of every batch's rows, a piece per batch.

    Indented JSON is laid out item by item, so the list ``[a, b]`` is
    ``"[\\n" + a + ",\\n" + b + "\\n]"`` with each item laid out as it would
    be alone: each batch is laid out as a list, and its brackets dropped.
    """
    started = False
    for batch in batches:
        text = _flat_rows_json(batch)
        if text is None:  # a value that is not a plain scalar: let json lay it out
            text = json.dumps(batch, ensure_ascii=False, sort_keys=True, indent=1)
        yield ((",\n" if started else "[\n") + text[2:-2]).encode("utf-8")
        started = True
    yield b"\n]\n" if started else b"[]\n"


_SCALARS = (str, int, float, bool, type(None))
# Flat rows encoded in one call of the C encoder, laid out by its separators: between a row's
# items, a line break and the indentation of a key. No encoded value holds a line break.
_ROWS_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",\n  ", ": "))


def _flat_rows_json(rows: list[Row]) -> str | None:
    """The text ``json.dumps(rows, ensure_ascii=False, sort_keys=True, indent=1)`` gives, for rows of scalars.

    The standard library lays out indented JSON in pure Python, a call per
    value; the downloads hold millions of them. None (lay them out with
    ``json.dumps``) unless every row is a non-empty dict of text keys to
    str, int, float, bool or None.
    """
    if not rows:
        return "[]"
    flat = all(type(row) is dict and row and all(type(key) is str for key in row)
               and all(type(value) in _SCALARS for value in row.values()) for row in rows)
    if not flat:
        return None
    text = _ROWS_ENCODER.encode(rows)  # [{"a": 1,\n  "b": 2},\n  {"a": 3, ...}]
    # Between two rows (and only there) an item separator is followed by a brace: a key starts with a quote.
    return "[\n {\n  " + text[2:-2].replace("},\n  {", "\n },\n {\n  ") + "\n }\n]"


FileData = bytes | Iterator[bytes]  # a file's bytes, or a large file's pieces, to be written as they come


class BlockStore(Protocol):
    """Where each park's indicator rows are kept, as CSV lines (``csv``) and JSON items (``json``), between builds.

    A park's rows depend only on what its profile page is made of; a store
    keeps them by that (see :class:`parkreport.cache.DownloadBlocks`).
    """

    def load(self, park: str, part: str) -> bytes | None:
        """The ``part`` kept for ``park``'s rows as they are now, or None."""

    def store(self, park: str, part: str, data: bytes) -> bool:
        """Keep ``data`` as ``part`` of ``park``'s rows; False when it cannot be kept."""


def export_files(corpus: Corpus, derived: Derived, absolute_url: Callable[[str], str],
                 blocks: BlockStore | None = None) -> Iterator[tuple[str, FileData]]:
    """Every download, one file at a time: output path (relative to the site root), and bytes or pieces of bytes.

    ``absolute_url`` turns a site path into the link written into
    ``source_url`` (a full URL when the site's base URL names a host).
    The tables are made one after the other, their rows held as tuples, and
    the JSON files come in pieces: a national corpus's downloads never have
    to fit in memory at once. The indicator rows are made park by park, and
    only for parks whose rows ``blocks`` does not hold already.
    """
    rows = _Rows(corpus, derived, absolute_url)
    yield from _indicator_files(rows, corpus.parks, blocks)
    tables: tuple[tuple[str, Callable[[], list[Row]], tuple[str, ...]], ...] = (
        ("projects", rows.projects, PROJECT_COLUMNS),
        ("project_events", rows.events, EVENT_COLUMNS),
        ("targets", rows.targets, TARGET_COLUMNS),
    )
    for name, made, columns in tables:
        table = [_values(row, columns) for row in made()]
        yield f"data/{name}.csv", csv_file(csv_header(columns), [csv_block(table)])
        yield f"data/{name}.json", json_table(table, columns)
        del table


def _indicator_files(rows: _Rows, parks: Collection[str], blocks: BlockStore | None) -> Iterator[tuple[str, FileData]]:
    """The indicators' CSV and JSON, and each park's CSV: its rows of the table, in the table's order.

    The table is sorted by park first, so it is each park's block of rows
    in turn: its CSV lines, and its JSON items, are made once per park and
    joined. Blocks ``blocks`` holds are read, not made; the JSON items are
    read back from it when the whole table's JSON is written (else held).
    """
    head = csv_file(csv_header(INDICATOR_COLUMNS), [])
    order = sorted(set(parks) | rows.indicator_parks())
    csv_blocks: dict[str, bytes] = {}
    json_held: dict[str, bytes] = {}

    def made(park: str) -> tuple[bytes, bytes]:
        table = [_values(row, INDICATOR_COLUMNS) for row in rows.park_indicators(park)]
        return csv_block(table).encode("utf-8"), json_items(table, INDICATOR_COLUMNS)

    def csv_lines(park: str) -> bytes:
        kept = blocks.load(park, "csv") if blocks is not None else None
        if kept is None:
            kept, items = made(park)
            if blocks is None or not (blocks.store(park, "json", items) and blocks.store(park, "csv", kept)):
                json_held[park] = items
        return kept

    def whole_csv() -> Iterator[bytes]:
        yield head
        for park in order:
            csv_blocks[park] = csv_lines(park)
            yield csv_blocks[park]

    def json_pieces() -> Iterator[bytes]:
        started = False
        for park in order:
            items = json_held.pop(park, None)
            if items is None and blocks is not None:
                items = blocks.load(park, "json")
            if items is None:  # kept as CSV only (its JSON went missing): made again, and kept
                items = made(park)[1]
                if blocks is not None:
                    blocks.store(park, "json", items)
            if items:
                yield (b",\n" if started else b"[\n") + items
                started = True
        yield b"\n]\n" if started else b"[]\n"

    yield "data/indicators.csv", whole_csv()
    for park in [*parks, *(park for park in order if park not in parks)]:
        block = csv_blocks.pop(park, None)
        yield PARK_CSV.format(park=park).lstrip("/"), head + (csv_lines(park) if block is None else block)
    yield "data/indicators.json", json_pieces()


def json_items(records: Sequence[Sequence[Any]], columns: Sequence[str]) -> bytes:
    """The items of :func:`json_table`'s array for ``records``, joined, without the array's brackets (empty without records)."""
    return b"".join(json_table(records, columns))[2:-3] if records else b""  # "[\n" + items + "\n]\n"


def _values(row: Row, columns: Sequence[str]) -> tuple[Any, ...]:
    """A row's values in column order; the row must have exactly these columns."""
    if row.keys() != set(columns):
        raise ValueError(f"a download row has the keys {sorted(row)}, not the columns {list(columns)}")
    return tuple([row[column] for column in columns])
