"""The pieces every chart shares: input and output types, escaping, the SVG frame."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 440  # series charts; fonts stay legible when a phone scales the chart down
BAR_WIDTH = 360  # bar charts carry their labels above the bars, so they can be narrower
FONT = 15
PALETTE = ("#1f5fa8", "#a34700", "#2e7d32", "#6a3d9a", "#8c2f4b", "#00656e")
MARKERS = ("circle", "square", "triangle", "diamond-filled", "circle", "square")
INK = "#222"
MUTED = "#595959"
DERIVED_DECIMALS = 2  # computed values: 96.1 / 1.214 is shown as 79.16, not 79.15980230642504
GRID = "#d6d6d6"


@dataclass(frozen=True)
class Cell:
    """One cell of a chart's table: text, the site path of its quote, a status."""

    text: str
    cite: str = ""  # a site path; templates link it through url()
    status: str = ""
    badge: bool = False  # the cell says the status: show it as a badge


@dataclass(frozen=True)
class Chart:
    """An SVG chart and the table of its numbers."""

    id: str
    title: str
    description: str
    svg: Markup
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    legend: tuple[str, ...] = ()


@dataclass(frozen=True)
class Point:
    """One year of a line. ``value`` None means hidden (``hidden`` says why)."""

    year: int
    value: float | None
    label: str = ""  # the period in words, e.g. 2023年上半年
    estimate: bool = False
    derived: bool = False
    hidden: str = ""  # "unknown" or "redacted"
    cite: str = ""  # site path of the quote (or of the first input of a derived value)
    note: str = ""  # e.g. how a derived value was computed
    decimals: int | None = None  # caps the digits shown (computed values); never adds any
    qualifier: str = "exact"  # about (约), nearly (近), more_than (余)...


@dataclass(frozen=True)
class Line:
    """The points of one span (e.g. every H1) across years."""

    span: str
    label: str  # e.g. 上半年
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Bar:
    """One horizontal bar."""

    label: str
    value: float | None
    estimate: bool = False
    derived: bool = False
    cite: str = ""
    note: str = ""
    decimals: int | None = None


# --------------------------------------------------------------------------
# Shared drawing helpers


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def coord(value: float) -> str:
    """A coordinate with one decimal, so output bytes do not depend on float noise."""
    text = f"{value:.1f}"
    return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high`` (always including zero)."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = high - low
    if span < 1e-250 or span < 1e-12 * max(abs(low), abs(high)):
        high = low + 1  # a flat or vanishingly small range: draw one unit
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step)
    last = math.ceil(high / step)
    return [float(f"{i * step:.12g}") for i in range(first, last + 1)]


def text_width(text: str, size: float = FONT) -> float:
    """Estimated width of a label: CJK characters are square, Latin ones narrower."""
    return sum(size if ord(char) >= 0x2E80 else 0.6 * size for char in text)


def open_svg(chart_id: str, title: str, description: str, height: float, width: float = WIDTH) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {coord(width)} {coord(height)}" '
        f'width="{coord(width)}" height="{coord(height)}" role="group" aria-labelledby="{esc(chart_id)}-title {esc(chart_id)}-desc" '
        f'font-size="{FONT}" font-family="inherit">',
        f'<title id="{esc(chart_id)}-title">{esc(title)}</title>',
        f'<desc id="{esc(chart_id)}-desc">{esc(description)}</desc>',
    ]


def marker_link(cite: str, inner: str, tooltip: str) -> str:
    """A marker with a hover title, linked to its quote when there is one.

    The link is for pointer users; it is kept out of the tab order because the
    chart is one image to assistive technology, and the table beside the chart
    carries the same links.
    """
    body = f"<title>{esc(tooltip)}</title>{inner}"
    return f'<a href="{esc(cite)}" tabindex="-1">{body}</a>' if cite else f"<g>{body}</g>"


def status_of(estimate: bool, derived: bool) -> str:
    return "derived" if derived else "estimated" if estimate else "actual"
