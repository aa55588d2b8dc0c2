"""Property-based tests of the derive maths and its guarantees (hypothesis)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkreport.corpus import Corpus
from parkreport.derive import derive
from parkreport.derive.progress import STAGES, claim_order, stage_rank
from parkreport.derive.quantities import growth_pct, growth_tolerance, half_unit, implied_previous
from parkreport.model import Metric, Park, Report
from parkreport.units import UnitRegistry

PERIODS = ["2021M1-4", "2021H1", "2021", "2022M1-4", "2022H1", "2022Q1", "2022", "2022YTD",
           "2023M1-4", "2023H1", "2023", "2023YTD", "202xH1", "2021M1-5", "2022M1-5"]
UNITS = ["亿元", "万元", "亿美元", "个", "%"]
METRICS = {
    "output": Metric.model_validate({"id": "output", "zh": "产值", "en": "Output", "unit": "亿元"}),
    "value-added": Metric.model_validate(
        {"id": "value-added", "zh": "增加值", "en": "Value added", "unit": "亿元", "comparable_prices": True}),
    "signed": Metric.model_validate({"id": "signed", "zh": "签约", "en": "Signed", "unit": "个"}),
}

indicator = st.fixed_dictionaries(
    {
        "metric": st.sampled_from(sorted(METRICS)),
        "park": st.sampled_from(["a", "b"]),
        "value": st.one_of(st.floats(0.01, 5000, allow_nan=False).map(lambda v: round(v, 2)),
                           st.sampled_from(["redacted", "unknown"])),
        "unit": st.sampled_from(UNITS),
        "period": st.sampled_from(PERIODS),
        "status": st.sampled_from(["actual", "estimated", "revised", "target"]),
        "qualifier": st.sampled_from(["exact", "exact", "nearly", "more_than"]),
        "yoy_pct": st.one_of(st.none(), st.floats(-50, 200).map(lambda v: round(v, 1))),
        "quote": st.just("引文"),
    }
)
event = st.fixed_dictionaries(
    {
        "project": st.sampled_from(["a-one", "a-two", "b-one"]),
        "status": st.sampled_from([*STAGES, "progress", "planned"]),
        "imminent": st.booleans(),
        "quote": st.just("引文"),
    }
)
report = st.fixed_dictionaries(
    {
        "published": st.one_of(st.none(), st.sampled_from(["2021", "2022-06-13", "2022-06", "2023-07-20", "2024-01"])),
        "indicators": st.lists(indicator, max_size=6),
        "project_events": st.lists(event, max_size=3),
    }
)


def _approx(expected: float) -> object:
    return pytest.approx(expected, rel=1e-6, abs=1e-6)


def make_corpus(reports: list[dict[str, Any]], order: list[int] | None = None) -> Corpus:
    parks = {
        "a": Park.model_validate({"id": "a", "name": "甲园区", "projects": [
            {"id": "a-one", "name": "一号"}, {"id": "a-two", "name": "二号"}]}),
        "b": Park.model_validate({"id": "b", "name": "乙园区", "projects": [{"id": "b-one", "name": "乙一"}]}),
    }
    models = {}
    for index in order or range(len(reports)):
        raw = {k: v for k, v in reports[index].items() if v is not None}
        raw |= {"id": f"r{index}", "parks": ["a", "b"], "title": f"报告{index}", "kind": "news"}
        models[f"r{index}"] = Report.model_validate(raw)
    projects = {p.id: p for park in parks.values() for p in park.projects}
    return Corpus(
        root=Path("."), metrics=METRICS, units=UnitRegistry(), parks=parks, projects=projects,
        project_park={"a-one": "a", "a-two": "a", "b-one": "b"}, reports=models, sources={}, originals={},
    )


@settings(max_examples=25, deadline=None)
@given(st.lists(report, min_size=1, max_size=5))
def test_derive_never_compares_different_spans_or_units(reports: list[dict[str, Any]]) -> None:
    derived = derive(make_corpus(reports))
    for comparison in derived.comparisons:
        current, previous = comparison.current, comparison.previous
        assert (current.park, current.metric, current.scope) == (previous.park, previous.metric, previous.scope)
        assert current.period.span == previous.period.span
        assert (current.period.first, current.period.last) == (previous.period.first, previous.period.last)
        assert not current.period.to_date and not previous.period.to_date
        assert current.period.year is not None and previous.period.year == current.period.year - 1
        assert current.value is not None and previous.value is not None
        assert current.value.unit == previous.value.unit == METRICS[current.metric].unit
        assert "target" not in (current.status, previous.status)
        if current.approximate or previous.approximate:
            assert comparison.computed.approximate and comparison.disagrees is None
    for s in derived.series:
        assert {p.observation.period.span for p in s.points} == {s.span}
    for overview in derived.year_overviews:
        assert {row.point.period.span for row in overview.rows} == {overview.span}


@settings(max_examples=25, deadline=None)
@given(st.lists(report, min_size=1, max_size=5), st.randoms(use_true_random=False))
def test_derive_is_deterministic_whatever_the_input_order(reports: list[dict[str, Any]], rng: random.Random) -> None:
    order = list(range(len(reports)))
    rng.shuffle(order)
    assert derive(make_corpus(reports)) == derive(make_corpus(reports, order))


@settings(max_examples=25, deadline=None)
@given(st.lists(report, min_size=1, max_size=5))
def test_derive_implied_priors_are_derived_and_never_from_hidden_values(reports: list[dict[str, Any]]) -> None:
    derived = derive(make_corpus(reports))
    for s in derived.series:
        for point in s.points:
            implied = point.implied_prior
            if implied is None:
                continue
            assert implied.rule == "implied_prior" and len(implied.inputs) == 1
            assert implied.period is not None and implied.period.year == point.year - 1
            source = next(o for o in derived.observations if o.ref == implied.inputs[0])
            assert source.value is not None and source.yoy_pct is not None
            assert implied.estimate == source.value.estimate
            assert growth_pct(source.value.value, implied.value) == _approx(source.yoy_pct)


@given(st.floats(0.001, 1e6), st.floats(-99, 1000))
def test_derive_implied_value_round_trips(value: float, growth: float) -> None:
    previous = implied_previous(value, growth)
    assert growth_pct(value, previous) == _approx(growth)
    assert implied_previous(value, growth_pct(value, previous)) == _approx(previous)


@given(st.floats(0.01, 1e5).map(lambda v: round(v, 2)), st.floats(0.01, 1e5).map(lambda v: round(v, 2)))
def test_derive_growth_tolerance_covers_every_rounding(current: float, previous: float) -> None:
    """Any true values that print as ``current`` and ``previous`` give a growth
    within the tolerance of the growth computed from the printed figures."""
    error_c, error_p = half_unit(current), half_unit(previous)
    tolerance = growth_tolerance(current, previous, error_c, error_p)
    central = growth_pct(current, previous)
    for dc in (-error_c, 0, error_c):
        for dp in (-error_p, 0, error_p):
            if previous + dp > 0 and current + dc >= 0:
                assert abs(growth_pct(current + dc, previous + dp) - central) <= tolerance * (1 + 1e-9) + 1e-12


def test_derive_stage_order_is_total_with_imminent_just_below() -> None:
    ranks = [(stage_rank(stage, imminent), stage, imminent) for stage in STAGES for imminent in (True, False)]
    assert len({rank for rank, _, _ in ranks}) == len(ranks)
    ordered = [(stage, imminent) for _, stage, imminent in sorted(ranks)]
    expected = [(stage, imminent) for stage in STAGES for imminent in (True, False)]
    assert ordered == expected


@settings(max_examples=25, deadline=None)
@given(st.lists(report, min_size=1, max_size=5), st.randoms(use_true_random=False))
def test_derive_project_timelines_are_ordered_and_stable(reports: list[dict[str, Any]], rng: random.Random) -> None:
    derived = derive(make_corpus(reports))
    for timeline in derived.timelines:
        keys = [claim_order(c) for c in timeline.claims]
        assert keys == sorted(keys) and len(set(keys)) == len(keys)
        shuffled = list(timeline.claims)
        rng.shuffle(shuffled)
        assert tuple(sorted(shuffled, key=claim_order)) == timeline.claims
        staged = [c for c in timeline.claims if c.kind == "stage"]
        assert timeline.current_stage == (staged[-1].stage if staged else None)
        for change in timeline.regressions:
            assert change.before is not None and change.after.rank is not None and change.before.rank is not None
            assert change.after.rank < change.before.rank
