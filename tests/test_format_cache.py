"""Formatting filters built for speed (remembered results, markup joined by hand) say the same as before."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from parkreport import format as fmt
from parkreport.format_en import status_badge_en

TEXT = st.text(alphabet=st.sampled_from(list("ab<>&\"'预计 ")), max_size=12)


def reference_badge(key: str, title: str, label: str) -> Markup:
    return Markup('<span class="badge badge-{}" title="{}">{}</span>').format(key, title, label)


def reference_growth(pct: float | None, derived: bool) -> Markup:
    direction = fmt.growth_direction(pct)
    if direction == "none":
        return Markup('<span class="growth growth-none">{}</span>').format(fmt.NO_VALUE)
    css = f"growth growth-{direction}" + (" growth-derived" if derived else "")
    text = fmt.format_growth(pct, "%", arrow=False, decimals=fmt.DERIVED_GROWTH_DECIMALS if derived else None)
    return Markup('<span class="{}" title="{}"><span aria-hidden="true">{}</span> {}</span>').format(
        css, "同比（推算）" if derived else "同比", fmt._ARROWS[direction], text)


def test_format_cache_keeps_int_float_and_bool_apart() -> None:
    assert fmt.format_number(1) == "1"
    assert fmt.format_number(True) == "未知"
    assert fmt.format_number(1.0) == "1"
    assert fmt.format_number(2.5, decimals=0) == "2"
    assert fmt.format_number(2.5) == "2.5"


@given(st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-10**6, 10**6)), st.booleans())
def test_format_cache_growth_html_matches_markup_format(pct: float | None, derived: bool) -> None:
    assert fmt.growth_html(pct, derived) == reference_growth(pct, derived)


@given(st.sampled_from([None, "actual", "estimated", "target", "derived", "odd<status>"]), TEXT)
def test_format_cache_status_badge_escapes_like_markup_format(status: str | None, hint: str) -> None:
    key = status if status in fmt.STATUS_LABELS else "unknown"
    expected = reference_badge(key, hint or fmt.STATUS_HINTS.get(key, ""), fmt.status_label(status))
    assert fmt.status_badge(status, hint) == expected


def test_format_cache_badge_tells_markup_from_text() -> None:
    assert 'title="a&amp;b"' in fmt.badge_html("actual", "a&b", "x")
    assert 'title="a&amp;b"' in fmt.badge_html("actual", Markup("a&amp;b"), "x")
    assert 'title="a&amp;amp;b"' in fmt.badge_html("actual", "a&amp;b", "x")


def test_format_cache_english_badge() -> None:
    badge = status_badge_en("odd", "", labels={"actual": "actual"}, hints={"unknown": "<?>"})
    assert badge == reference_badge("unknown", "<?>", "odd")


@given(st.one_of(st.none(), st.text(max_size=5), st.floats(allow_nan=False), st.integers()), TEXT)
def test_format_cache_value_html_matches_markup_format(value: object, unit: str) -> None:
    css = "value" if fmt.is_known(value) else f"value value-{value if isinstance(value, str) else 'none'}"
    expected = Markup('<span class="{}">{}</span>').format(css, fmt.format_quantity(value, unit))  # type: ignore[arg-type]
    assert fmt.value_html(value, unit) == expected  # type: ignore[arg-type]


def test_format_cache_remembered_keys_on_types_and_passes_unhashable_through() -> None:
    calls: list[object] = []

    def shown(value: object, *, unit: str = "") -> str:
        calls.append(value)
        return f"{value!r}{unit}"

    remembered = fmt.remembered(shown)
    assert remembered(1) == "1" and remembered(1.0) == "1.0" and remembered(True) == "True"
    assert remembered(1) == "1" and len(calls) == 3
    assert remembered(1, unit="%") == "1%" and remembered(1.0, unit="%") == "1.0%"
    assert remembered([1]) == "[1]" and remembered([1]) == "[1]"
    assert len(calls) == 7
