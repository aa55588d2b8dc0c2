"""Formatting filters: numbers, quantities, periods, growth, statuses, dates.

Every figure on the site goes through these functions, registered as Jinja
filters under the names in :data:`FILTERS`. They follow Chinese conventions
(``65.18亿元``, ``2023年上半年``, ``约40亿元``) and three promises:

* the reported precision is kept and never padded: ``15.0`` prints ``15``,
  ``65.18`` prints ``65.18``, and no digit appears that the source did not give;
* an unknown or redacted value prints ``未知`` / ``未公开``, never ``0``;
* text meant for HTML is escaped here, so filters returning markup are safe
  under autoescape.

The Chinese labels of statuses, stages and kinds live in :mod:`parkreport.labels`,
one place to translate from when an English edition is added.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup, escape

from .labels import (  # noqa: F401  (re-exported for templates and charts)
    FACT_KIND_LABELS,
    LEVEL_LABELS,
    OUTCOME_LABELS,
    REPORT_KIND_LABELS,
    STAGE_LABELS,
    STATUS_HINTS,
    STATUS_LABELS,
    VALUE_WORDS,
)
from .periods import Period, parse_period, period_words

NO_VALUE = "—"

# Wide enough for every float written out in full (1.8e308 has 309 digits).
_WIDE = Context(prec=800, Emax=999_999, Emin=-999_999)

# --------------------------------------------------------------------------
# Numbers


def _decimal(value: float | int) -> Decimal | None:
    """The shortest decimal that reads back as ``value``; None if not finite."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return None


def _round_decimals(number: Decimal, decimals: int) -> Decimal:
    """At most ``decimals`` digits after the point; never adds digits."""
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -decimals:
        return number
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


def _round_significant(number: Decimal, significant: int) -> Decimal:
    """At most ``significant`` significant digits; never adds digits."""
    if number.is_zero() or len(number.normalize().as_tuple().digits) <= significant:
        return number
    exponent = number.adjusted() - significant + 1
    return number.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN)


def _plain(number: Decimal) -> str:
    """Fixed-point text without trailing zeros, grouped by thousands from 10,000."""
    number = number.normalize()
    if number.is_zero():
        return "0"
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:  # 1E+3 -> 1000
        number = number.quantize(Decimal(1))
    spec = ",f" if abs(number) >= 10000 else "f"
    return format(number, spec)


def format_number(
    value: float | int | str | None,
    decimals: int | None = None,
    significant: int | None = None,
) -> str:
    """A number as the source gave it: ``65.18``, ``2517``, ``12,345``.

    ``decimals`` / ``significant`` cap the precision (for derived figures);
    they never add digits. ``'unknown'`` and ``'redacted'`` print ``未知`` and
    ``未公开``; ``None`` prints a dash.
    """
    if value is None:
        return NO_VALUE
    if isinstance(value, str):
        return VALUE_WORDS.get(value, value)
    return _number_text(value, decimals, significant)


@lru_cache(maxsize=1 << 16, typed=True)
def _number_text(value: float | int, decimals: int | None, significant: int | None) -> str:
    """:func:`format_number` of a number, remembered: pages print the same figures many times.

    ``typed`` keeps ``1``, ``1.0`` and ``True`` apart (equal as keys, not as text).
    """
    number = _decimal(value)
    if number is None:
        return VALUE_WORDS["unknown"]
    with localcontext(_WIDE):
        if decimals is not None:
            number = _round_decimals(number, max(decimals, 0))
        if significant is not None:
            number = _round_significant(number, max(significant, 1))
        return _plain(number)


def decimals_of(value: float | int | str | None) -> int:
    """How many digits after the point ``value`` was given with (0 for text)."""
    if not isinstance(value, (int, float)):
        return 0
    number = _decimal(value)
    if number is None:
        return 0
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def is_known(value: object) -> bool:
    """True for a finite number; False for None, 'unknown', 'redacted', NaN."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# --------------------------------------------------------------------------
# Quantities: number + unit + qualifier


def format_quantity(
    value: float | int | str | None, unit: str = "", qualifier: str = "exact", decimals: int | None = None
) -> str:
    """``65.18亿元``, ``约40亿元``, ``近10个``, ``40余亿元``, ``80%以上``.

    An unknown or redacted value keeps its unit in brackets (``未公开（亿元）``)
    so the reader still sees what kind of figure is missing.
    """
    if not is_known(value):
        word = format_number(value)
        return f"{word}（{unit}）" if unit and value is not None else word
    number = format_number(value, decimals=decimals)
    if qualifier == "about":
        return f"约{number}{unit}"
    if qualifier == "nearly":
        return f"近{number}{unit}"
    if qualifier == "more_than":
        if unit and unit != "%" and "." not in number:
            return f"{number}余{unit}"
        return f"超{number}{unit}"
    if qualifier == "at_least":
        return f"{number}{unit}以上"
    if qualifier == "less_than":
        return f"不足{number}{unit}"
    if qualifier == "at_most":
        return f"不超过{number}{unit}"
    return f"{number}{unit}"


def format_range(low: float | int, high: float | int, unit: str = "") -> str:
    """A range in the Chinese way: ``2至3个``."""
    return f"{format_number(low)}至{format_number(high)}{unit}"


def format_target(target: Any) -> str:
    """The aimed-at figure of a :class:`~parkreport.model.Target`, in words."""
    parts: list[str] = []
    if target.range is not None:
        parts.append(format_range(target.range.min, target.range.max, target.unit))
    elif target.value is not None:
        parts.append(format_quantity(target.value, target.unit, target.qualifier))
    if target.threshold is not None:
        threshold = format_quantity(target.threshold.value, target.threshold.unit)
        of = target.threshold.of
        parts.append(f"（每个{of}不低于{threshold}）" if of else f"（每个不低于{threshold}）")
    return "".join(parts) or NO_VALUE


def format_share(pct: float | int, of: str = "", qualifier: str = "exact") -> str:
    """A reported share: ``占固定资产投资的81.1%``."""
    share = format_quantity(pct, "%", qualifier)
    return f"占{of}的{share}" if of else f"占比{share}"


# --------------------------------------------------------------------------
# Periods, growth, dates


def format_period(period: Period | str | int | None, words: Callable[[Period], str] = period_words) -> str:
    """``2023H1`` → ``2023年上半年``; ``202xH1`` → ``202x年上半年``.

    ``words`` names the period in another language (``periods.period_words_en``);
    text that is not a period is shown as written.
    """
    if period is None:
        return NO_VALUE
    if not isinstance(period, Period):
        try:
            period = parse_period(period)
        except ValueError:
            return str(period)
    return words(period)


def growth_direction(pct: float | int | None) -> str:
    """``up``, ``down``, ``flat`` or ``none``: a CSS class, never the only cue."""
    if pct is None or not is_known(pct):
        return "none"
    if pct > 0:
        return "up"
    if pct < 0:
        return "down"
    return "flat"


_ARROWS = {"up": "↑", "down": "↓", "flat": "→", "none": ""}


def format_growth(pct: float | int | None, unit: str = "%", arrow: bool = True, decimals: int | None = None) -> str:
    """``↑ +21.4%``, ``↓ -3.2%``, ``→ 0%``; a dash when no growth is known."""
    if not is_known(pct):
        return NO_VALUE
    direction = growth_direction(pct)
    sign = "+" if direction == "up" else ""
    text = f"{sign}{format_number(pct, decimals=decimals)}{unit}"
    return f"{_ARROWS[direction]} {text}" if arrow else text


DERIVED_GROWTH_DECIMALS = 2
"""A growth computed from two figures shows at most two decimals (21.4, not 21.400000000000006)."""


def growth_html(pct: float | int | None, derived: bool = False, unit: str = "%") -> Markup:
    """Growth as a span: arrow hidden from screen readers, the signed number read.

    A derived (computed) growth is capped to two decimals; a reported one is
    shown exactly as the source printed it.
    """
    direction = growth_direction(pct)
    if direction == "none":
        return _NO_GROWTH
    hint = "同比（推算）" if derived else "同比"
    css = f"growth growth-{direction}" + (" growth-derived" if derived else "")
    text = format_growth(pct, unit, arrow=False, decimals=DERIVED_GROWTH_DECIMALS if derived else None)
    return Markup(f'<span class="{css}" title="{hint}"><span aria-hidden="true">{_ARROWS[direction]}</span> {escape(text)}</span>')


_NO_GROWTH = Markup(f'<span class="growth growth-none">{NO_VALUE}</span>')


def format_date(value: str | dt.date | None) -> str:
    """``2022-06-13`` → ``2022年6月13日``; partial dates ``2022-06`` → ``2022年6月``."""
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, dt.date):
        value = value.isoformat()
    parts = str(value).split("-")
    if not all(part.isdigit() for part in parts) or not 1 <= len(parts) <= 3:
        return str(value)
    words = [f"{parts[0]}年"]
    if len(parts) > 1:
        words.append(f"{int(parts[1])}月")
    if len(parts) > 2:
        words.append(f"{int(parts[2])}日")
    return "".join(words)


# --------------------------------------------------------------------------
# Labels and badges


def _label(table: dict[str, str], key: str | None) -> str:
    if key is None:
        return NO_VALUE
    return table.get(key, key)


def status_label(status: str | None) -> str:
    """``estimated`` → ``预计`` (also ``actual``, ``target``, ``revised``, ``derived``)."""
    return _label(STATUS_LABELS, status)


def status_badge(status: str | None, hint: str = "") -> Markup:
    """A badge whose text says the status; colour and border only repeat it."""
    key = status if status in STATUS_LABELS else "unknown"
    return badge_html(key, hint or STATUS_HINTS.get(key, ""), status_label(status))


@lru_cache(maxsize=4096, typed=True)
def badge_html(key: str, title: str, label: str) -> Markup:
    """``<span class="badge badge-KEY" title="TITLE">LABEL</span>``, each part escaped (remembered: few distinct badges)."""
    return Markup(f'<span class="badge badge-{escape(key)}" title="{escape(title)}">{escape(label)}</span>')


def stage_label(stage: str | None) -> str:
    """A project stage or event status in Chinese: ``trial_production`` → ``试生产``."""
    return _label(STAGE_LABELS, stage)


def stage_rank(stage: str | None) -> int:
    """A stage's place in the pipeline (洽谈 0 … 达产 7), 99 when unknown: for sorting."""
    stages = list(STAGE_LABELS)[:8]
    return stages.index(stage) if stage in stages else 99


def outcome_label(outcome: str | None) -> str:
    """A target's outcome in Chinese: ``met`` → ``已完成``."""
    return _label(OUTCOME_LABELS, outcome)


def report_kind_label(kind: str | None) -> str:
    return _label(REPORT_KIND_LABELS, kind)


def fact_kind_label(kind: str | None) -> str:
    return _label(FACT_KIND_LABELS, kind)


def level_label(level: str | None) -> str:
    return _label(LEVEL_LABELS, level)


def format_indicator(indicator: Any) -> str:
    """An :class:`~parkreport.model.Indicator`'s value with unit and qualifier."""
    return format_quantity(indicator.value, indicator.unit, indicator.qualifier)


def value_html(value: float | int | str | None, unit: str = "", qualifier: str = "exact") -> Markup:
    """A quantity in a span; unknown and redacted values get their own class."""
    css = "value" if is_known(value) else f"value value-{value if isinstance(value, str) else 'none'}"
    return Markup(f'<span class="{escape(css)}">{escape(format_quantity(value, unit, qualifier))}</span>')


_REMEMBERED = 1 << 16  # results kept per remembered function, at most


def remembered(function: Callable[..., str]) -> Callable[..., str]:
    """``function`` (pure, returning text) with its results kept by argument values and types.

    Pages print the same figures over and over; arguments that cannot be
    keys (lists, objects without a hash) are passed through uncached.
    """
    results: dict[tuple[Any, ...], str] = {}

    def cached(*args: Any, **kwargs: Any) -> str:
        key: tuple[Any, ...] = (args, tuple(map(type, args)))
        if kwargs:
            named = sorted(kwargs.items())
            key += (tuple(named), tuple(type(value) for _, value in named))
        try:
            return results[key]
        except KeyError:
            if len(results) >= _REMEMBERED:
                results.clear()
            text = results[key] = function(*args, **kwargs)
            return text
        except TypeError:  # an unhashable argument
            return function(*args, **kwargs)

    return cached


# --------------------------------------------------------------------------
# Charts, as filters: a page's chart is drawn from the figures it prints.
# (Imported when called: the chart modules themselves use this module.)


def _site_url(env: Environment) -> Callable[[str], str]:
    url = env.globals.get("url")
    return url if callable(url) else str


@pass_environment
def series_chart_filter(env: Environment, views: Any, chart_id: str, title: str = "") -> Any:
    """``{% set chart = series_views | series_chart("chart-output") %}``: a Chart."""
    from .charts import chart_from_series_views

    return chart_from_series_views(list(views), chart_id, title, _site_url(env))


@pass_environment
def growth_chart_filter(env: Environment, figures: Any, chart_id: str, title: str = "同比增长") -> Any:
    """Growth bars of the figures that carry a year-over-year rate."""
    from .charts import chart_from_figures

    return chart_from_figures(list(figures), chart_id, title, _site_url(env))


def pipeline_chart_filter(stages: Any, chart_id: str, title: str = "项目进度") -> Any:
    """Projects by stage, from a list of stage ids (None: no clear stage)."""
    from .charts import chart_from_stages

    return chart_from_stages(list(stages), chart_id, title)


FILTERS: dict[str, Callable[..., Any]] = {
    "number": format_number,
    "quantity": format_quantity,
    "range": format_range,
    "target_value": format_target,
    "share": format_share,
    "period": format_period,
    "growth": format_growth,
    "growth_html": growth_html,
    "growth_direction": growth_direction,
    "date": format_date,
    "status": status_label,
    "status_badge": status_badge,
    "stage": stage_label,
    "stage_rank": stage_rank,
    "outcome": outcome_label,
    "report_kind": report_kind_label,
    "fact_kind": fact_kind_label,
    "level": level_label,
    "indicator_value": format_indicator,
    "value_html": value_html,
    # names the first templates were written with
    "period_zh": format_period,
    "status_zh": status_label,
    "series_chart": series_chart_filter,
    "growth_chart": growth_chart_filter,
    "pipeline_chart": pipeline_chart_filter,
}
"""The Jinja filters, by name; ``render.py`` registers them all."""
