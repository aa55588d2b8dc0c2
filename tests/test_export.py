"""Downloads: CSV and JSON of indicators, projects, events and targets."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from parkreport import export
from parkreport.derive import derive
from parkreport.export import INDICATOR_COLUMNS, csv_bytes, export_files, json_bytes, json_table
from parkreport.validate import load_corpus

from .conftest import FIXTURES, ROOT


def _files() -> dict[str, bytes]:
    corpus = load_corpus(FIXTURES / "mini")
    files = export_files(corpus, derive(corpus), lambda path: "https://example.org" + path)
    return {path: data if isinstance(data, bytes) else b"".join(data) for path, data in files}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_every_download_is_written_and_csv_has_a_bom_and_unix_line_endings() -> None:
    files = _files()
    for name in ("indicators", "projects", "project_events", "targets"):
        assert f"data/{name}.csv" in files and f"data/{name}.json" in files
        data = files[f"data/{name}.csv"]
        assert data.startswith(b"\xef\xbb\xbf")
        assert b"\r\n" not in data
    assert "data/parks/alpha.csv" in files


def test_indicator_rows_carry_park_metric_period_status_growth_and_source() -> None:
    rows = _rows(_files()["data/indicators.csv"])
    assert list(rows[0]) == list(INDICATOR_COLUMNS)
    output = next(row for row in rows if row["metric_id"] == "industrial-output" and row["derived"] == "false")
    assert output["park_name"] == "阿尔法工业园区"
    assert output["metric_zh"] == "规模以上工业总产值"
    assert (output["year"], output["span"], output["period_zh"]) == ("2022", "M1-4", "2022年1-4月")
    assert (output["value"], output["unit"], output["status"], output["yoy_pct"]) == ("65.18", "亿元", "estimated", "29.2")
    assert output["derived"] == "false"
    assert output["quote"] == "规上工业总产值完成65.18亿元,同比增长29.2%"
    assert output["source_url"] == "https://example.org/reports/alpha-2022-m1-4/#indicators-0"


def test_implied_prior_values_are_rows_marked_derived() -> None:
    rows = _rows(_files()["data/indicators.csv"])
    implied = [row for row in rows if row["derived"] == "true"]
    assert implied, "the fixture's growth rates imply last year's values"
    prior = next(row for row in implied if row["metric_id"] == "industrial-output")
    assert prior["status"] == "derived"
    assert prior["period"] == "2021M1-4"
    assert abs(float(prior["value"]) - 65.18 / 1.292) < 0.001
    assert prior["derivation"]


def test_json_matches_csv_and_is_stable() -> None:
    files = _files()
    records = json.loads(files["data/indicators.json"])
    assert len(records) == len(_rows(files["data/indicators.csv"]))
    assert records[0]["value"] is not None and isinstance(records[0]["derived"], bool)
    assert "阿尔法" in files["data/indicators.json"].decode("utf-8")  # not \u-escaped
    assert files == _files()


def test_event_and_target_rows_link_their_quotes() -> None:
    files = _files()
    events = _rows(files["data/project_events.csv"])
    assert events[0]["project_id"] == "alpha-coatings"
    assert (events[0]["status"], events[0]["investment_value"], events[0]["investment_unit"]) == ("signed", "40.6", "亿元")
    assert events[0]["source_url"].endswith("/reports/alpha-2022-m1-4/#project_events-0")
    projects = _rows(files["data/projects.csv"])
    assert projects[0]["current_stage"] == "signed"


def test_csv_cells_escape_commas_quotes_and_newlines() -> None:
    data = csv_bytes([{"quote": '他说:"好,很好"\n第二行', "value": None, "derived": True}], ("quote", "value", "derived"))
    assert _rows(data) == [{"quote": '他说:"好,很好"\n第二行', "value": "", "derived": "true"}]


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text())


@settings(max_examples=300, deadline=None)
@example([{"quote": "},\n  {", "value": 1.5}, {"quote": "\"}, {\"", "value": float("nan")}])
@given(st.lists(st.dictionaries(st.text(), _SCALARS | st.lists(st.integers(), max_size=2), max_size=4), max_size=4))
def test_export_json_is_laid_out_as_the_standard_library_does(rows: list[dict[str, Any]]) -> None:
    """The fast writer of flat rows gives exactly json.dumps's indented text (and falls back to it for the rest)."""
    expected = json.dumps(rows, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    assert json_bytes(rows) == expected.encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_SCALARS | st.lists(st.integers(), max_size=2), min_size=3, max_size=3), max_size=9),
       st.integers(min_value=1, max_value=4))
def test_export_json_in_pieces_is_the_whole_table_laid_out_at_once(records: list[list[Any]], batch: int) -> None:
    """A table written in pieces of a few rows reads exactly as json.dumps of all its rows."""
    columns = ("b", "a", "c")
    expected = json.dumps([dict(zip(columns, record)) for record in records], ensure_ascii=False, sort_keys=True, indent=1)
    original = export.JSON_BATCH
    export.JSON_BATCH = batch
    try:
        pieces = list(json_table(records, columns))
    finally:
        export.JSON_BATCH = original
    assert b"".join(pieces) == (expected + "\n").encode("utf-8")
    assert len(pieces) == -(-len(records) // batch) + 1  # one piece per batch, and the closing bracket


def test_export_downloads_come_one_table_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The files are made lazily: the first comes before the last table's rows are built."""
    corpus = load_corpus(FIXTURES / "mini")
    made: list[str] = []

    class Watched(export._Rows):
        def targets(self) -> list[dict[str, Any]]:
            made.append("targets")
            return super().targets()

    monkeypatch.setattr(export, "_Rows", Watched)
    files = export_files(corpus, derive(corpus), lambda path: path)
    first, _ = next(files)
    assert first == "data/indicators.csv" and made == []
    rest = [path for path, _ in files]
    assert made == ["targets"] and rest[-1] == "data/targets.json"


def test_export_rows_must_have_exactly_the_columns() -> None:
    with pytest.raises(ValueError, match="not the columns"):
        export._values({"a": 1, "extra": 2}, ("a",))


def test_export_each_park_csv_holds_its_rows_of_the_whole_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every park of the corpus gets a file (header only without rows), and so does a park only the rows name."""
    corpus = load_corpus(ROOT / "content")  # the example: four parks
    quiet = list(corpus.parks)[1]

    class Reshaped(export._Rows):
        def indicator_parks(self) -> set[str]:
            return super().indicator_parks() | {"zz-unlisted"}

        def park_indicators(self, park: str) -> list[dict[str, Any]]:
            if park == "zz-unlisted":
                first = super().park_indicators(next(iter(corpus.parks)))[0]
                return [{**first, "park_id": "zz-unlisted", "source_url": "/z"}]
            return [] if park == quiet else super().park_indicators(park)

    monkeypatch.setattr(export, "_Rows", Reshaped)
    files = {path: data if isinstance(data, bytes) else b"".join(data)
             for path, data in export_files(corpus, derive(corpus), lambda path: path)}
    table = _rows(files["data/indicators.csv"])
    parks = [path.removeprefix("data/parks/").removesuffix(".csv") for path in files if path.startswith("data/parks/")]
    assert parks == [*corpus.parks, "zz-unlisted"]
    for park in parks:
        data = files[f"data/parks/{park}.csv"]
        assert data.startswith(b"\xef\xbb\xbf")
        assert _rows(data) == [row for row in table if row["park_id"] == park]
    assert _rows(files[f"data/parks/{quiet}.csv"]) == [] and len(_rows(files["data/parks/zz-unlisted.csv"])) == 1
    assert sum(len(_rows(files[f"data/parks/{park}.csv"])) for park in parks) == len(table) > 10


def _whole_table_downloads(corpus: Any, derived: Any) -> tuple[bytes, bytes]:
    """indicators.csv and .json as one table of every row, sorted, laid out at once (how they were first made)."""
    rows = export._Rows(corpus, derived, lambda path: path)
    table = [rows.observation(observation) for observation in derived.observations]
    for series in derived.series:
        table.extend(row for row in map(rows.implied_prior, series.points) if row is not None)
    table.sort(key=export._indicator_key)
    return csv_bytes(table, INDICATOR_COLUMNS), json_bytes(table)


class _Store:
    """A block store in memory that counts what it is asked, and can lose blocks or refuse to keep them."""

    def __init__(self, refuse: bool = False) -> None:
        self.blocks: dict[tuple[str, str], bytes] = {}
        self.refuse = refuse
        self.loaded = 0

    def load(self, park: str, part: str) -> bytes | None:
        found = self.blocks.get((park, part))
        self.loaded += found is not None
        return found

    def store(self, park: str, part: str, data: bytes) -> bool:
        if self.refuse:
            return False
        self.blocks[park, part] = data
        return True


def _exported(corpus: Any, derived: Any, store: Any) -> dict[str, bytes]:
    return {path: data if isinstance(data, bytes) else b"".join(data)
            for path, data in export_files(corpus, derived, lambda path: path, store)}


@pytest.mark.parametrize("content", ["example", "mini"])
def test_export_park_blocks_join_into_the_whole_table_and_are_read_back_not_made(content: str,
                                                                                 made_parks: list[str]) -> None:
    corpus = load_corpus(ROOT / "content" if content == "example" else FIXTURES / "mini")
    derived = derive(corpus)
    whole_csv, whole_json = _whole_table_downloads(corpus, derived)
    made = made_parks
    reference = _exported(corpus, derived, None)
    assert (reference["data/indicators.csv"], reference["data/indicators.json"]) == (whole_csv, whole_json)
    assert len(json.loads(whole_json)) >= 4
    store = _Store()
    made.clear()
    assert _exported(corpus, derived, store) == reference  # cold: every park's rows made once, and kept
    assert sorted(made) == sorted(corpus.parks) and store.loaded == len(corpus.parks)  # JSON items read back
    made.clear()
    store.loaded = 0
    assert _exported(corpus, derived, store) == reference  # warm: read back, nothing made
    assert made == [] and store.loaded == 2 * len(corpus.parks)
    lost = min(corpus.parks)
    del store.blocks[lost, "json"]
    made.clear()
    assert _exported(corpus, derived, store) == reference  # a lost JSON block is made again, and kept
    assert made == [lost]
    made.clear()
    assert _exported(corpus, derived, store) == reference
    assert made == []
    made.clear()
    assert _exported(corpus, derived, _Store(refuse=True)) == reference  # nowhere to keep them: each made once
    assert sorted(made) == sorted(corpus.parks)
