"""Derive on a fixture corpus that mirrors the seeds' situations.

``tests/fixtures/derive_parks``: ``east`` repeats Puyang (Jan-Apr 2022, then
H1 2023, projects signed then advancing), ``west`` has a revision, a growth
disagreement, a regression and stalls, ``south`` sets targets that a later
report settles, ``redact`` hides its figures and its year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from parkreport import load_corpus
from parkreport.derive import Derived, derive

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "derive_parks"


@pytest.fixture(scope="module")
def derived() -> Derived:
    return derive(load_corpus(FIXTURE))


def test_derive_as_of_is_the_latest_report_date(derived: Derived) -> None:
    assert derived.as_of == dt.date(2024, 1, 10)
    assert dict(derived.report_dates)["east-2023-h1"] == dt.date(2023, 7, 1)  # "2023-07" sorts by its start
    assert dict(derived.report_dates)["redact-202x-h1"] is None


def test_derive_east_h1_2023_output_has_implied_prior_and_no_cross_span_comparison(derived: Derived) -> None:
    summary = derived.park_year("east", 2023)
    assert summary is not None
    output = next(f for f in summary.headline if f.metric == "industrial-output")
    assert output.span == "H1"
    point = output.point
    assert point.observation.value is not None and point.observation.value.value == 96.1
    assert point.reported_yoy_pct == 21.4
    assert point.comparison is None  # Jan-Apr 2022 is another span: never compared
    implied = point.implied_prior
    assert implied is not None
    assert implied.rule == "implied_prior"
    assert implied.value == pytest.approx(79.16, abs=0.005)
    assert implied.period is not None and implied.period.code == "2022H1"
    assert implied.estimate and not implied.approximate
    assert implied.inputs == (("east-2023-h1", "indicators", 1),)
    assert all(s.span == "H1" for s in [output.series])


def test_derive_value_added_implied_prior_is_approximate(derived: Derived) -> None:
    (series,) = derived.series_of("east", "industrial-value-added", "H1")
    implied = series.points[0].implied_prior
    assert implied is not None and implied.approximate
    assert "comparable prices" in implied.explanation_en and "可比价" in implied.explanation_zh


def test_derive_east_projects_advance_from_signed(derived: Derived) -> None:
    summary = derived.park_year("east", 2023)
    assert summary is not None
    changes = {c.project: c for c in summary.projects_advanced}
    hangmin = changes["east-hangmin"]
    assert hangmin.direction == "advanced"
    assert hangmin.before is not None and hangmin.before.stage == "signed"
    assert hangmin.before.ref.report == "east-2022-m1-4"
    assert hangmin.after.stage == "trial_production" and hangmin.after.imminent
    baolijia = changes["east-baolijia"]
    assert baolijia.direction == "progress"
    assert baolijia.after.kind == "vague" and baolijia.after.planned_stage == "under_construction"
    timeline = derived.timeline("east-baolijia")
    assert timeline is not None and timeline.current_stage == "signed"


def test_derive_signings_come_from_stated_indicators(derived: Derived) -> None:
    summary = derived.park_year("east", 2023)
    assert summary is not None and summary.signings_count is not None
    assert summary.signings_count.value == 20
    assert [a.value for a in summary.signings_amount] == [110.3]
    assert summary.signings_count.inputs == (("east-2023-h1", "indicators", 2),)


def test_derive_west_revision_prefers_the_revised_figure_and_flags_it(derived: Derived) -> None:
    (series,) = derived.series_of("west", "industrial-output", "H1")
    point = series.point(2023)
    assert point is not None
    assert point.observation.status == "revised"
    assert [o.status for o in point.alternatives] == ["estimated"]
    revisions = [i for i in derived.quality if i.kind == "revision"]
    assert len(revisions) == 1
    assert set(revisions[0].refs) == {("west-2023-review", "indicators", 0), ("west-2023-h1", "indicators", 0)}


def test_derive_west_growth_disagreement_is_flagged_with_both_figures(derived: Derived) -> None:
    (series,) = derived.series_of("west", "fixed-asset-investment", "H1")
    point = series.point(2023)
    assert point is not None and point.comparison is not None
    comparison = point.comparison
    assert comparison.computed.value == pytest.approx((12.5 / 10.4 - 1) * 100)
    assert comparison.disagrees is True
    issue = next(i for i in derived.quality if i.kind == "yoy_disagreement")
    assert issue.severity == "warning"
    assert "30%" in issue.message_zh and "20.2%" in issue.message_zh
    assert set(issue.refs) == {("west-2023-h1", "indicators", 1), ("west-2022-h1", "indicators", 1)}


def test_derive_so_far_this_year_series_are_marked_not_comparable(derived: Derived) -> None:
    (ytd,) = derived.series_of("east", "projects-signed", "YTD")
    assert not ytd.comparable_span
    (h1,) = derived.series_of("east", "projects-signed", "H1")
    assert h1.comparable_span


def test_derive_units_are_converted_to_the_metric_unit(derived: Derived) -> None:
    (series,) = derived.series_of("west", "fixed-asset-investment", "FY")
    value = series.points[0].observation.value
    assert value is not None
    assert (value.value, value.unit, value.rule) == (25.0, "亿元", "converted")


def test_derive_project_regression_and_stalls(derived: Derived) -> None:
    plant = derived.timeline("west-plant")
    assert plant is not None and len(plant.regressions) == 1
    assert plant.regressions[0].after.stage == "signed"
    assert plant.current_stage == "signed"  # the latest claim, even when lower
    stalled = sorted(t.project for t in derived.timelines if t.stalled)
    assert stalled == ["east-stale", "west-stale", "west-usd"]
    severities = {i.project: i.severity for i in derived.quality if i.kind == "stall"}
    assert severities == {"east-stale": "warning", "west-stale": "warning", "west-usd": "warning"}
    not_yet = derive(load_corpus(FIXTURE), stall_months=24)
    assert not any(t.stalled for t in not_yet.timelines)


def test_derive_investment_totals_never_mix_currencies(derived: Derived) -> None:
    totals = {(t.park, t.year, t.stage, t.total.unit): t for t in derived.investment_totals}
    cny = totals[("west", 2022, "under_construction", "亿元")]
    assert cny.total.value == pytest.approx(1.2 + 3.5)
    assert cny.total.rule == "sum_stated"
    assert cny.projects == ("west-plant", "west-stale")
    usd = totals[("west", 2022, "under_construction", "亿美元")]
    assert usd.total.value == 2.0 and usd.projects == ("west-usd",)


@pytest.mark.parametrize(
    ("index", "status"),
    [(0, "open"), (1, "met"), (2, "partly_met"), (3, "unknown"), (4, "met"), (5, "unknown"), (6, "met")],
)
def test_derive_south_targets(derived: Derived, index: int, status: str) -> None:
    assessment = derived.target(("south-2021-review", "targets", index))
    assert assessment is not None
    assert assessment.status == status, assessment.reason_en


def test_derive_qualitative_target_is_met_only_through_a_linked_fact(derived: Derived) -> None:
    linked = derived.target(("south-2021-review", "targets", 6))
    assert linked is not None and linked.evidence == (("south-2022-review", "facts", 0),)
    unlinked = derived.target(("south-2021-review", "targets", 3))
    assert unlinked is not None and unlinked.evidence == ()
    early = derive(load_corpus(FIXTURE), as_of=dt.date(2022, 3, 1)).target(("south-2021-review", "targets", 3))
    assert early is not None and early.status == "open"


def test_derive_threshold_target_counts_items_with_evidence(derived: Derived) -> None:
    assessment = derived.target(("south-2021-review", "targets", 0))
    assert assessment is not None and assessment.achieved is not None
    assert assessment.achieved.value == 1  # 医养健康 120亿元 reaches 100亿元; 绿色化工 95亿元 does not
    assert assessment.evidence == (("south-2022-review", "indicators", 2),)
    later = derive(load_corpus(FIXTURE), as_of=dt.date(2027, 1, 1)).target(("south-2021-review", "targets", 0))
    assert later is not None and later.status == "partly_met"


def test_derive_redacted_targets_are_unknown_not_zero(derived: Derived) -> None:
    for index in (0, 1):
        assessment = derived.target(("redact-202x-h1", "targets", index))
        assert assessment is not None
        assert assessment.status == "unknown" and assessment.achieved is None
        assert "never read as 0" in assessment.reason_en
    hidden = [o for o in derived.observations if o.park == "redact"]
    assert [o.value for o in hidden] == [None] and hidden[0].hidden == "redacted"
    assert any(i.kind == "undated_report" and i.reports == ("redact-202x-h1",) for i in derived.quality)


def test_derive_qualified_figures_are_flagged(derived: Derived) -> None:
    issue = next(i for i in derived.quality if i.kind == "qualified_figure")
    assert issue.refs == (("west-2023-h1", "indicators", 2),)


def test_derive_overviews_never_mix_spans(derived: Derived) -> None:
    assert derived.year_overviews and all(o.span != "YTD" for o in derived.year_overviews)
    for overview in derived.year_overviews:
        assert {row.point.period.span for row in overview.rows} == {overview.span}
        assert {row.point.year for row in overview.rows} == {overview.year}
    view = derived.metric_view("industrial-output")
    assert view is not None and {s.park for s in view.series} == {"east", "west"}


def test_derive_plan_overdue_only_after_its_deadline(derived: Derived) -> None:
    # 保立佳: "下半年将全面开工建设" (by 2023H2); no later report confirms it.
    issues = [i for i in derived.quality if i.kind == "plan_overdue"]
    assert [(i.project, i.severity) for i in issues] == [("east-baolijia", "info")]
    assert issues[0].refs == (("east-2023-h1", "project_events", 1),)
    assert "原计划2023年下半年开工建设" in issues[0].message_zh
    before = derive(load_corpus(FIXTURE), as_of=dt.date(2023, 12, 31))
    assert not [i for i in before.quality if i.kind == "plan_overdue"]


def test_derive_plan_overdue_needs_a_park_report_after_the_deadline() -> None:
    corpus = load_corpus(FIXTURE)
    reports = {k: v for k, v in corpus.reports.items() if k != "east-2023-review"}
    without = derive(replace(corpus, reports=reports), as_of=dt.date(2024, 6, 1))
    assert not [i for i in without.quality if i.kind == "plan_overdue"]


def test_derive_reported_shares_are_checked_against_their_figures(derived: Derived) -> None:
    checks = {c.part.park: c for c in derived.shares}
    east = checks["east"]
    assert east.computed.value == pytest.approx(6.65 / 8.2 * 100)
    assert east.computed.rule == "computed_share" and east.disagrees is False
    west = checks["west"]
    assert west.computed.value == pytest.approx(80.0) and west.disagrees is True
    issue = next(i for i in derived.quality if i.kind == "share_disagreement")
    assert issue.park == "west" and "90%" in issue.message_zh and "80.0%" in issue.message_zh


def test_derive_hidden_project_amounts_are_flagged_not_summed(derived: Derived) -> None:
    issue = next(i for i in derived.quality if i.kind == "hidden_value" and i.project == "west-plant")
    assert issue.refs == (("west-2023-h1", "project_events", 0),)
    assert not [t for t in derived.investment_totals if t.year == 2023 and t.park == "west"]
