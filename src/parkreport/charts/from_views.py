"""Charts built from the values templates display (figures, series views, project rows).

Templates get these through filters (see :data:`parkreport.format.FILTERS`),
so a page's chart and the table beside it are drawn from the very figures
the page prints. The views are read by attribute, so any object with the
listed attributes works.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ..format import is_known
from .bars import bar_chart
from .from_derive import GrowthFigure, growth_chart, stage_bars
from .lines import series_chart
from .svg import DERIVED_DECIMALS, Chart, Line, Point
from .words import CHINESE, ChartWords


class Figure(Protocol):
    """What a chart needs from a displayed figure."""

    value: float | str
    period: Any
    status: str
    cite: str
    estimate: bool
    explanation: str


def _decimals(figure: Figure) -> int | None:
    """The figure's own cap on digits; computed figures get two decimals at most."""
    decimals = getattr(figure, "decimals", None)
    if decimals is None and figure.status == "derived":
        return DERIVED_DECIMALS
    return decimals if isinstance(decimals, int) else None


def _point(figure: Figure, words: ChartWords = CHINESE) -> Point | None:
    period = figure.period
    if getattr(period, "year", None) is None:
        return None  # a withheld year ("202x") has no place on a time axis
    known = is_known(figure.value)
    return Point(
        year=period.year,
        value=float(figure.value) if known else None,
        label=words.period(period),
        estimate=figure.estimate or figure.status == "estimated",
        derived=figure.status == "derived",
        hidden="" if known else str(figure.value),
        cite=figure.cite,
        note=figure.explanation if figure.status == "derived" else "",
        decimals=_decimals(figure),
        qualifier=getattr(figure, "qualifier", "exact"),
    )


def lines_from_views(views: Sequence[Any], words: ChartWords = CHINESE) -> tuple[Line, ...]:
    """One line per series view (a span); implied prior values fill years without a figure."""
    lines = []
    for view in views:
        points: dict[int, Point] = {}
        for series_point in view.points:
            point = _point(series_point.figure, words)
            if point is not None:
                points[point.year] = point
        for series_point in view.points:
            implied = series_point.implied_prior
            prior = _point(implied, words) if implied is not None else None
            if prior is not None and prior.year not in points:
                points[prior.year] = prior
        if not points:
            continue
        first = view.points[0].figure.period
        scope = words.text("paren", text=view.scope) if view.scope else ""
        lines.append(
            (
                first.last,
                view.span,
                Line(view.span, words.span(first) + scope, tuple(points[y] for y in sorted(points))),
            )
        )
    return tuple(line for _, _, line in sorted(lines, key=lambda item: (item[0], item[1])))


def chart_from_series_views(
    views: Sequence[Any], chart_id: str, title: str = "", link: Callable[[str], str] = str, words: ChartWords = CHINESE
) -> Chart:
    """The history of one metric: a line per span, from the page's series views."""
    first = views[0]
    name = title or first.metric.label
    subject = f"{first.park.label} {name}" if getattr(first, "park", None) else name
    return series_chart(chart_id, name, first.unit, lines_from_views(views, words), subject=subject, link=link, words=words)


def chart_from_figures(
    figures: Sequence[GrowthFigure], chart_id: str, title: str = "", link: Callable[[str], str] = str,
    words: ChartWords = CHINESE,
) -> Chart:
    """Year-over-year growth of the figures that have one."""
    return growth_chart(chart_id, title or words.text("growth_title"), figures, link, words)


def chart_from_stages(stages: Sequence[str | None], chart_id: str, title: str = "", words: ChartWords = CHINESE) -> Chart:
    """How many projects stand at each stage (``None``: no clear stage yet)."""
    return bar_chart(
        chart_id, title or words.text("pipeline_title"), stage_bars(stages, words), unit=words.text("project_unit"),
        value_label=words.text("projects"), label_column=words.text("stage"), with_status=False, words=words,
    )
