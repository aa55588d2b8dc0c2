"""English formatting filters, for the English edition: ``9.61 billion yuan``, ``H1 2023``.

The same promises as :mod:`parkreport.format`: the reported precision is
kept and never padded, an unknown or hidden value is a word and never 0, and
markup is escaped here. Amounts are written in whole English magnitudes:
Chinese units count in 万 (10^4) and 亿 (10^8), so ``96.1亿元`` becomes
``9.61 billion yuan`` and ``2517万元`` ``25.17 million yuan``. The number is
shifted by whole powers of ten, so no digit is added or lost.

The words (statuses, stages, kinds, qualifiers) come from the English
message catalog (``theme/locales/en.yaml``), which a project may override.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup, escape

from . import format as zh
from .i18n import Catalog
from .periods import Period, period_words_en
from .units import UnitError, UnitRegistry

NO_VALUE = zh.NO_VALUE
_MAGNITUDES = ((12, "trillion"), (9, "billion"), (6, "million"))
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def english_unit(units: UnitRegistry, unit: str) -> tuple[int, str]:
    """A Chinese unit as a power of ten and English words: ``亿元`` -> (8, 'yuan')."""
    try:
        parsed = units.parse(unit)
        base = units.parse(parsed.base)
    except UnitError:
        return 0, unit
    size = parsed.factor / base.factor
    exponent = round(math.log10(size)) if size > 0 else 0
    if not math.isclose(10.0**exponent, size):
        return 0, units.english(unit)
    return exponent, units.english(parsed.base)


def _scaled(number: str, exponent: int) -> tuple[str, str]:
    """A number written in a unit 10^exponent as a plain number and an English magnitude word."""
    value = Decimal(number.replace(",", "")).scaleb(exponent)
    word = ""
    for power, name in _MAGNITUDES:
        if abs(value) >= Decimal(10) ** power:
            value, word = value.scaleb(-power), name
            break
    value = value.normalize()
    if value == value.to_integral():
        value = value.quantize(Decimal(1))
    return format(value, ",f" if abs(value) >= 10000 else "f"), word


def english_amount(value: float, unit: str, units: UnitRegistry, decimals: int | None = None) -> str:
    """A known number with its unit: ``9.61 billion yuan``, ``21.4%``, ``120,000 tonnes``."""
    number = zh.format_number(value, decimals=decimals)
    if unit in ("%", ""):
        return f"{number}{unit}"
    exponent, words = english_unit(units, unit)
    try:
        shown, magnitude = _scaled(number, exponent)
    except (InvalidOperation, ValueError):
        return f"{number} {words}"
    return " ".join(part for part in (shown, magnitude, words) if part)


def format_quantity_en(value: float | str | None, unit: str = "", qualifier: str = "exact", decimals: int | None = None,
                       *, units: UnitRegistry, words: Mapping[str, str], qualifiers: Mapping[str, str]) -> str:
    """``about 4 billion yuan``, ``over 10 firms``; ``not disclosed (100 million yuan)`` when hidden."""
    if not zh.is_known(value):
        if value is None:
            return NO_VALUE
        word = words.get(str(value), words.get("unknown", str(value)))
        return f"{word} ({units.english(unit)})" if unit and units.known(unit) else (f"{word} ({unit})" if unit else word)
    assert isinstance(value, (int, float))
    amount = english_amount(value, unit, units, decimals)
    template = qualifiers.get(qualifier, "{amount}")
    return template.format(amount=amount)


def format_range_en(low: float, high: float, unit: str = "", *, units: UnitRegistry) -> str:
    """``2–3 items``, ``1–1.5 billion yuan``."""
    low_text, high_text = english_amount(low, unit, units), english_amount(high, unit, units)
    low_number, high_number = low_text.split(" ", 1)[0], high_text.split(" ", 1)
    return f"{low_number}–{high_number[0]}" + (f" {high_number[1]}" if len(high_number) > 1 else "")


def format_target_en(target: Any, *, quantity: Callable[..., str], units: UnitRegistry, catalog: Catalog) -> str:
    """A target's aimed-at figure: ``100 billion yuan``, ``2–3 items (each at least 1 billion yuan)``."""
    parts: list[str] = []
    if target.range is not None:
        parts.append(format_range_en(target.range.min, target.range.max, target.unit, units=units))
    elif target.value is not None:
        parts.append(quantity(target.value, target.unit, target.qualifier))
    if target.threshold is not None:
        threshold = quantity(target.threshold.value, target.threshold.unit)
        of = target.threshold.of
        key = "format.threshold_of" if of else "format.threshold"
        parts.append(catalog.gettext(key, of=of, threshold=threshold))
    return " ".join(parts) or NO_VALUE


def format_share_en(pct: float, of: str = "", qualifier: str = "exact", *, quantity: Callable[..., str], catalog: Catalog) -> str:
    """``81.1% of 固定资产投资``; ``share 81.1%`` when the whole is not named."""
    share = quantity(pct, "%", qualifier)
    return catalog.gettext("format.share_of", share=share, of=of) if of else catalog.gettext("format.share", share=share)


def format_period_en(period: Period | str | int | None) -> str:
    """``2023H1`` -> ``H1 2023``; ``2022M1-4`` -> ``Jan–Apr 2022``."""
    return zh.format_period(period, period_words_en)


def format_date_en(value: str | dt.date | None) -> str:
    """``2022-06-13`` -> ``13 June 2022``; ``2022-06`` -> ``June 2022``."""
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, dt.date):
        value = value.isoformat()
    parts = str(value).split("-")
    if not all(part.isdigit() for part in parts) or not 1 <= len(parts) <= 3 or (len(parts) > 1 and not 1 <= int(parts[1]) <= 12):
        return str(value)
    words = [parts[0]]
    if len(parts) > 1:
        words.insert(0, _MONTHS[int(parts[1]) - 1])
    if len(parts) > 2:
        words.insert(0, str(int(parts[2])))
    return " ".join(words)


def growth_html_en(pct: float | None, derived: bool = False, unit: str = "%", *, catalog: Catalog) -> Markup:
    """Growth as in :func:`parkreport.format.growth_html`, with an English tooltip."""
    html = zh.growth_html(pct, derived, unit)
    if zh.growth_direction(pct) == "none":
        return html
    hint_zh = "同比（推算）" if derived else "同比"
    hint = catalog.gettext("format.yoy_derived" if derived else "format.yoy")
    return Markup(str(html).replace(f'title="{hint_zh}"', f'title="{Markup.escape(hint)}"', 1))


def _label(table: Mapping[str, str], key: str | None) -> str:
    if key is None:
        return NO_VALUE
    return table.get(key, key)


def status_badge_en(status: str | None, hint: str = "", *, labels: Mapping[str, str], hints: Mapping[str, str]) -> Markup:
    """A badge whose English text says the status (estimated, actual, target, derived, revised)."""
    key = status if status is not None and status in labels else "unknown"
    return zh.badge_html(key, hint or hints.get(key, ""), _label(labels, status))


def english_chart_words(units: UnitRegistry, catalog: Catalog, quantity: Callable[..., str], number: Callable[..., str]) -> Any:
    """The words of charts on English pages (see :mod:`parkreport.charts.words`)."""
    from .charts.words import ChartWords

    def span(period: Period) -> str:
        return period_words_en(period).rsplit(" ", 1)[0]

    def unit_name(unit: str) -> str:
        return units.english(unit) if units.known(unit) else unit

    return ChartWords(format_period_en, span, quantity, number, catalog.table("status"), catalog.table("stage"),
                      catalog.table("chart_words"), unit_name)


def english_chart_filters(words: Any) -> dict[str, Callable[..., Any]]:
    """The chart filters of :data:`parkreport.format.FILTERS`, drawing with English words."""
    from .charts import chart_from_figures, chart_from_series_views, chart_from_stages

    @pass_environment
    def series_chart(env: Environment, views: Any, chart_id: str, title: str = "") -> Any:
        return chart_from_series_views(list(views), chart_id, title, zh._site_url(env), words=words)

    @pass_environment
    def growth_chart(env: Environment, figures: Any, chart_id: str, title: str = "") -> Any:
        return chart_from_figures(list(figures), chart_id, title, zh._site_url(env), words=words)

    def pipeline_chart(stages: Any, chart_id: str, title: str = "") -> Any:
        return chart_from_stages(list(stages), chart_id, title, words=words)

    return {"series_chart": series_chart, "growth_chart": growth_chart, "pipeline_chart": pipeline_chart}


def english_filters(units: UnitRegistry, catalog: Catalog) -> dict[str, Callable[..., Any]]:
    """The filters of :data:`parkreport.format.FILTERS` that print words, in English."""
    words, statuses = catalog.table("value"), catalog.table("status")
    quantity = zh.remembered(partial(format_quantity_en, units=units, words=words, qualifiers=catalog.table("qualifier")))
    badge = partial(status_badge_en, labels=statuses, hints=catalog.table("status_hint"))

    def label(table: str) -> Callable[[str | None], str]:
        return partial(_label, catalog.table(table))

    def value_html(value: float | str | None, unit: str = "", qualifier: str = "exact") -> Markup:
        css = "value" if zh.is_known(value) else f"value value-{value if isinstance(value, str) else 'none'}"
        return Markup(f'<span class="{escape(css)}">{escape(quantity(value, unit, qualifier))}</span>')

    def number(value: float | str | None, decimals: int | None = None, significant: int | None = None) -> str:
        return words.get(value, value) if isinstance(value, str) else zh.format_number(value, decimals, significant)

    charts = english_chart_filters(english_chart_words(units, catalog, quantity, number))
    return {
        **charts,
        "number": number,
        "quantity": quantity,
        "range": partial(format_range_en, units=units),
        "target_value": partial(format_target_en, quantity=quantity, units=units, catalog=catalog),
        "share": partial(format_share_en, quantity=quantity, catalog=catalog),
        "period": format_period_en,
        "period_zh": format_period_en,
        "growth_html": zh.remembered(partial(growth_html_en, catalog=catalog)),
        "date": format_date_en,
        "status": label("status"),
        "status_zh": label("status"),
        "status_badge": badge,
        "stage": label("stage"),
        "outcome": label("outcome"),
        "report_kind": label("report_kind"),
        "fact_kind": label("fact_kind"),
        "level": label("level"),
        "indicator_value": lambda indicator: quantity(indicator.value, indicator.unit, indicator.qualifier),
        "value_html": value_html,
    }
