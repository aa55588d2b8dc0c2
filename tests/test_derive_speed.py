"""The speed-ups of derive change nothing: memoised helpers, paused cycle collection."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkreport import periods
from parkreport.derive import derive
from parkreport.derive.quantities import decimals
from parkreport.validate import load_corpus

PERIOD_TEXTS = st.builds(
    lambda year, suffix: f"{year}{suffix}",
    st.sampled_from(["2019", "2022", "202x", "20xx"]),
    st.sampled_from(["", "FY", "YTD", "H1", "H2", "Q1", "Q2", "Q3", "Q4", "Q1-3", "Q1-2", "M1-4", "M5", "M12", "M3-11"]),
)


@given(PERIOD_TEXTS)
def test_derive_speed_memoised_period_helpers_answer_as_computed(text: str) -> None:
    period = periods.parse_period(text)
    assert period == periods.parse_period.__wrapped__(text)
    assert periods.period_words(period) == periods.period_words.__wrapped__(period)
    assert periods.period_words_en(period) == periods.period_words_en.__wrapped__(period)
    assert period.span == periods.span_code.__wrapped__(period.first, period.last, period.to_date)


def test_derive_speed_bad_periods_still_raise_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="not a period"):
            periods.parse_period("2022H3")


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_derive_speed_memoised_decimals_answer_as_computed(value: float) -> None:
    assert decimals(value) == decimals.__wrapped__(value)


@pytest.mark.parametrize("enabled", [True, False])
def test_derive_speed_cycle_collection_is_left_as_it_was(mini_content: Path, enabled: bool) -> None:
    corpus = load_corpus(mini_content)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        derive(corpus)
        assert gc.isenabled() is enabled
        with pytest.raises(AttributeError):
            derive(None)  # type: ignore[arg-type] - fails inside derive
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_derive_speed_same_result_with_cold_and_warm_memo(mini_content: Path) -> None:
    corpus = load_corpus(mini_content)
    first = derive(corpus)
    periods.parse_period.cache_clear()
    periods.period_words.cache_clear()
    periods.period_words_en.cache_clear()
    decimals.cache_clear()
    assert derive(load_corpus(mini_content)) == first == derive(corpus)
