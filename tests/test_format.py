"""Formatting filters: numbers, quantities, periods, growth, badges, dates."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from parkreport.format import (
    FILTERS,
    decimals_of,
    format_date,
    format_growth,
    format_number,
    format_period,
    format_quantity,
    format_range,
    format_share,
    format_target,
    growth_direction,
    growth_html,
    is_known,
    stage_label,
    stage_rank,
    status_badge,
    status_label,
    value_html,
)
from parkreport.periods import parse_period

finite_floats = st.floats(allow_nan=False, allow_infinity=False)


def significant_digits(text: str) -> int:
    """Significant digits of a printed number (trailing integer zeros are placeholders)."""
    digits = text.replace(",", "").replace("-", "")
    if "." in digits:
        digits = digits.replace(".", "").lstrip("0")
    else:
        digits = digits.lstrip("0").rstrip("0")
    return len(digits)


# --------------------------------------------------------------------------
# numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (65.18, "65.18"),
        (15.0, "15"),
        (2517, "2517"),
        (0.2517, "0.2517"),
        (96.1, "96.1"),
        (12345, "12,345"),
        (12345.5, "12,345.5"),
        (-3.2, "-3.2"),
        (0.0, "0"),
        (-0.0, "0"),
        (1e16, "10,000,000,000,000,000"),
        (1e-7, "0.0000001"),
    ],
)
def test_format_number_keeps_reported_precision(value: float, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "word"), [("unknown", "未知"), ("redacted", "未公开"), (float("nan"), "未知"), (None, "—")]
)
def test_format_number_never_turns_missing_into_zero(value: object, word: str) -> None:
    assert format_number(value) == word  # type: ignore[arg-type]
    assert "0" not in format_number(value)  # type: ignore[arg-type]


def test_format_number_caps_precision_without_padding() -> None:
    implied_prior = 96.1 / 1.214
    assert format_number(implied_prior, decimals=2) == "79.16"
    assert format_number(implied_prior, significant=3) == "79.2"
    assert format_number(96.1, decimals=3) == "96.1"  # never 96.100
    assert format_number(2517, significant=6) == "2517"


@given(st.one_of(finite_floats, st.integers(min_value=-(10**18), max_value=10**18)))
def test_format_number_never_raises_and_round_trips(value: float | int) -> None:
    text = format_number(value)
    assert Decimal(text.replace(",", "")) == Decimal(repr(float(value)) if isinstance(value, float) else value)


@given(finite_floats)
def test_format_number_never_prints_more_significant_digits_than_given(value: float) -> None:
    given_digits = len(Decimal(repr(value)).normalize().as_tuple().digits)
    assert significant_digits(format_number(value)) <= given_digits


@given(finite_floats, st.integers(min_value=0, max_value=6), st.integers(min_value=1, max_value=8))
def test_capped_precision_never_adds_digits(value: float, decimals: int, significant: int) -> None:
    plain = format_number(value)
    capped = format_number(value, decimals=decimals, significant=significant)
    assert significant_digits(capped) <= max(significant_digits(plain), 1)
    if "." in capped:
        assert len(capped.split(".")[1]) <= decimals


@given(st.one_of(st.none(), st.text(), finite_floats, st.floats(), st.booleans()))
def test_format_number_accepts_anything_a_template_may_pass(value: object) -> None:
    assert isinstance(format_number(value), str)  # type: ignore[arg-type]


def test_decimals_of_and_is_known() -> None:
    assert decimals_of(65.18) == 2
    assert decimals_of(15.0) == 0
    assert decimals_of("redacted") == 0
    assert is_known(0.0) and not is_known("unknown") and not is_known(None) and not is_known(math.inf)
    assert not is_known(True)


# --------------------------------------------------------------------------
# quantities


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (65.18, "亿元", "exact", "65.18亿元"),
        (40, "亿元", "about", "约40亿元"),
        (10, "个", "nearly", "近10个"),
        (40, "亿元", "more_than", "40余亿元"),
        (40.6, "亿元", "more_than", "超40.6亿元"),
        (80, "%", "more_than", "超80%"),
        (80, "%", "at_least", "80%以上"),
        (5, "亿元", "less_than", "不足5亿元"),
        (5, "亿元", "at_most", "不超过5亿元"),
        ("redacted", "亿元", "exact", "未公开（亿元）"),
        ("unknown", "个", "about", "未知（个）"),
    ],
)
def test_format_quantity(value: float | str, unit: str, qualifier: str, expected: str) -> None:
    assert format_quantity(value, unit, qualifier) == expected


def test_range_share_and_target() -> None:
    assert format_range(2, 3, "个") == "2至3个"
    assert format_share(81.1, "固定资产投资") == "占固定资产投资的81.1%"
    target = SimpleNamespace(
        range=SimpleNamespace(min=2, max=3),
        value=None,
        unit="个",
        qualifier="exact",
        threshold=SimpleNamespace(value=100, unit="亿元", of="产业规模"),
    )
    assert format_target(target) == "2至3个（每个产业规模不低于100亿元）"
    redacted = SimpleNamespace(range=None, value="redacted", unit="亿元", qualifier="exact", threshold=None)
    assert format_target(redacted) == "未公开（亿元）"


# --------------------------------------------------------------------------
# periods, growth, dates


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("2023H1", "2023年上半年"),
        ("2022M1-4", "2022年1-4月"),
        ("2021", "2021年全年"),
        ("202xH1", "202x年上半年"),
        ("2022Q1-3", "2022年前三季度"),
    ],
)
def test_format_period(code: str, words: str) -> None:
    assert format_period(code) == words
    assert format_period(parse_period(code)) == words


def test_format_period_passes_through_what_it_cannot_parse() -> None:
    assert format_period("去年") == "去年"
    assert format_period(None) == "—"


def test_format_growth_has_sign_and_arrow() -> None:
    assert format_growth(21.4) == "↑ +21.4%"
    assert format_growth(-3.2) == "↓ -3.2%"
    assert format_growth(0) == "→ 0%"
    assert format_growth(None) == "—"
    assert format_growth(1.5, unit="个百分点", arrow=False) == "+1.5个百分点"
    assert [growth_direction(v) for v in (1, -1, 0, None)] == ["up", "down", "flat", "none"]


@given(finite_floats)
def test_growth_sign_matches_value(pct: float) -> None:
    text = format_growth(pct, arrow=False)
    if pct > 0:
        assert text.startswith("+")
    elif pct < 0 and text != "0%":
        assert text.startswith("-")


def test_growth_html_hides_arrow_from_screen_readers_and_marks_derived() -> None:
    html = growth_html(-3.2, derived=True)
    assert isinstance(html, Markup)
    assert '<span aria-hidden="true">↓</span> -3.2%' in html
    assert "growth-down" in html and "growth-derived" in html and "推算" in html


def test_computed_growth_is_capped_reported_growth_is_exact() -> None:
    computed = (96.1 / 79.13 - 1) * 100  # 21.4457...
    assert "+21.45%" in growth_html(computed, derived=True)
    assert "+23.256%" in growth_html(23.256)  # as printed by the source


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2022-06-13", "2022年6月13日"),
        ("2022-06", "2022年6月"),
        ("2022", "2022年"),
        (dt.date(2023, 7, 1), "2023年7月1日"),
        (None, "—"),
        ("近日", "近日"),
    ],
)
def test_format_date(value: object, words: str) -> None:
    assert format_date(value) == words  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# labels and badges


def test_status_labels() -> None:
    assert [status_label(s) for s in ("actual", "estimated", "target", "revised", "derived")] == [
        "实际",
        "预计",
        "目标",
        "修订",
        "推算",
    ]
    assert stage_label("trial_production") == "试生产"
    assert stage_label("signed") == "签约"
    assert [stage_rank(s) for s in ("in_talks", "signed", "full_capacity", "progress", None)] == [0, 1, 7, 99, 99]


def test_status_badge_carries_text_not_only_colour() -> None:
    badge = status_badge("estimated")
    assert badge.startswith('<span class="badge badge-estimated"')
    assert ">预计</span>" in badge
    assert "title=" in badge


def test_badge_and_value_escape_hostile_text() -> None:
    assert "<script>" not in status_badge("<script>")
    assert "<script>" not in status_badge("actual", hint='"><script>')
    assert "<b>" not in value_html(1, "<b>")


def test_value_html_marks_redacted() -> None:
    assert 'class="value value-redacted"' in value_html("redacted", "亿元")
    assert value_html(65.18, "亿元") == Markup('<span class="value">65.18亿元</span>')


def test_every_filter_is_callable_and_named() -> None:
    assert {"number", "quantity", "period", "growth", "status_badge", "date", "stage"} <= FILTERS.keys()
    assert all(callable(f) for f in FILTERS.values())
