"""Quantities, units and printed precision used by derive."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkreport.derive.observations import report_date
from parkreport.derive.quantities import Quantity, canonical_unit, decimals, half_unit, same_kind
from parkreport.model import Report
from parkreport.periods import parse_period, partial_date_start
from parkreport.units import UnitError, UnitRegistry

UNITS = UnitRegistry()


def test_derive_converts_within_a_kind() -> None:
    assert Quantity(2517, "万元").to("亿元", UNITS).value == pytest.approx(0.2517)
    assert Quantity(7.56, "万吨").to("吨", UNITS).value == pytest.approx(75600)
    assert Quantity(1, "亿元", "nearly").to("万元", UNITS).approximate


@pytest.mark.parametrize(("first", "second"), [("亿元", "亿美元"), ("个", "家"), ("%", "亿元"), ("万吨", "亿元")])
def test_derive_refuses_across_kinds_and_currencies(first: str, second: str) -> None:
    assert not same_kind(first, second, UNITS)
    with pytest.raises(UnitError):
        Quantity(1, first).to(second, UNITS)


def test_derive_totals_use_yi_of_the_currency() -> None:
    assert canonical_unit("万元", UNITS) == "亿元"
    assert canonical_unit("万美元", UNITS) == "亿美元"
    assert canonical_unit("个", UNITS) == "个"


@given(st.floats(1e-3, 1e9), st.sampled_from(["元", "万元", "亿元", "万亿元"]), st.sampled_from(["元", "万元", "亿元"]))
def test_derive_conversion_round_trips(value: float, unit: str, other: str) -> None:
    there = Quantity(value, unit).to(other, UNITS)
    assert there.to(unit, UNITS).value == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(("value", "places", "half"), [(96.1, 1, 0.05), (23.26, 2, 0.005), (110.0, 0, 0.5), (2517, 0, 0.5)])
def test_derive_printed_precision(value: float, places: int, half: float) -> None:
    assert decimals(value) == places
    assert half_unit(value) == pytest.approx(half)


def test_derive_partial_dates_sort_by_their_start_and_periods_know_their_ends() -> None:
    assert partial_date_start("2023") == dt.date(2023, 1, 1)
    assert partial_date_start("2023-07") == dt.date(2023, 7, 1)
    assert parse_period("2022M1-4").end_date() == dt.date(2022, 4, 30)
    assert parse_period("2024H1").end_date() == dt.date(2024, 6, 30)
    with pytest.raises(ValueError):
        parse_period("202xH1").end_date()


def test_derive_report_date_falls_back_to_the_end_of_its_period() -> None:
    base = {"id": "r", "parks": ["p"], "title": "t", "kind": "news"}
    assert report_date(Report.model_validate(base | {"published": "2022-06-13"})) == dt.date(2022, 6, 13)
    assert report_date(Report.model_validate(base | {"period": "2023H1"})) == dt.date(2023, 6, 30)
    assert report_date(Report.model_validate(base | {"period": "202xH1"})) is None
