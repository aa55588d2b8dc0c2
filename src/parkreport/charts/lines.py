"""A metric across years: one separate line per span, never joined across spans."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..format import format_number
from .svg import (
    FONT,
    GRID,
    INK,
    MARKERS,
    MUTED,
    PALETTE,
    WIDTH,
    Cell,
    Chart,
    Line,
    Point,
    coord,
    esc,
    marker_link,
    nice_ticks,
    open_svg,
    status_of,
    text_width,
)
from .words import CHINESE, ChartWords


@dataclass(frozen=True)
class _Frame:
    """Maps years and values to SVG coordinates."""

    years: tuple[int, ...]
    ticks: tuple[float, ...]
    left: float = 64
    right: float = WIDTH - 24
    top: float = 28
    bottom: float = 236

    def x(self, year: int) -> float:
        if len(self.years) == 1:
            return (self.left + self.right) / 2
        first, last = self.years[0], self.years[-1]
        return self.left + 24 + (year - first) * (self.right - self.left - 48) / (last - first)

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        if high <= low:
            return self.bottom
        return self.bottom - (value - low) * (self.bottom - self.top) / (high - low)


def _path(corners: list[tuple[float, float]], style: str) -> str:
    """A closed polygon through ``corners``."""
    d = "L".join(f"{coord(x)} {coord(y)}" for x, y in corners)
    return f'<path d="M{d}Z" {style}/>'


def _marker(shape: str, x: float, y: float, colour: str, hollow: bool) -> str:
    """A filled (actual) or hollow (estimated) marker; each line has its own shape."""
    fill = "#fff" if hollow else colour
    style = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    if shape == "square":
        return f'<rect x="{coord(x - 5)}" y="{coord(y - 5)}" width="10" height="10" {style}/>'
    if shape == "triangle":
        return _path([(x, y - 6.5), (x + 6, y + 4.5), (x - 6, y + 4.5)], style)
    if shape == "diamond-filled":
        return _path([(x, y - 6.5), (x + 6.5, y), (x, y + 6.5), (x - 6.5, y)], style)
    return f'<circle cx="{coord(x)}" cy="{coord(y)}" r="5.5" {style}/>'


def _derived_marker(x: float, y: float, colour: str) -> str:
    """Derived values: a hollow diamond with a dotted outline."""
    style = f'fill="#fff" stroke="{colour}" stroke-width="2" stroke-dasharray="2 2"'
    return _path([(x, y - 7), (x + 7, y), (x, y + 7), (x - 7, y)], style)


def _segment_style(a: Point, b: Point) -> str:
    if a.derived or b.derived:
        return ' stroke-dasharray="2 4"'
    if a.estimate or b.estimate:
        return ' stroke-dasharray="7 5"'
    return ""


def _line_paths(line: Line, frame: _Frame, colour: str) -> list[str]:
    """Segments between points of consecutive years only: a missing year is a gap."""
    known = sorted((p for p in line.points if p.value is not None), key=lambda p: p.year)
    paths = []
    for a, b in zip(known, known[1:], strict=False):
        if b.year != a.year + 1:
            continue
        start = f"{coord(frame.x(a.year))},{coord(frame.y(a.value or 0))}"
        coords = f"{start} {coord(frame.x(b.year))},{coord(frame.y(b.value or 0))}"
        paths.append(
            f'<polyline class="series-line" data-span="{esc(line.span)}" points="{coords}" fill="none" '
            f'stroke="{colour}" stroke-width="2.5"{_segment_style(a, b)}/>'
        )
    return paths


def _number(point: Point, unit: str = "", words: ChartWords = CHINESE) -> str:
    """The point's value as shown: 未知/未公开 when hidden, with its qualifier (约, 近...)."""
    if point.value is None:
        return words.number(point.hidden or "unknown")
    return words.quantity(point.value, unit, point.qualifier, decimals=point.decimals)


def _point_tooltip(point: Point, unit: str, line: Line, words: ChartWords = CHINESE) -> str:
    label = point.label or words.text("year_span", year=point.year, span=line.label)
    value = _number(point, unit, words)
    status = words.statuses[status_of(point.estimate, point.derived)]
    note = words.text("semicolon") + point.note if point.note else ""
    return label + words.text("colon") + value + words.text("paren", text=status) + note


def _dodge(index: int, count: int) -> float:
    """Horizontal offset of a line's markers, so spans of one year sit side by side."""
    return (index - (count - 1) / 2) * 14


def _line_marks(
    line: Line, index: int, frame: _Frame, unit: str, count: int, link: Callable[[str], str], words: ChartWords = CHINESE
) -> tuple[list[str], list[tuple[float, float, str]], list[tuple[float, float]]]:
    """The line's segments and markers, its value labels to place later, and where its gap words sit."""
    colour = PALETTE[index % len(PALETTE)]
    shape = MARKERS[index % len(MARKERS)]
    shift = _dodge(index, count)
    shifted = _Frame(frame.years, frame.ticks, frame.left + shift, frame.right + shift, frame.top, frame.bottom)
    parts = [f'<g class="series" data-span="{esc(line.span)}">', *_line_paths(line, shifted, colour)]
    labels: list[tuple[float, float, str]] = []
    gaps: list[tuple[float, float]] = []
    for point in sorted(line.points, key=lambda p: p.year):
        x = shifted.x(point.year)
        tooltip = _point_tooltip(point, unit, line, words)
        if point.value is None:
            # a gap: a dashed rule and the word, at the foot of the plot (never read as a value)
            word = _number(point, words=words)
            word_y = frame.bottom - 6 - 18 * index
            mark = (
                f'<line x1="{coord(x)}" y1="{coord(frame.top)}" x2="{coord(x)}" y2="{coord(frame.bottom)}" '
                f'stroke="{MUTED}" stroke-dasharray="3 3"/>'
                f'<text x="{coord(x)}" y="{coord(word_y)}" text-anchor="middle" fill="{MUTED}" '
                f'stroke="#fff" stroke-width="3" style="paint-order:stroke">{esc(word)}</text>'
            )
            gaps.append((x, word_y))
        else:
            y = frame.y(point.value)
            mark = _derived_marker(x, y, colour) if point.derived else _marker(shape, x, y, colour, point.estimate)
            labels.append((x, y, _number(point, words=words)))
        parts.append(marker_link(link(point.cite) if point.cite else "", mark, tooltip))
    parts.append("</g>")
    return parts, labels, gaps


def _value_labels(labels: list[tuple[float, float, str]], gaps: list[tuple[float, float]]) -> list[str]:
    """Value labels beside their markers, placed where they hide no marker, gap word or other label."""
    markers = [(x, y) for x, y, _ in labels]
    placed: list[tuple[float, float, float]] = [(x, y, FONT) for x, y in gaps]  # x, baseline y, half width
    out = []
    for x, y, text in sorted(labels, key=lambda item: (item[1], item[0])):
        half = text_width(text) / 2 + 2
        candidates = [y - 11, y + 22, y - 28, y + 39, y - 45, y + 56]
        label_y = next((c for c in candidates if _free(x, c, half, placed, markers)), candidates[0])
        placed.append((x, label_y, half))
        out.append(
            f'<text class="value-label" x="{coord(x)}" y="{coord(label_y)}" text-anchor="middle" fill="{INK}" '
            f'stroke="#fff" stroke-width="3" style="paint-order:stroke">{esc(text)}</text>'
        )
    return out


def _free(
    x: float, baseline: float, half: float, placed: list[tuple[float, float, float]], markers: list[tuple[float, float]]
) -> bool:
    """True when a label at ``baseline`` overlaps no placed label and no marker."""
    top, bottom = baseline - FONT, baseline + 2
    for other_x, other_baseline, other_half in placed:
        if abs(other_x - x) < half + other_half and top < other_baseline + 2 and other_baseline - FONT < bottom:
            return False
    return not any(abs(mx - x) < half + 7 and top < my + 7 and my - 7 < bottom for mx, my in markers)


def _axes(frame: _Frame) -> list[str]:
    parts = ['<g class="axes">']
    for tick in frame.ticks:
        y = frame.y(tick)
        stroke = MUTED if tick == 0 else GRID
        parts.append(
            f'<line x1="{coord(frame.left)}" y1="{coord(y)}" x2="{coord(frame.right)}" y2="{coord(y)}" stroke="{stroke}"/>'
        )
        parts.append(
            f'<text x="{coord(frame.left - 8)}" y="{coord(y + 5)}" text-anchor="end" fill="{MUTED}">{esc(format_number(tick))}</text>'
        )
    for year in frame.years:
        parts.append(
            f'<text x="{coord(frame.x(year))}" y="{coord(frame.bottom + 22)}" text-anchor="middle" fill="{INK}">{year}</text>'
        )
    parts.append("</g>")
    return parts


def _legend_rows(lines: Sequence[Line]) -> list[list[tuple[int, float]]]:
    """Legend items (line index, x) flowed into rows that fit the chart's width."""
    rows: list[list[tuple[int, float]]] = [[]]
    x = 24.0
    for index, line in enumerate(lines):
        width = 20 + text_width(line.label) + 18
        if rows[-1] and x + width > WIDTH - 16:
            rows.append([])
            x = 24.0
        rows[-1].append((index, x))
        x += width
    return rows


def _legend(lines: Sequence[Line], rows: list[list[tuple[int, float]]], top: float, words: ChartWords = CHINESE) -> list[str]:
    parts = ['<g class="legend">']
    for row_index, row in enumerate(rows):
        y = top + row_index * 22
        for index, x in row:
            colour = PALETTE[index % len(PALETTE)]
            parts.append(_marker(MARKERS[index % len(MARKERS)], x + 5, y - 5, colour, False))
            parts.append(f'<text x="{coord(x + 16)}" y="{coord(y)}" fill="{INK}">{esc(lines[index].label)}</text>')
    note_y = top + len(rows) * 22
    parts.append(f'<text x="24" y="{coord(note_y)}" fill="{MUTED}">{esc(words.text("key_note"))}</text>')
    parts.append("</g>")
    return parts


def _series_rows(lines: Sequence[Line], unit: str, words: ChartWords = CHINESE) -> tuple[tuple[Cell, ...], ...]:
    rows = []
    for line in lines:
        for point in sorted(line.points, key=lambda p: p.year):
            value = _number(point, words=words)
            status = status_of(point.estimate, point.derived)
            rows.append(
                (
                    Cell(point.label or words.text("year_span", year=point.year, span=line.label)),
                    Cell(value, point.cite, status),
                    Cell(words.statuses[status] + (words.text("colon") + point.note if point.note else ""), status=status, badge=True),
                )
            )
    return tuple(rows)


def _series_description(subject: str, unit: str, lines: Sequence[Line], words: ChartWords = CHINESE) -> str:
    parts = []
    for line in lines:
        values = []
        for point in sorted(line.points, key=lambda p: p.year):
            shown = _number(point, unit, words)
            status = (
                ""
                if not (point.estimate or point.derived)
                else words.text("paren", text=words.statuses[status_of(point.estimate, point.derived)])
            )
            values.append(words.text("year_value", year=point.year, value=shown) + status)
        parts.append(line.label + words.text("colon") + words.text("comma").join(values))
    separate = words.text("separate_lines") if len(lines) > 1 else ""
    heading = words.text("subject_unit", subject=subject, unit=words.unit_name(unit))
    return heading + words.text("end") + words.text("semicolon").join(parts) + words.text("end") + separate


def series_chart(
    chart_id: str, title: str, unit: str, lines: Sequence[Line], subject: str = "", link: Callable[[str], str] = str,
    words: ChartWords = CHINESE,
) -> Chart:
    """A metric across years, one separate line per span.

    ``link`` turns the points' site paths into links (the site's ``url()``).
    """
    lines = [line for line in lines if line.points]
    values = [p.value for line in lines for p in line.points if p.value is not None]
    years = sorted({p.year for line in lines for p in line.points})
    if years:
        years = list(range(years[0], years[-1] + 1))
    frame = _Frame(tuple(years) or (0,), tuple(nice_ticks(min(values, default=0.0), max(values, default=0.0))))
    legend_rows = _legend_rows(lines)
    legend_y = frame.bottom + 50
    description = _series_description(subject or title, unit, lines, words)
    parts = open_svg(chart_id, title, description, legend_y + 22 * len(legend_rows) + 8)
    parts += _axes(frame)
    labels: list[tuple[float, float, str]] = []
    gaps: list[tuple[float, float]] = []
    for index, line in enumerate(lines):
        marks, line_labels, line_gaps = _line_marks(line, index, frame, unit, len(lines), link, words)
        parts += marks
        labels += line_labels
        gaps += line_gaps
    parts += _value_labels(labels, gaps)
    parts += _legend(lines, legend_rows, legend_y, words)
    parts.append("</svg>")
    columns = (words.text("period"), words.text("value_unit", unit=words.unit_name(unit)), words.text("status"))
    legend = tuple(line.label for line in lines)
    return Chart(chart_id, title, description, Markup("".join(parts)), columns, _series_rows(lines, unit, words), legend)
