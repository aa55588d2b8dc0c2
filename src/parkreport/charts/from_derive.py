"""Chart inputs built from the derive stage's results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from ..derive.progress import STAGES
from ..derive.results import ProjectTimeline, Series, SeriesPoint
from ..format import format_period
from ..periods import span_words
from .bars import bar_chart
from .svg import DERIVED_DECIMALS, Bar, Chart, Line, Point
from .words import CHINESE, ChartWords


def _point_of(series_point: SeriesPoint) -> Point:
    observation = series_point.observation
    number = observation.value
    return Point(
        year=series_point.year,
        value=number.value if number is not None else None,
        label=format_period(observation.period),
        estimate=observation.status == "estimated" or (number is not None and number.estimate),
        hidden=observation.hidden,
        cite=observation.ref.href,
        qualifier=observation.qualifier,
    )


def _implied_point(series_point: SeriesPoint) -> Point | None:
    implied = series_point.implied_prior
    period = series_point.observation.period
    if implied is None or period.year is None:
        return None
    return Point(
        year=series_point.year - 1,
        value=implied.value,
        label=format_period(period.previous_year()),
        estimate=implied.estimate,
        derived=True,
        cite=implied.inputs[0].href if implied.inputs else "",
        note=implied.explanation_zh,
        decimals=DERIVED_DECIMALS,
    )


def lines_from_series(series: Sequence[Series]) -> tuple[Line, ...]:
    """One line per span; a year with no figure but an implied prior value gets it, marked derived."""
    lines = []
    for one in sorted(series, key=lambda s: (s.points[0].period.last if s.points else 12, s.span)):
        points = {p.year: _point_of(p) for p in one.points}
        for series_point in one.points:
            implied = _implied_point(series_point)
            if implied is not None and implied.year not in points:
                points[implied.year] = implied
        label = span_words(one.points[0].period) if one.points else one.span
        scope = f"（{one.scope}）" if one.scope else ""
        lines.append(Line(one.span, label + scope, tuple(points[year] for year in sorted(points))))
    return tuple(lines)


class GrowthFigure(Protocol):
    """What a year-over-year bar needs from a displayed figure."""

    metric_name: str
    period: object
    yoy_pct: float | None
    yoy_derived: bool
    estimate: bool
    cite: str


def yoy_bars(figures: Sequence[GrowthFigure], words: ChartWords = CHINESE) -> tuple[Bar, ...]:
    """A growth bar per figure with a reported or computed growth."""
    return tuple(
        Bar(
            label=f"{figure.metric_name} · {words.period(figure.period)}",
            value=figure.yoy_pct,
            estimate=figure.estimate,
            derived=figure.yoy_derived,
            cite=figure.cite,
            note=words.text("yoy_computed") if figure.yoy_derived else "",
            decimals=1 if figure.yoy_derived else None,
        )
        for figure in figures
        if figure.yoy_pct is not None
    )


def stage_bars(stages: Sequence[str | None], words: ChartWords = CHINESE) -> tuple[Bar, ...]:
    """Projects counted by stage, in pipeline order; ``None`` counts as no clear stage."""
    counts = {stage: 0 for stage in STAGES}
    unclear = 0
    for stage in stages:
        if stage is not None and stage in counts:
            counts[stage] += 1
        else:
            unclear += 1
    bars = [Bar(words.stages.get(stage, stage), float(count)) for stage, count in counts.items()]
    if unclear:
        bars.append(Bar(words.text("stage_unclear"), float(unclear), note=words.text("stage_unclear_note")))
    return tuple(bars)


def pipeline_bars(timelines: Sequence[ProjectTimeline]) -> tuple[Bar, ...]:
    """Projects counted by their latest claimed stage, in pipeline order."""
    return stage_bars([timeline.current_stage for timeline in timelines])


def pipeline_chart(chart_id: str, title: str, timelines: Sequence[ProjectTimeline]) -> Chart:
    """The project pipeline: how many projects stand at each stage."""
    return bar_chart(
        chart_id,
        title,
        pipeline_bars(timelines),
        unit="个",
        value_label="项目数",
        label_column="阶段",
        with_status=False,
    )


def growth_chart(chart_id: str, title: str, figures: Sequence[GrowthFigure], link: Callable[[str], str] = str,
                 words: ChartWords = CHINESE) -> Chart:
    """Year-over-year growth of several figures as bars (left of zero for a fall)."""
    return bar_chart(
        chart_id, title, yoy_bars(figures, words), unit="%", signed=True, value_label=words.text("yoy"),
        label_column=words.text("metric"), link=link, words=words,
    )
