"""The incremental cache keeps each page's link scan, and stamps the published tree file by file."""

from __future__ import annotations

import os
import pickle
from collections import namedtuple
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import parkreport.cache as cache_module
from parkreport.cache import (
    CACHE_DIR,
    PAGES_MAGIC,
    RECORD_MAGIC,
    SCANS_MAGIC,
    BuildCache,
    added_scans_file,
    cache_file,
    load_cache,
    load_pages,
    load_scan_files,
    load_scans,
    output_stamps,
    outputs_intact,
    pages_file,
    save_cache,
    save_scans,
    scans_file,
    shared_scan,
)
from parkreport.contentcache import read_sealed, write_sealed
from parkreport.links import LinkChecker, PageScan, scan_html

EXAMPLE = Path(__file__).parent.parent / "content"
PAGE = b'<a href="/a/">a</a><p id="x"></p><a href="/b/#y">b</a><p id="x"></p>'


def test_cache_scans_round_trip_and_belong_to_their_build_key(tmp_path: Path) -> None:
    site = tmp_path / "site"
    scans = {"sha1": scan_html(PAGE), "sha2": ((), ("/a/",), ())}
    save_scans(site, "key", scans)
    assert load_scans(site, "key") == scans
    assert load_scans(site, "other key") == {}
    assert load_scans(tmp_path / "never-built", "key") == {}


def test_cache_scans_hold_a_link_many_pages_share_once(tmp_path: Path) -> None:
    """Every page repeats the navigation: the file grows with the pages' own strings, not with each copy."""
    site = tmp_path / "site"
    navigation = [f"/parks/park-{number:04d}/" for number in range(200)]
    pages = {f"sha{number}": shared_scan(((f"own-{number}",), tuple("".join(link) for link in navigation), ()))
             for number in range(500)}
    save_scans(site, "key", pages)
    assert load_scans(site, "key") == pages
    size = scans_file(site).stat().st_size
    assert size < len(pickle.dumps(navigation)) + 500 * 600  # unshared, the links alone would take 500 × 4,000 bytes
    loaded = load_scans(site, "key")
    assert loaded["sha1"][1][7] is loaded["sha2"][1][7]


def test_cache_sealed_files_refuse_damage(tmp_path: Path) -> None:
    path = tmp_path / "sealed"
    write_sealed(path, b"magic\n", {"link": "/parks/alpha/"})
    assert read_sealed(path, b"magic\n") == {"link": "/parks/alpha/"}
    with pytest.raises(ValueError):
        read_sealed(path, b"other\n")
    data = path.read_bytes()
    path.write_bytes(data.replace(b"/parks/alpha/", b"/parks/alphA/"))  # still a pickle, not the one sealed
    assert pickle.loads(path.read_bytes()[len(b"magic\n") + 32:]) == {"link": "/parks/alphA/"}
    with pytest.raises(ValueError):
        read_sealed(path, b"magic\n")
    path.write_bytes(data[:-3])
    with pytest.raises(ValueError):
        read_sealed(path, b"magic\n")
    with pytest.raises(FileNotFoundError):
        read_sealed(tmp_path / "none", b"magic\n")


def test_cache_files_of_the_old_format_are_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    legacy = [tmp_path / CACHE_DIR / f"site{suffix}" for suffix in (".json", ".pages.json", ".scans.json")]
    legacy[0].parent.mkdir()
    for path in legacy:
        path.write_text("{}", encoding="utf-8")
    save_cache(site, BuildCache("key"))
    assert [path for path in legacy if path.exists()] == []


def test_cache_is_saved_when_the_old_format_cannot_be_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / CACHE_DIR / "site.scans.json").mkdir(parents=True)
    (tmp_path / CACHE_DIR / "site.scans.json" / "x").write_text("x")
    save_scans(site, "key", {"sha": ((), ("/a/",), ())})
    save_cache(site, BuildCache("key", outputs={"index.html": (1, 2)}))
    assert load_scans(site, "key") == {"sha": ((), ("/a/",), ())}
    assert load_cache(site, "key") == BuildCache("key", outputs={"index.html": (1, 2)})


def test_cache_a_folder_where_the_scans_go_is_replaced(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (scans_file(site) / "inside").mkdir(parents=True)
    save_scans(site, "key", {"sha": ((), ("/a/",), ())})
    assert scans_file(site).is_file() and load_scans(site, "key") == {"sha": ((), ("/a/",), ())}


def test_cache_a_scan_checks_links_as_the_page_does() -> None:
    from_bytes, from_scan = LinkChecker(), LinkChecker()
    for checker in (from_bytes, from_scan):
        checker.add("b/index.html", b'<p id="z"></p>')
    from_bytes.add("index.html", PAGE)
    from_scan.add_scan("index.html", scan_html(PAGE))
    assert from_bytes.check() == from_scan.check()
    assert len(from_scan.check()) == 3  # /a/ missing, #y missing, id x twice


def test_cache_output_stamps_notice_a_deleted_or_rewritten_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a" / "b").mkdir(parents=True)
    (site / "index.html").write_bytes(b"home")
    (site / "a" / "b" / "index.html").write_bytes(b"page")
    before = output_stamps(site)
    assert set(before) == {"index.html", "a/b/index.html"}
    assert output_stamps(site) == before
    page = site / "a" / "b" / "index.html"
    page.write_bytes(b"PAGE")
    os.utime(page, ns=(before["a/b/index.html"][1] + 1_000, before["a/b/index.html"][1] + 1_000))
    assert output_stamps(site) != before
    page.unlink()
    assert set(output_stamps(site)) == {"index.html"}


def test_cache_compiled_templates_are_kept_per_build_key(tmp_path: Path) -> None:
    from parkreport.build import build_site
    from parkreport.cache import CACHE_DIR

    content = Path(__file__).parent / "fixtures" / "mini"
    build_site(content, tmp_path / "site", search=False, jobs=1)
    folders = sorted((tmp_path / CACHE_DIR).glob("site.jinja-*"))
    assert len(folders) == 1 and any(folders[0].iterdir())
    clean = build_site(content, tmp_path / "other", search=False, jobs=1, incremental=False)
    assert clean.pages > 0 and not list((tmp_path / CACHE_DIR).glob("other.jinja-*"))
    build_site(content, tmp_path / "site", base_url="/sub/", search=False, jobs=1)  # another key: the old folder goes
    assert [folder.name for folder in (tmp_path / CACHE_DIR).glob("site.jinja-*")] != [folders[0].name]
    assert len(list((tmp_path / CACHE_DIR).glob("site.jinja-*"))) == 1


def test_cache_compiled_templates_give_each_edition_its_own_language(tmp_path: Path) -> None:
    """Jinja folds constant filters while compiling: an edition must never load another's compiled template."""
    import shutil

    from parkreport.build import build_site

    content = Path(__file__).parent / "fixtures" / "mini"
    build_site(content, tmp_path / "clean", search=False, jobs=1, incremental=False)
    for _ in range(2):  # the second build loads every template from the bytecode the first one kept
        shutil.rmtree(tmp_path / "site", ignore_errors=True)
        build_site(content, tmp_path / "site", search=False, jobs=1)
        for page in (tmp_path / "clean").rglob("*.html"):
            assert (tmp_path / "site" / page.relative_to(tmp_path / "clean")).read_bytes() == page.read_bytes(), page


def test_cache_outputs_intact_notices_a_rewritten_deleted_or_replaced_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_bytes(b"home")
    (site / "a" / "index.html").write_bytes(b"page")
    published = output_stamps(site)
    assert outputs_intact(site, published)
    page = site / "a" / "index.html"
    page.write_bytes(b"PAGE")  # same size
    os.utime(page, ns=(published["a/index.html"][1] + 1_000, published["a/index.html"][1] + 1_000))
    assert not outputs_intact(site, published)
    page.unlink()
    assert not outputs_intact(site, published)
    page.mkdir()
    assert not outputs_intact(site, published)


@pytest.mark.parametrize("threaded_from", [1, 10_000])
def test_cache_outputs_intact_notices_a_change_in_either_half_of_a_large_site(tmp_path: Path, threaded_from: int,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked in two halves on two threads (as a site of thousands of files is), or on one: a change anywhere counts."""
    monkeypatch.setattr(cache_module, "THREADED_CHECK_FROM", threaded_from)
    site = tmp_path / "site"
    site.mkdir()
    for number in range(20):
        (site / f"{number:02d}.html").write_bytes(b"page")
    published = output_stamps(site)
    assert outputs_intact(site, published)
    for changed in ("00.html", "09.html", "10.html", "19.html"):  # the first and last of each half
        resized = {name: (5, mtime) if name == changed else (size, mtime) for name, (size, mtime) in published.items()}
        assert not outputs_intact(site, resized), changed
        (site / changed).rename(site / "moved")
        assert not outputs_intact(site, published), changed
        (site / "moved").rename(site / changed)
    assert outputs_intact(site, published)


def test_cache_outputs_intact_takes_a_damaged_record_for_a_changed_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_bytes(b"home")
    published = output_stamps(site)
    for damaged in ("a\0b", "\udcff.html"):
        assert not outputs_intact(site, {**published, damaged: (1, 1)})



def test_the_scans_of_a_build_share_each_link_string_across_worker_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scans come from the render processes in batches, each pickled with its own copies of the links
    every page repeats; the checker and the cache hold one string per distinct link, and the same scan."""
    import parkreport.build as build_module

    checked: dict[str, PageScan] = {}
    recorded: dict[str, PageScan] = {}
    add_scan, record = LinkChecker.add_scan, cache_module.Incremental.record

    def checking(self: LinkChecker, path: str, scan: PageScan | None) -> None:
        if scan is not None:
            checked[path] = scan
        add_scan(self, path, scan)

    def recording(self: cache_module.Incremental, output_file: str, digest: str | None, output_sha: str,
                  scan: PageScan | None = None, scope: str | None = None) -> None:
        if scan is not None:
            recorded[output_file] = scan
        record(self, output_file, digest, output_sha, scan, scope)

    monkeypatch.setattr(LinkChecker, "add_scan", checking)
    monkeypatch.setattr(cache_module.Incremental, "record", recording)
    build_module.build_site(EXAMPLE, tmp_path / "site", search=False, jobs=2)
    links = [link for _, page_links, _ in checked.values() for link in page_links]
    search = [link for link in links if link == "/search/"]  # in every page's navigation
    assert len(search) > 100
    assert len({id(link) for link in search}) == 1
    assert len({id(link) for link in links}) == len(set(links))
    assert recorded and all(recorded[path] is checked[path] for path in recorded)


@pytest.mark.parametrize("library", ["jinja2", "markupsafe", "markdown", "nh3", "opencc", "selectolax"])
def test_another_version_of_a_library_pages_are_made_with_is_another_build(library: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages (and the scans the cache keeps of them) made with one version of Jinja, Markdown, the HTML parser, ...
    are not kept by a build with another."""
    import importlib.metadata

    from parkreport.cache import _library_versions, build_key

    before = build_key(["options"], [])
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.0.0" if name == library else real(name))
    _library_versions.cache_clear()  # versions are read once a process: as if in a new one
    try:
        assert build_key(["options"], []) != before
    finally:
        _library_versions.cache_clear()


def _scans(numbers: range | list[int]) -> dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    return {f"sha{number}": ((f"id-{number}",), ("/", f"/parks/p{number}/"), ()) for number in numbers}


def _added_pages(site: Path) -> dict[str, object]:
    pages = read_sealed(added_scans_file(site), SCANS_MAGIC)["pages"]
    assert isinstance(pages, dict)
    return pages


def test_cache_an_edit_adds_its_scans_and_leaves_the_whole_file_as_it_was(tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = _scans(range(1000))
    save_scans(site, "key", first, load_scan_files(site, "key"))  # nothing loaded: the whole file
    assert load_scan_files(site, "key") == cache_module.LoadedScans(first) and not added_scans_file(site).exists()
    whole = scans_file(site).read_bytes()

    second = {**_scans([n for n in range(1000) if n not in (3, 4, 5)]), **_scans(range(2000, 2005))}
    save_scans(site, "key", second, load_scan_files(site, "key"))
    assert scans_file(site).read_bytes() == whole
    assert _added_pages(site) == _scans(range(2000, 2005))
    loaded = load_scan_files(site, "key")
    assert loaded.added == set(_scans(range(2000, 2005)))
    assert {sha: loaded.pages[sha] for sha in second} == second  # and the three unused ones, which are still true
    assert set(loaded.pages) - set(second) == {"sha3", "sha4", "sha5"}

    third = {sha: scan for sha, scan in second.items() if sha != "sha2000"} | _scans([3000])
    save_scans(site, "key", third, loaded)
    assert scans_file(site).read_bytes() == whole
    assert _added_pages(site) == _scans([2001, 2002, 2003, 2004, 3000])  # the added still used, and the new
    assert {sha: scan for sha, scan in load_scans(site, "key").items() if sha in third} == third


def test_cache_scans_are_written_whole_again_once_the_added_and_unused_outweigh_a_share(tmp_path: Path) -> None:
    site = tmp_path / "site"
    save_scans(site, "key", _scans(range(4000)))
    share = max(cache_module._ADDED_FLOOR, 4000 // cache_module._ADDED_SHARE)  # 500
    within = _scans(range(share // 2, 4000 + share // 2))  # share/2 unused, share/2 added
    save_scans(site, "key", within, load_scan_files(site, "key"))
    assert added_scans_file(site).exists()
    beyond = _scans(range(share // 2 + 1, 4000 + share // 2 + 1))  # one more of each
    save_scans(site, "key", beyond, load_scan_files(site, "key"))
    assert not added_scans_file(site).exists()
    assert load_scan_files(site, "key") == cache_module.LoadedScans(beyond)


def test_cache_added_scans_count_only_with_a_whole_file_of_the_same_build_key(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_sealed(added_scans_file(site), SCANS_MAGIC, {"schema": cache_module.SCHEMA, "key": "key", "pages": _scans([1])})
    assert load_scans(site, "key") == {}  # no whole file: nothing
    save_scans(site, "key", _scans([2]))
    write_sealed(added_scans_file(site), SCANS_MAGIC, {"schema": cache_module.SCHEMA, "key": "other", "pages": _scans([1])})
    assert load_scans(site, "key") == _scans([2])
    added_scans_file(site).write_bytes(b"garbage")
    assert load_scans(site, "key") == _scans([2])


class _Name(str):
    pass


class _Table(dict):  # type: ignore[type-arg]
    pass


_Row = namedtuple("_Row", "size mtime")

# Shapes the record must not be used with: each a value of a subtly wrong type.
_RECORD_SHAPES: dict[str, Callable[[dict[str, Any]], None]] = {
    "bool for a size": lambda data: data["outputs"].__setitem__("index.html", (True, 2)),
    "a named tuple row": lambda data: data["outputs"].__setitem__("index.html", _Row(1, 2)),
    "a key of a str subclass": lambda data: data.__setitem__("outputs", {_Name("index.html"): (1, 2)}),
    "a table of a dict subclass": lambda data: data.__setitem__("outputs", _Table({"index.html": (1, 2)})),
    "a hash as bytes": lambda data: data["inputs"].__setitem__("content/a.yaml", (1, 2, b"h")),
    "a float time": lambda data: data["inputs"].__setitem__("content/a.yaml", (1, 2.0, "h")),
    "a count as text": lambda data: data["pages_by_kind"].__setitem__("home", "1"),
    "written_ns a float": lambda data: data.__setitem__("written_ns", 5.0),
    "no outputs": lambda data: data.pop("outputs"),
}


@pytest.mark.parametrize("reshape", list(_RECORD_SHAPES.values()), ids=list(_RECORD_SHAPES))
def test_cache_record_of_another_shape_is_not_used(tmp_path: Path, reshape: Callable[[dict[str, Any]], None]) -> None:
    site = tmp_path / "site"
    site.mkdir()
    record = BuildCache("key", inputs={"content/a.yaml": (1, 2, "h")}, outputs={"index.html": (1, 2)},
                        pages_by_kind={"home": 1}, written_ns=5)
    save_cache(site, record)
    assert load_cache(site, "key") == record
    data = read_sealed(cache_file(site), RECORD_MAGIC)
    reshape(data)
    write_sealed(cache_file(site), RECORD_MAGIC, data)
    assert load_cache(site, "key") is None


@pytest.mark.parametrize("row", [("d", "s"), ("d", "s", 3), ["d", "s", None], ("d", b"s", None), _Row("d", "s")],
                         ids=["short", "an int scope", "a list", "bytes", "a named tuple"])
def test_cache_pages_of_another_shape_are_not_used(tmp_path: Path, row: object) -> None:
    site = tmp_path / "site"
    site.mkdir()
    record = BuildCache("key", pages={"index.html": ("d", "s", None), "a/index.html": ("d", "s", "scope")}, written_ns=5)
    save_cache(site, record)
    assert load_pages(site, record) == record.pages
    data = read_sealed(pages_file(site), PAGES_MAGIC)
    data["pages"]["index.html"] = row
    write_sealed(pages_file(site), PAGES_MAGIC, data)
    assert load_pages(site, record) == {}
