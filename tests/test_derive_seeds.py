"""Derive on the shipped seed corpus (``content/``): the stories the site tells."""

from __future__ import annotations

from pathlib import Path

import pytest

from parkreport import load_corpus
from parkreport.derive import Derived, derive

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def derived() -> Derived:
    return derive(load_corpus(CONTENT))


def test_derive_seed_puyang_h1_2023_output_with_implied_prior(derived: Derived) -> None:
    summary = derived.park_year("puyang", 2023)
    assert summary is not None
    assert "puyang-2023-h1" in summary.reports
    output = next(f for f in summary.headline if f.metric == "industrial-output")
    point = output.point
    assert output.span == "H1" and point.period.code == "2023H1"
    assert point.observation.value is not None
    assert (point.observation.value.value, point.observation.value.unit) == (96.1, "亿元")
    assert point.reported_yoy_pct == 21.4
    implied = point.implied_prior
    assert implied is not None and implied.rule == "implied_prior"
    assert round(implied.value, 2) == 79.16
    assert implied.period is not None and implied.period.code == "2022H1"
    assert implied.estimate  # the H1 2023 figure is 预计
    assert "based on an estimate" in implied.explanation_en and "预计" in implied.explanation_zh
    assert implied.inputs == (point.observation.ref,)
    assert implied.inputs[0].report == "puyang-2023-h1"
    assert derived.observation(implied.inputs[0]) == point.observation


def test_derive_seed_puyang_never_compares_jan_apr_2022_with_h1_2023(derived: Derived) -> None:
    summary = derived.park_year("puyang", 2023)
    assert summary is not None
    output = next(f for f in summary.headline if f.metric == "industrial-output")
    assert output.point.comparison is None
    assert [p.period.code for p in output.series.points] == ["2023H1"]
    (jan_apr,) = derived.series_of("puyang", "industrial-output", "M1-4")
    assert [p.period.code for p in jan_apr.points] == ["2022M1-4"]
    for comparison in derived.comparisons:
        assert comparison.current.period.span == comparison.previous.period.span


def test_derive_seed_puyang_projects_advance_from_signed_2022(derived: Derived) -> None:
    summary = derived.park_year("puyang", 2023)
    assert summary is not None
    changes = {c.project: c for c in summary.projects_advanced}
    for project in ("puyang-hangmin", "puyang-baolijia"):
        change = changes[project]
        assert change.before is not None and change.before.stage == "signed"
        assert change.before.ref.report == "puyang-2022-m1-4"
        assert change.after.ref.report == "puyang-2023-h1"
    assert changes["puyang-hangmin"].direction == "advanced"
    assert changes["puyang-hangmin"].after.stage == "trial_production"
    assert changes["puyang-hangmin"].after.imminent
    assert changes["puyang-baolijia"].direction == "progress"  # 取得突破性进展: vague
    assert changes["puyang-baolijia"].after.kind == "vague"


def test_derive_seed_puyang_signings(derived: Derived) -> None:
    for year, count, amount in ((2022, 5, 40.6), (2023, 20, 110.3)):
        summary = derived.park_year("puyang", year)
        assert summary is not None and summary.signings_count is not None
        assert summary.signings_count.value == count
        assert [a.value for a in summary.signings_amount] == [amount]


def test_derive_seed_001_redacted_targets_are_unknown_not_zero(derived: Derived) -> None:
    corpus = load_corpus(CONTENT)
    report = corpus.reports["yiqu-siyuan-202x-h1"]
    redacted = [i for i, t in enumerate(report.targets) if t.value in ("redacted", "unknown")]
    assert len(redacted) >= 5
    for index in redacted:
        assessment = derived.target(("yiqu-siyuan-202x-h1", "targets", index))
        assert assessment is not None
        assert assessment.status == "unknown"
        assert assessment.achieved is None and assessment.evidence == ()
    undated = [i for i in derived.quality if i.kind == "undated_report"]
    assert [i.reports for i in undated] == [("yiqu-siyuan-202x-h1",)]


def test_derive_seed_every_derived_number_names_its_inputs(derived: Derived) -> None:
    report_ids = set(load_corpus(CONTENT).reports)
    numbers = [p.implied_prior for s in derived.series for p in s.points if p.implied_prior]
    numbers += [c.computed for c in derived.comparisons]
    numbers += [t.total for t in derived.investment_totals]
    numbers += [t.achieved for t in derived.targets if t.achieved]
    assert numbers
    for number in numbers:
        assert number.inputs and all(ref.report in report_ids for ref in number.inputs)
        assert number.explanation_zh and number.explanation_en
