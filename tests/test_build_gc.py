"""The build pauses the cyclic garbage collector while it loads, derives and plans, and restores it after."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

import parkreport.build as build_module
from parkreport.build import BuildEvent, build_site
from parkreport.errors import ContentError


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it as it was."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


def _states(mini_content: Path, tmp_path: Path) -> dict[str, tuple[bool, int]]:
    """The collector's state (enabled, frozen objects) at the start of each build stage."""
    seen: dict[str, tuple[bool, int]] = {}

    def note(event: BuildEvent) -> None:
        seen.setdefault(event.stage, (gc.isenabled(), gc.get_freeze_count()))

    build_site(mini_content, tmp_path / "site", search=False, jobs=1, on_event=note)
    return seen


def test_first_stages_run_without_collection_and_rendering_with_the_heap_frozen(
        mini_content: Path, tmp_path: Path, collector_restored: None) -> None:
    gc.enable()
    seen = _states(mini_content, tmp_path)
    assert [seen[stage][0] for stage in ("load", "derive", "plan")] == [False, False, False]
    enabled, frozen = seen["render"]
    assert enabled
    assert frozen > 1000  # the corpus, its summaries and the plan are in the permanent generation


def test_the_collector_is_restored_after_a_build(mini_content: Path, tmp_path: Path, collector_restored: None) -> None:
    gc.enable()
    build_site(mini_content, tmp_path / "site", search=False, jobs=1)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_disabled_collector_stays_disabled(mini_content: Path, tmp_path: Path, collector_restored: None) -> None:
    gc.disable()
    seen = _states(mini_content, tmp_path)
    assert not seen["render"][0]
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_the_collector_is_restored_when_the_build_fails(mini_content: Path, tmp_path: Path,
                                                        collector_restored: None) -> None:
    gc.enable()
    (mini_content / "parks").joinpath("broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build_site(mini_content, tmp_path / "site", search=False, jobs=1)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_objects_frozen_by_the_caller_stay_frozen(mini_content: Path, tmp_path: Path, collector_restored: None) -> None:
    gc.enable()
    gc.freeze()
    before = gc.get_freeze_count()
    seen = _states(mini_content, tmp_path)
    # Nothing of the build's was frozen with the caller's objects, and theirs were not unfrozen (a few of
    # them may die meanwhile: a library the build uses may drop entries of its caches).
    enabled, frozen = seen["render"]
    assert enabled and before - 50 < frozen <= before
    assert before - 50 < gc.get_freeze_count() <= before


def test_a_build_with_nothing_to_do_restores_the_collector(mini_content: Path, tmp_path: Path,
                                                           collector_restored: None) -> None:
    gc.enable()
    build_site(mini_content, tmp_path / "site", search=False, jobs=1)
    seen: list[str] = []
    build_site(mini_content, tmp_path / "site", search=False, jobs=1, on_event=lambda event: seen.append(event.stage))
    assert seen == ["check"]  # nothing changed
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_builds_that_overlap_share_one_pause_and_the_last_to_end_restores_it(collector_restored: None) -> None:
    """Two builds in threads: A begins, B begins, A ends, B ends (the dev server and library users may do this)."""
    gc.enable()
    collector = build_module._Collector()
    first, second = collector.paused(), collector.paused()
    settle_first = first.__enter__()
    settle_second = second.__enter__()
    assert not gc.isenabled()
    settle_first()
    frozen = gc.get_freeze_count()
    assert gc.isenabled() and frozen > 0
    first.__exit__(None, None, None)
    assert gc.get_freeze_count() >= frozen  # B is still rendering from the frozen heap
    settle_second()
    second.__exit__(None, None, None)
    assert gc.isenabled()  # as before A began, not as B found it
    assert gc.get_freeze_count() == 0
