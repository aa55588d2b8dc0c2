"""English formatting (parkreport.format_en): amounts, periods, dates, statuses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkreport.format_en import english_amount, english_filters, format_date_en, format_period_en
from parkreport.i18n import load_catalog
from parkreport.units import DEFAULT_UNITS

FILTERS = english_filters(DEFAULT_UNITS, load_catalog("en"))
_WORDS = {"trillion": 12, "billion": 9, "million": 6}
_UNIT_POWERS = {"亿元": 8, "万元": 4, "元": 0, "万吨": 4}


@pytest.mark.parametrize(("value", "unit", "qualifier", "expected"), [
    (96.1, "亿元", "exact", "9.61 billion yuan"),
    (2517, "万元", "exact", "25.17 million yuan"),
    (0.35, "亿元", "exact", "35 million yuan"),
    (5, "亿元", "exact", "500 million yuan"),
    (1500, "亿元", "exact", "150 billion yuan"),
    (40, "亿元", "about", "about 4 billion yuan"),
    (12, "万吨", "exact", "120,000 tonnes"),
    (21.4, "%", "exact", "21.4%"),
    (3, "个百分点", "exact", "3 percentage points"),
    (10, "家", "more_than", "over 10 firms"),
    (80, "%", "at_least", "at least 80%"),
    ("redacted", "亿元", "exact", "not disclosed (100 million yuan)"),
    ("unknown", "", "exact", "unknown"),
    (None, "亿元", "exact", "—"),
])
def test_quantities_read_in_english_magnitudes(value: object, unit: str, qualifier: str, expected: str) -> None:
    assert FILTERS["quantity"](value, unit, qualifier) == expected


def test_a_unit_the_registry_does_not_know_is_kept_as_written() -> None:
    assert FILTERS["quantity"](7, "栋", "exact") == "7 栋"


def test_periods_dates_statuses_and_growth_in_english() -> None:
    assert format_period_en("2023H1") == "H1 2023"
    assert format_period_en("2022M1-4") == "Jan–Apr 2022"
    assert format_period_en("2022FY") == "full year 2022"
    assert format_date_en("2022-06-13") == "13 June 2022" and format_date_en("2022-06") == "June 2022"
    assert format_date_en("2022-13") == "2022-13"  # not a date: as written
    assert FILTERS["status"]("estimated") == "estimated" and FILTERS["stage"]("trial_production") == "trial production"
    badge = str(FILTERS["status_badge"]("derived"))
    assert ">derived</span>" in badge and "Derived: computed" in badge
    growth = str(FILTERS["growth_html"](21.4))
    assert "+21.4%" in growth and 'title="year on year"' in growth


def test_a_derived_value_keeps_its_two_decimals_once_shifted() -> None:
    assert english_amount(79.1598, "亿元", DEFAULT_UNITS, decimals=2) == "7.916 billion yuan"


def _total(text: str) -> Decimal:
    """The amount an English text stands for, in yuan (or tonnes)."""
    number, *rest = text.split(" ")
    power = _WORDS.get(rest[0], 0) if rest else 0
    return Decimal(number.replace(",", "")).scaleb(power)


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(999999), places=4), st.sampled_from(sorted(_UNIT_POWERS)))
def test_english_amounts_move_the_point_and_keep_every_digit(number: Decimal, unit: str) -> None:
    value = float(number)
    text = english_amount(value, unit, DEFAULT_UNITS)
    assert _total(text) == Decimal(repr(value)).scaleb(_UNIT_POWERS[unit])
