"""References between reports: a later fact names the target it fulfils."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_load_rejections import REPORT, content, edit, problems  # noqa: F401 - fixture

LATER = "reports/alpha-2023-h1.yaml"
L = f"content/{LATER}"
TARGET = """targets:
  - id: alpha-coatings-done
    what: 涂料项目建成
    kind: qualitative
    project: alpha-coatings
    stage: completed
    quote: 今年共签约涂料项目
project_events:"""


def _later_report(content: Path, fulfils: str, published: str = "2023-07") -> None:
    (content / "sources" / "alpha-2023-h1.txt").write_text("涂料项目上半年建成投产。\n", encoding="utf-8")
    (content / LATER).write_text(
        "id: alpha-2023-h1\nparks: [alpha]\ntitle: 阿尔法工业园区上半年\n"
        f'published: "{published}"\nkind: news\nfacts:\n'
        f"  - kind: event\n    text: 涂料项目建成投产\n    fulfils: {fulfils}\n    quote: 涂料项目上半年建成投产\n",
        encoding="utf-8",
    )


@pytest.fixture
def with_target(content: Path) -> Path:
    edit(content, REPORT, "project_events:", TARGET)
    return content


def test_load_fact_fulfilling_an_earlier_target_is_accepted(with_target: Path) -> None:
    _later_report(with_target, "alpha-coatings-done")
    assert problems(with_target) == []


def test_load_fact_fulfilling_an_unknown_target_is_rejected(with_target: Path) -> None:
    _later_report(with_target, "alpha-coating-done")
    assert problems(with_target) == [
        f"{L}:9:14: facts[0].fulfils: unknown target 'alpha-coating-done' (did you mean 'alpha-coatings-done'?); "
        "declare it in the 'id' of a target in the report that sets it or fix the id"
    ]


def test_load_fact_fulfilling_a_target_of_a_later_report_is_rejected(with_target: Path) -> None:
    _later_report(with_target, "alpha-coatings-done", published="2021-12")
    assert problems(with_target) == [
        f"{L}:9:14: facts[0].fulfils: target 'alpha-coatings-done' is set by 'alpha-2022-m1-4', published 2022-06-13, "
        "after this report (2021-12); a fact can only fulfil an earlier target"
    ]


def test_load_same_month_is_not_too_early(with_target: Path) -> None:
    _later_report(with_target, "alpha-coatings-done", published="2022-06")
    assert problems(with_target) == []


def test_load_fact_fulfilling_a_target_of_its_own_report_is_rejected(with_target: Path) -> None:
    edit(with_target, REPORT, "project_events:\n", "facts:\n  - kind: event\n    text: 建成\n    fulfils: alpha-coatings-done\n"
         "    quote: 今年共签约涂料项目\nproject_events:\n")
    assert problems(with_target) == [
        "content/reports/alpha-2022-m1-4.yaml:34:14: facts[0].fulfils: target 'alpha-coatings-done' is set by this same "
        "report; only a later report can show that it was achieved"
    ]


def test_load_target_ids_are_unique_across_reports(with_target: Path) -> None:
    _later_report(with_target, "alpha-coatings-done")
    text = (with_target / LATER).read_text(encoding="utf-8")
    (with_target / LATER).write_text(text + TARGET.removesuffix("project_events:").replace("今年共签约涂料项目", "涂料项目上半年建成投产"),
                                     encoding="utf-8")
    assert problems(with_target) == [
        f"{L}:12:9: targets[0].id: duplicate target id 'alpha-coatings-done' (also in report 'alpha-2022-m1-4'); "
        "target ids are unique across all reports: rename one of them"
    ]


def test_load_reference_to_a_target_in_a_broken_report_does_not_cascade(with_target: Path) -> None:
    _later_report(with_target, "alpha-coatings-done")
    edit(with_target, REPORT, "kind: news", "kind: newspaper")
    found = problems(with_target)
    assert len(found) == 1 and "kind: expected one of" in found[0]


def test_load_extract_placeholders_say_what_to_do(content: Path) -> None:
    """'unknown-metric' and 'new-project-1' come from a draft: the message says to replace or delete them."""
    edit(content, REPORT, "  - metric: fixed-asset-investment", "  - metric: unknown-metric")
    edit(content, REPORT, "  - project: alpha-coatings", "  - project: new-project-1")
    found = problems(content)
    assert any("indicators[1].metric: 'unknown-metric' is a draft placeholder: replace it with the id of a metric"
               " declared in content/metrics.yaml (declare one if needed), or delete the entry" in p for p in found)
    assert any(".project: 'new-project-1' is a draft placeholder: replace it with the id of a project declared in"
               " the 'projects' of a park file" in p for p in found)
