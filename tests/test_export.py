"""Downloads: CSV and JSON of indicators, projects, events and targets."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from parkreport.derive import derive
from parkreport.export import INDICATOR_COLUMNS, csv_bytes, export_files, json_bytes
from parkreport.validate import load_corpus

from .conftest import FIXTURES


def _files() -> dict[str, bytes]:
    corpus = load_corpus(FIXTURES / "mini")
    return export_files(corpus, derive(corpus), lambda path: "https://example.org" + path)


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
