"""The first data-quality page counts every issue of the site without making a view of each."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from parkreport.corpus import Corpus
from parkreport.derive import Derived, QualityIssue, derive
from parkreport.pages import QualityContext, QualityNavEntry, _quality_groups, quality_page
from parkreport.rows import severity_counts
from parkreport.siteindex import SiteIndex
from parkreport.validate import load_corpus

EXAMPLE = Path(__file__).resolve().parents[1] / "content"


@cache
def _example() -> tuple[Corpus, Derived]:
    corpus = load_corpus(EXAMPLE)
    return corpus, derive(corpus)


def _as_made_from_every_view(index: SiteIndex) -> tuple[object, ...]:
    """The first page as it was made before: a view of every issue, grouped, then the first page's groups kept."""
    everything = index.issues(index.derived.quality)
    every_group = _quality_groups(everything)
    page_of_park = index.page_of_park(("quality",))
    pages = [page_of_park.get(group.issues[0].park.path.split("/")[2] if group.issues[0].park else "", 1)
             for group in every_group]
    nav = tuple(QualityNavEntry(group.park, len(group.issues), "" if page == 1 else f"/quality/page/{page}/")
                for group, page in zip(every_group, pages))
    groups = tuple(group for group, page in zip(every_group, pages) if page == 1)
    return len(everything), severity_counts(everything), nav, groups


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
def test_the_first_quality_page_is_what_a_view_of_every_issue_gave(issues: list[tuple[str, str, str | None, str]],
                                                                   parks_per_page: int) -> None:
    corpus, derived = _example()
    quality = tuple(QualityIssue(kind, severity, park, message, message, ())  # type: ignore[arg-type]
                    for severity, kind, park, message in issues)
    index = SiteIndex(corpus, dataclasses.replace(derived, quality=quality), parks_per_page=parks_per_page).prepare()
    assert _first_page(index) == _as_made_from_every_view(index)


def test_on_the_example_the_first_quality_page_is_what_a_view_of_every_issue_gave() -> None:
    corpus, derived = _example()
    assert derived.quality
    for parks_per_page in (1, 2, 20):
        index = SiteIndex(corpus, derived, parks_per_page=parks_per_page).prepare()
        assert _first_page(index) == _as_made_from_every_view(index)
