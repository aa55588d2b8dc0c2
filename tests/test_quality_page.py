"""The data-quality pages group and count issues without making a view of each: the same pages as views of all gave."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from parkreport.corpus import Corpus
from parkreport.derive import Derived, QualityIssue, derive
from parkreport.pages import QualityContext, QualityNavEntry, quality_page
from parkreport.rows import QualityGroup, severity_counts
from parkreport.siteindex import SiteIndex
from parkreport.validate import load_corpus
from parkreport.views import IssueView

EXAMPLE = Path(__file__).resolve().parents[1] / "content"


@cache
def _example() -> tuple[Corpus, Derived]:
    corpus = load_corpus(EXAMPLE)
    return corpus, derive(corpus)


def _groups_of_views(issues: tuple[IssueView, ...]) -> tuple[QualityGroup, ...]:
    """Views grouped by park as the pages grouped them before: parks with errors first, then warnings, then by path."""
    by_park: dict[str, list[IssueView]] = {}
    for issue in issues:
        by_park.setdefault(issue.park.path if issue.park else "", []).append(issue)
    groups = [QualityGroup(found[0].park, tuple(found), severity_counts(found)) for found in by_park.values()]
    groups.sort(key=lambda group: (tuple(-count for _, count in group.counts[:2]), group.park.path if group.park else "~"))
    return tuple(groups)


def _as_made_from_every_view(index: SiteIndex) -> tuple[object, ...]:
    """The first page as it was made before: a view of every issue, grouped, then the first page's groups kept."""
    everything = index.issues(index.derived.quality)
    every_group = _groups_of_views(everything)
    page_of_park = index.page_of_park(("quality",))
    pages = [page_of_park.get(group.issues[0].park.path.split("/")[2] if group.issues[0].park else "", 1)
             for group in every_group]
    nav = tuple(QualityNavEntry(group.park, len(group.issues), "" if page == 1 else f"/quality/page/{page}/")
                for group, page in zip(every_group, pages))
    groups = tuple(group for group, page in zip(every_group, pages) if page == 1)
    return len(everything), severity_counts(everything), nav, groups


def _later_pages_as_made_from_views(index: SiteIndex) -> list[tuple[QualityGroup, ...]]:
    """Each later page's groups as they were made before: views of its parks' issues, sorted, then grouped."""
    pages = index.pages_of(("quality",))[1:]
    return [_groups_of_views(index.issues(index.park_issues(parks))) for parks in pages]


def _later_pages(index: SiteIndex) -> list[tuple[QualityGroup, ...]]:
    groups = []
    for number in range(2, len(index.pages_of(("quality",))) + 1):
        context = quality_page(index, number).context
        assert isinstance(context, QualityContext)
        groups.append(context.groups)
    return groups


def _first_page(index: SiteIndex) -> tuple[object, ...]:
    context = quality_page(index, 1).context
    assert isinstance(context, QualityContext)
    return context.total, context.counts, context.nav, context.groups


_ISSUES = st.lists(st.tuples(
    st.sampled_from(["error", "warning", "info"]),
    st.sampled_from(["yoy_disagreement", "revision", "unit_mismatch"]),
    st.sampled_from([None, "unknown-park", "", *sorted(_example()[0].parks)]),
    st.sampled_from(["甲", "乙", "a", "b"]),
), max_size=25)


@settings(max_examples=60, deadline=None)
@given(_ISSUES, st.integers(min_value=1, max_value=3))
def test_the_quality_pages_are_what_views_of_every_issue_gave(issues: list[tuple[str, str, str | None, str]],
                                                                   parks_per_page: int) -> None:
    corpus, derived = _example()
    quality = tuple(QualityIssue(kind, severity, park, message, message, ())  # type: ignore[arg-type]
                    for severity, kind, park, message in issues)
    index = SiteIndex(corpus, dataclasses.replace(derived, quality=quality), parks_per_page=parks_per_page).prepare()
    assert _first_page(index) == _as_made_from_every_view(index)
    assert _later_pages(index) == _later_pages_as_made_from_views(index)


def test_on_the_example_the_quality_pages_are_what_views_of_every_issue_gave() -> None:
    corpus, derived = _example()
    assert derived.quality
    for parks_per_page in (1, 2, 20):
        index = SiteIndex(corpus, derived, parks_per_page=parks_per_page).prepare()
        assert _first_page(index) == _as_made_from_every_view(index)
        assert _later_pages(index) == _later_pages_as_made_from_views(index)
        assert parks_per_page > 1 or all(_later_pages(index))  # one park a page: every later page shows issues


def test_a_later_page_of_several_parks_lists_them_as_views_of_every_issue_did() -> None:
    corpus, derived = _example()
    parks = sorted(corpus.parks)
    severities = ["info", "warning", "error", "warning"]
    quality = tuple(QualityIssue("revision", severity, park, park, park, ())  # type: ignore[arg-type]
                    for park, severity in zip(parks, severities))
    index = SiteIndex(corpus, dataclasses.replace(derived, quality=quality), parks_per_page=2).prepare()
    later = _later_pages(index)
    assert later and all(len(groups) == 2 for groups in later)
    assert later == _later_pages_as_made_from_views(index)
