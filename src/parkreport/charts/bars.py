"""Horizontal bar charts: year-over-year growth, the project pipeline by stage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..format import format_growth
from .svg import (
    BAR_WIDTH,
    INK,
    MUTED,
    PALETTE,
    Bar,
    Cell,
    Chart,
    coord,
    esc,
    marker_link,
    open_svg,
    status_of,
)
from .words import CHINESE, ChartWords


def _bar_value_text(bar: Bar, signed: bool, unit: str, words: ChartWords = CHINESE) -> str:
    if bar.value is None:
        return words.number("unknown")
    if signed:
        return format_growth(bar.value, unit, arrow=False, decimals=bar.decimals)
    return f"{words.number(bar.value, decimals=bar.decimals)}{unit}"


@dataclass(frozen=True)
class _BarScale:
    """Maps bar values to x; leaves room for value texts on both sides of the bars."""

    low: float
    high: float
    left: float
    right: float = BAR_WIDTH - 96.0

    def x(self, value: float) -> float:
        return self.left + (value - self.low) * (self.right - self.left) / (self.high - self.low)


def _bar_scale(bars: Sequence[Bar]) -> _BarScale:
    values = [b.value for b in bars if b.value is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    if high - low <= 0:
        high = low + 1
    return _BarScale(low, high, left=96.0 if low < 0 else 16.0)


def _bar_row(bar: Bar, top: float, scale: _BarScale, signed: bool, unit: str, link: Callable[[str], str],
             words: ChartWords = CHINESE) -> str:
    zero_x = scale.x(0)
    parts = [f'<text x="16" y="{coord(top + 14)}" fill="{INK}">{esc(bar.label)}</text>']
    text = _bar_value_text(bar, signed, unit, words)
    status = status_of(bar.estimate, bar.derived)
    text_x, anchor = zero_x + 6, "start"
    if bar.value is not None and bar.value != 0:
        x0, x1 = sorted((zero_x, scale.x(bar.value)))
        dash = ' stroke-dasharray="2 3"' if bar.derived else ' stroke-dasharray="6 3"' if bar.estimate else ""
        fill = "#fff" if status != "actual" else PALETTE[0]
        parts.append(
            f'<rect x="{coord(x0)}" y="{coord(top + 22)}" width="{coord(x1 - x0)}" height="18" '
            f'fill="{fill}" stroke="{PALETTE[0]}" stroke-width="2"{dash}/>'
        )
        text_x, anchor = (x1 + 6, "start") if bar.value > 0 else (x0 - 6, "end")
    colour = MUTED if bar.value is None else INK
    parts.append(
        f'<text x="{coord(text_x)}" y="{coord(top + 36)}" text-anchor="{anchor}" fill="{colour}">{esc(text)}</text>'
    )
    tooltip = (bar.label + words.text("colon") + text + words.text("paren", text=words.statuses[status])
               + (words.text("semicolon") + bar.note if bar.note else ""))
    return marker_link(link(bar.cite) if bar.cite else "", "".join(parts), tooltip)


def _bar_cells(bar: Bar, signed: bool, unit: str, with_status: bool, words: ChartWords = CHINESE) -> tuple[Cell, ...]:
    status = status_of(bar.estimate, bar.derived)
    cells = (Cell(bar.label), Cell(_bar_value_text(bar, signed, unit, words), bar.cite, status))
    if not with_status:
        return cells
    note = words.text("colon") + bar.note if bar.note else ""
    return (*cells, Cell(words.statuses[status] + note, status=status, badge=True))


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    unit: str = "",
    signed: bool = False,
    value_label: str = "",
    subject: str = "",
    label_column: str = "",
    with_status: bool = True,
    link: Callable[[str], str] = str,
    words: ChartWords = CHINESE,
) -> Chart:
    """Horizontal bars, each labelled above; ``signed`` for growth rates (bars go left below zero).

    ``with_status`` adds the status column (actual, estimated, derived) to
    the table; counts such as the project pipeline have none. ``words``
    gives the language (Chinese unless told).
    """
    value_label = value_label or words.text("value")
    label_column = label_column or words.text("item")
    scale = _bar_scale(bars)
    row_height = 50
    height = 12 + row_height * max(len(bars), 1)
    items = [f"{b.label} {_bar_value_text(b, signed, unit, words)}" for b in bars]
    listed = words.text("semicolon").join(items) if items else words.text("no_data")
    description = (subject or title) + words.text("colon") + listed + words.text("end")
    parts = open_svg(chart_id, title, description, height, BAR_WIDTH)
    parts.append(
        f'<line x1="{coord(scale.x(0))}" y1="26" x2="{coord(scale.x(0))}" y2="{coord(height - 4)}" stroke="{MUTED}"/>'
    )
    for index, bar in enumerate(bars):
        parts.append(_bar_row(bar, 6 + index * row_height, scale, signed, unit, link, words))
    parts.append("</svg>")
    rows = tuple(_bar_cells(bar, signed, unit, with_status, words) for bar in bars)
    columns = (label_column, value_label, words.text("status")) if with_status else (label_column, value_label)
    return Chart(chart_id, title, description, Markup("".join(parts)), columns, rows)
