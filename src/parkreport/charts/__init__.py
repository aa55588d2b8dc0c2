"""Charts as inline SVG, drawn at build time: no JavaScript needed to see them.

Three kinds, each returned as a :class:`Chart` holding the SVG markup, a
title, a plain-language description for screen readers and the table of
the numbers it draws (templates show the table beside the chart):

* :func:`series_chart`: a metric over the years, **one line per span**. The
  Jan-Apr figures and the H1 figures are different statistics; they get
  separate lines with their own markers and are never joined. Estimates are
  hollow markers on dashed segments, derived values hollow diamonds on
  dotted segments; a hidden value leaves a labelled gap, never a zero.
* :func:`bar_chart`: horizontal bars, used for year-over-year growth (bars
  left of zero for a fall) and for the project pipeline by stage.

Output is deterministic: the same input gives the same bytes (ids come from
the caller, coordinates are rounded). Every text is XML-escaped.
"""

from __future__ import annotations

from .bars import bar_chart
from .from_derive import (
    GrowthFigure,
    growth_chart,
    lines_from_series,
    pipeline_bars,
    pipeline_chart,
    stage_bars,
    yoy_bars,
)
from .from_views import chart_from_figures, chart_from_series_views, chart_from_stages, lines_from_views
from .lines import series_chart
from .svg import Bar, Cell, Chart, Line, Point, nice_ticks

__all__ = [
    "Bar",
    "Cell",
    "Chart",
    "GrowthFigure",
    "Line",
    "Point",
    "bar_chart",
    "chart_from_figures",
    "chart_from_series_views",
    "chart_from_stages",
    "growth_chart",
    "lines_from_series",
    "lines_from_views",
    "nice_ticks",
    "pipeline_bars",
    "pipeline_chart",
    "series_chart",
    "stage_bars",
    "yoy_bars",
]
