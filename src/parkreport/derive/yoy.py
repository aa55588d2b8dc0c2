"""Year-over-year series: only the same span of two years is ever compared.

A series holds one park's figures for one metric, scope and span (every
H1, every Jan-Apr, ...). Jan-Apr 2022 and H1 2023 fall into two different
series, so no code path can put them side by side.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from ..corpus import Corpus
from ..periods import period_words, period_words_en
from .observations import date_key
from .quantities import growth_pct, growth_tolerance, half_unit, implied_previous
from .results import DerivedNumber, Observation, Series, SeriesPoint, YoYComparison

_STATUS_RANK = {"revised": 3, "actual": 2, "estimated": 1}

SeriesKey = tuple[str, str, str, str]  # park, metric, scope, span


def preference_key(observation: Observation) -> tuple[bool, int, dt.date, tuple[str, str, int]]:
    """Sort key, best first when reversed: a known value, revised > actual >
    estimated, the latest report, then the reference for stability."""
    return (
        observation.value is not None,
        _STATUS_RANK.get(observation.status, 0),
        date_key(observation.report_date),
        (observation.ref.report, observation.ref.collection, observation.ref.index),
    )


def series_observations(observations: Iterable[Observation], metric_units: dict[str, str]) -> dict[SeriesKey, list[Observation]]:
    """Observations that can form series, grouped by park, metric, scope and span.

    Targets stated as indicators, figures whose year the source withholds
    (202x) and figures in a unit that does not convert to the metric's unit
    cannot take a place on the metric's axis and are left out.
    """
    groups: dict[SeriesKey, list[Observation]] = defaultdict(list)
    for observation in observations:
        if observation.status == "target" or observation.period.year is None:
            continue
        if observation.value is not None and observation.value.unit != metric_units[observation.metric]:
            continue
        key = (observation.park, observation.metric, observation.scope, observation.period.span)
        groups[key].append(observation)
    return groups


def comparable(current: Observation, previous: Observation) -> bool:
    """Same park, metric, scope and span, one year apart, both known in the same unit."""
    return (
        current.park == previous.park
        and current.metric == previous.metric
        and current.scope == previous.scope
        and current.period.comparable_with(previous.period)
        and current.period.year is not None
        and previous.period.year == current.period.year - 1
        and current.value is not None
        and previous.value is not None
        and current.value.unit == previous.value.unit
        and previous.value.value != 0
    )


def _rounding_error(observation: Observation) -> float:
    """Half a unit of the last printed digit, in the normalised unit."""
    assert observation.value is not None and observation.reported_value is not None
    scale = observation.value.value / observation.reported_value if observation.reported_value else 1.0
    return half_unit(observation.reported_value) * abs(scale)


def compare(current: Observation, previous: Observation) -> YoYComparison:
    """The computed growth between two comparable observations, checked against
    the reported rate within the rounding of the printed figures."""
    assert current.value is not None and previous.value is not None
    computed = growth_pct(current.value.value, previous.value.value)
    qualified = current.approximate or previous.approximate
    number = DerivedNumber(
        computed, "%", "computed_yoy",
        f"由{period_words(current.period)}与{period_words(previous.period)}两个数值计算的同比增速",
        f"growth computed from the {period_words_en(current.period)} and {period_words_en(previous.period)} figures",
        (current.ref, previous.ref),
        approximate=qualified,
        estimate=current.value.estimate or previous.value.estimate,
        period=current.period,
    )
    reported = current.yoy_pct
    if reported is None or qualified:
        return YoYComparison(current, previous, number, reported, None, None)
    tolerance = growth_tolerance(
        current.value.value, previous.value.value, _rounding_error(current), _rounding_error(previous)
    ) + half_unit(reported)
    return YoYComparison(current, previous, number, reported, tolerance, abs(computed - reported) > tolerance + 1e-9)


def implied_prior(observation: Observation, comparable_prices: bool) -> DerivedNumber | None:
    """The previous year's value a reported rate implies, labelled derived."""
    rate = observation.yoy_pct
    if observation.value is None or rate is None or rate <= -100 or observation.period.year is None:
        return None
    prior_period = observation.period.previous_year()
    value = implied_previous(observation.value.value, rate)
    note_zh = "；增加值增速按可比价计算，推算值仅为近似" if comparable_prices else ""
    note_en = "; value-added growth is at comparable prices, so this is approximate" if comparable_prices else ""
    if observation.value.estimate:
        note_zh += "；所据为预计数"
        note_en += "; based on an estimate"
    shown = f"{observation.value.value:g}{observation.value.unit}"
    return DerivedNumber(
        value, observation.value.unit, "implied_prior",
        f"由{period_words(observation.period)}{shown}及同比增长{rate:g}%推算的{period_words(prior_period)}数值{note_zh}",
        f"implied for {period_words_en(prior_period)} by {shown} and reported growth of {rate:g}%{note_en}",
        (observation.ref,),
        approximate=comparable_prices or observation.approximate,
        estimate=observation.value.estimate,
        period=prior_period,
    )


def _point(year: int, candidates: list[Observation], comparable_prices: bool) -> SeriesPoint:
    ranked = sorted(candidates, key=preference_key, reverse=True)
    best = ranked[0]
    with_rate = next((o for o in ranked if o.yoy_pct is not None and o.value is not None), None)
    return SeriesPoint(
        year=year,
        period=best.period,
        observation=best,
        alternatives=tuple(ranked[1:]),
        reported_yoy_pct=with_rate.yoy_pct if with_rate else None,
        implied_prior=implied_prior(with_rate, comparable_prices) if with_rate else None,
    )


def build_series(corpus: Corpus, observations: Iterable[Observation]) -> tuple[Series, ...]:
    """Every series, its points in year order, each point compared with the year before."""
    result: list[Series] = []
    metric_units = {metric_id: metric.unit for metric_id, metric in corpus.metrics.items()}
    for key, members in sorted(series_observations(observations, metric_units).items()):
        park, metric_id, scope, span = key
        metric = corpus.metrics[metric_id]
        by_year: dict[int, list[Observation]] = defaultdict(list)
        for observation in members:
            assert observation.period.year is not None
            by_year[observation.period.year].append(observation)
        points: list[SeriesPoint] = []
        for year in sorted(by_year):
            point = _point(year, by_year[year], metric.comparable_prices)
            previous = points[-1] if points and points[-1].year == year - 1 else None
            if previous is not None and comparable(point.observation, previous.observation):
                comparison = compare(point.observation, previous.observation)
                point = SeriesPoint(
                    point.year, point.period, point.observation, point.alternatives,
                    point.reported_yoy_pct, comparison, point.implied_prior,
                )
            points.append(point)
        result.append(Series(park, metric_id, scope, span, metric.unit, tuple(points)))
    return tuple(result)


def comparisons_of(series: Iterable[Series]) -> tuple[YoYComparison, ...]:
    return tuple(point.comparison for s in series for point in s.points if point.comparison is not None)
