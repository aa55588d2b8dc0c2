"""The parsed-content cache: the same corpus and the same problems as a fresh load, faster."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkreport import contentcache
from parkreport.contentcache import MAGIC, ContentCache
from parkreport.errors import ContentError
from parkreport.load import load_raw
from parkreport.validate import check_raw, load_corpus

REPORT = "reports/alpha-2022-m1-4.yaml"


def _problems(root: Path, cache_dir: Path | None) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load_corpus(root, cache_dir)
    return [problem.format() for problem in raised.value.problems]


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*.pack"))


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_contentcache_warm_load_equals_fresh_load(mini_content: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    fresh = load_corpus(mini_content)
    assert load_corpus(mini_content, cache_dir) == fresh
    assert _entries(cache_dir)  # written
    assert load_corpus(mini_content, cache_dir) == fresh


def test_contentcache_warm_load_parses_nothing(mini_content: Path, tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "cache")
    check_raw(load_raw(mini_content, cache))
    first_misses = cache.misses
    cache.hits = cache.misses = 0
    check_raw(load_raw(mini_content, cache))
    assert first_misses > 0 and cache.misses == 0 and cache.hits == first_misses


def test_contentcache_edit_reparses_only_the_changed_file(mini_content: Path, tmp_path: Path) -> None:
    cache = ContentCache(tmp_path / "cache")
    check_raw(load_raw(mini_content, cache))
    _edit(mini_content, REPORT, "title:", "title: 改")
    cache.hits = cache.misses = 0
    corpus, problems = check_raw(load_raw(mini_content, cache))
    assert problems == [] and corpus is not None
    assert cache.misses == 2  # the report's parse, and its quotes against the unchanged source
    assert corpus.reports["alpha-2022-m1-4"].title.startswith("改")
    assert corpus == load_corpus(mini_content)


def test_contentcache_problems_are_identical_to_a_fresh_parse(mini_content: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    load_corpus(mini_content, cache_dir)  # the last good load's cache
    _edit(mini_content, REPORT, "value: 65.18", "value: 65.18亿元")  # a bad entry: partial file
    _edit(mini_content, REPORT, "quote: 固定资产投资完成8.2亿元", "quote: 固定资产投资完成9.2亿元")  # a quote missing
    (mini_content / "parks" / "beta.yaml").write_text("id: beta\nname: [\n", encoding="utf-8")  # a syntax error
    fresh = _problems(mini_content, None)
    assert len(fresh) == 3
    assert _problems(mini_content, cache_dir) == fresh
    assert _problems(mini_content, cache_dir) == fresh


def test_contentcache_refused_content_writes_no_cache(mini_content: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    _edit(mini_content, REPORT, "quote: 固定资产投资完成8.2亿元", "quote: 固定资产投资完成9.2亿元")
    _problems(mini_content, cache_dir)
    assert not cache_dir.exists()
    _edit(mini_content, REPORT, "quote: 固定资产投资完成9.2亿元", "quote: 固定资产投资完成8.2亿元")
    good = load_corpus(mini_content, cache_dir)
    packs = {path: path.read_bytes() for path in _entries(cache_dir)}
    assert packs
    _edit(mini_content, REPORT, "title:", "title: 改")
    (mini_content / "parks" / "beta.yaml").write_text("id: beta\nname: [\n", encoding="utf-8")
    _problems(mini_content, cache_dir)
    assert {path: path.read_bytes() for path in _entries(cache_dir)} == packs  # the last good load's cache stays
    assert good.reports


def test_contentcache_problems_name_the_file_as_the_current_load_does(mini_content: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    _edit(mini_content, REPORT, "value: 65.18", "value: [65.18]")
    first = _problems(mini_content, cache_dir)
    monkeypatch.chdir(mini_content)
    second = _problems(Path("."), cache_dir)
    assert second == [line.replace(f"{mini_content.as_posix()}/", "") for line in first]
    assert second[0].startswith(f"{REPORT}:")


def _damage(entry: Path, how: str, other: Path) -> None:
    blob = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    elif how == "flipped":
        entry.write_bytes(blob[:-1] + bytes([blob[-1] ^ 0xFF]))
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "foreign":
        entry.write_bytes(other.read_bytes())  # a valid entry, stored under another key
    elif how == "not-a-pickle":
        import hashlib

        payload = b"\x80\x05garbage"
        entry.write_bytes(MAGIC + hashlib.sha256(payload).digest() + payload)
    elif how == "wrong-shape":
        import hashlib

        payload = pickle.dumps(("some key", "some value"))
        entry.write_bytes(MAGIC + hashlib.sha256(payload).digest() + payload)
    else:
        entry.write_bytes(b"random bytes, not a cache entry")


@pytest.mark.parametrize("how", ["truncated", "flipped", "empty", "foreign", "not-a-pickle", "wrong-shape", "junk"])
def test_contentcache_damaged_entries_are_ignored(mini_content: Path, tmp_path: Path, how: str) -> None:
    cache_dir = tmp_path / "cache"
    good = load_corpus(mini_content, cache_dir)
    entries = _entries(cache_dir)
    assert entries
    for number, entry in enumerate(entries):
        _damage(entry, how, entries[(number + 1) % len(entries)])
    _edit(mini_content, REPORT, "quote: 固定资产投资完成8.2亿元", "quote: 固定资产投资完成9.2亿元")
    assert _problems(mini_content, cache_dir) == _problems(mini_content, None)
    _edit(mini_content, REPORT, "quote: 固定资产投资完成9.2亿元", "quote: 固定资产投资完成8.2亿元")
    assert load_corpus(mini_content, cache_dir) == good  # damaged packs ignored, then rewritten
    cache = ContentCache(cache_dir)
    check_raw(load_raw(mini_content, cache))
    assert cache.misses == 0 and cache.hits > 0


def test_contentcache_entries_of_another_version_are_not_used(mini_content: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ContentCache(tmp_path / "cache")
    check_raw(load_raw(mini_content, cache))
    monkeypatch.setattr(contentcache, "code_fingerprint", lambda: "another version")
    cache.hits = cache.misses = 0
    check_raw(load_raw(mini_content, cache))
    assert cache.hits == 0 and cache.misses > 0


def test_contentcache_unwritable_cache_is_skipped(mini_content: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert load_corpus(mini_content, blocker / "cache") == load_corpus(mini_content)


_EDITS = [
    ("title:", "title: 改"),
    ("value: 65.18", "value: 65.18亿元"),
    ("value: 65.18", "value: 66"),
    ("quote: 固定资产投资完成8.2亿元", "quote: 固定资产投资完成9.2亿元"),
    ("project: alpha-coatings", "project: alpha-coating"),
    ("indicators:", "indicators: ["),
]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(range(len(_EDITS))), min_size=1, max_size=5))
def test_contentcache_random_edits_load_as_fresh(mini_content: Path, tmp_path_factory: pytest.TempPathFactory,
                                                 edits: list[int]) -> None:
    """After each of a series of edits, a load through the cache gives what a fresh load gives."""
    root = tmp_path_factory.mktemp("content")
    import shutil

    shutil.copytree(mini_content, root, dirs_exist_ok=True)
    cache = ContentCache(tmp_path_factory.mktemp("cache"))
    for number in edits:
        old, new = _EDITS[number]
        path = root / REPORT
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        cached, cached_problems = check_raw(load_raw(root, cache))
        fresh, fresh_problems = check_raw(load_raw(root))
        assert cached == fresh
        assert cached_problems == fresh_problems
