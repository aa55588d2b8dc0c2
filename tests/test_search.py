"""Search indexing (parkreport.search): what Pagefind indexes, reproducibility, failures.

The browser tests (test_search_browser.py) check what a reader finds; these
check the bundle the build writes, without a browser.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import parkreport.search as search_module
from parkreport.build import build_site
from parkreport.errors import BuildError, BuildStopped
from parkreport.search import (
    BINARY_VARIABLE,
    SEARCH_DIR,
    index_site,
    name_endings,
    names_pattern,
    search_names,
    with_name_endings,
)

from .conftest import FIXTURES
from .stand_ins import ended, hanging_pagefind, has_started, set_once_started

SEARCHABLE_KINDS = ("park", "park_year", "year", "metric", "project", "report")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_search_bundle_is_written_with_the_site_in_chinese(example_site: Path) -> None:
    entry = json.loads((example_site / SEARCH_DIR / "pagefind-entry.json").read_text())
    assert "zh-cn" in entry["languages"]  # one index per page language (html lang)
    for asset in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css"):
        assert (example_site / SEARCH_DIR / asset).is_file()


def test_search_indexes_the_content_pages_and_nothing_else(example_site: Path) -> None:
    pages = [p for p in example_site.rglob("index.html") if SEARCH_DIR not in p.parts]
    marked = [p for p in pages if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    entry = json.loads((example_site / SEARCH_DIR / "pagefind-entry.json").read_text())
    assert sum(language["page_count"] for language in entry["languages"].values()) == len(marked)
    assert len(list((example_site / SEARCH_DIR / "fragment").iterdir())) == len(marked)
    marked_urls = {"/" + p.parent.relative_to(example_site).as_posix() + "/" for p in marked}
    for unindexed in ("/", "/projects/", "/reports/", "/quality/", "/methods/", "/search/"):
        assert unindexed.replace("//", "/") not in marked_urls
    for indexed in ("/parks/puyang/", "/projects/puyang-hangmin/", "/metrics/industrial-output/",
                    "/reports/nanle-2021-review/", "/years/2022/", "/parks/puyang/2022/"):
        assert indexed in marked_urls


def test_search_body_excludes_navigation_and_footer(example_site: Path) -> None:
    html = (example_site / "parks/puyang/index.html").read_text(encoding="utf-8")
    body = html[html.index("data-pagefind-body"):html.index("</main>")]
    assert "主导航" not in body and "site-footer" not in body and "site-search" not in body


def test_search_pages_list_aliases_but_not_the_endings_added_for_the_index(example_site: Path) -> None:
    park = (example_site / "parks/puyang/index.html").read_text(encoding="utf-8")
    assert "也称：<span>濮阳工业园区</span>" in park and "Puyang Industrial Park" in park
    assert 'data-pagefind-meta="kind:园区"' in park
    project = (example_site / "projects/puyang-hangmin/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-meta="kind:项目 · 濮阳工业园区"' in project
    metric = (example_site / "metrics/industrial-output/index.html").read_text(encoding="utf-8")
    assert "总产值 产值" not in metric, "endings go to the index only, never to the published page"


def test_search_names_are_the_chinese_names_of_parks_projects_and_metrics() -> None:
    from parkreport.validate import load_corpus

    from .conftest import ROOT

    names = search_names(load_corpus(ROOT / "content"))
    assert {"濮阳工业园区", "规上工业总产值", "规模以上工业总产值", "一区四园"} <= set(names)
    assert "航民" not in names  # two characters: no ending worth adding
    assert all(re.fullmatch(r"[\u3400-\u9fff]{3,}", name) for name in names)
    assert list(names) == sorted(set(names))


def test_search_endings_region_is_added_to_indexed_pages_that_mention_a_name() -> None:
    pattern = names_pattern(["工业总产值", "规上工业总产值"])
    page = '<html><body><main data-pagefind-body><p>全区规上工业总产值增长</p></main></body></html>'
    indexed = with_name_endings(page, pattern)
    region = re.search(r'<div data-pagefind-body data-pagefind-weight="[\d.]+">(.*?)</div></body>', indexed)
    assert region is not None
    assert region.group(1).split() == ["上工业总产值", "工业总产值", "业总产值", "总产值", "产值"]
    unmarked = "<html><body><main><p>规上工业总产值</p></main></body></html>"
    assert with_name_endings(unmarked, pattern) == unmarked, "a page without data-pagefind-body stays unindexed"
    silent = '<html><body><main data-pagefind-body><p>营业收入</p></main></body></html>'
    assert with_name_endings(silent, pattern) == silent
    assert with_name_endings(page, names_pattern([])) == page


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4E3F), min_size=3, max_size=12), st.data())
def test_search_every_part_of_a_name_begins_the_name_or_one_of_its_endings(name: str, data: st.DataObject) -> None:
    # Parts of two or more characters; a lone last character gets no ending of its own,
    # which would make that one character a word on every page that mentions the name.
    start = data.draw(st.integers(0, len(name) - 2))
    end = data.draw(st.integers(start + 2, len(name)))
    part = name[start:end]
    assert any(word.startswith(part) for word in [name, *name_endings(name)]), part


def test_search_uses_no_filters_which_pagefind_writes_in_random_order(example_site: Path) -> None:
    assert not (example_site / SEARCH_DIR / "filter").exists()
    for page in example_site.rglob("*.html"):
        assert "data-pagefind-filter" not in page.read_text(encoding="utf-8"), page


def test_search_build_reports_indexing_time_separately(tmp_path: Path) -> None:
    result = build_site(FIXTURES / "mini", tmp_path / "site")
    assert result.search is not None
    assert result.search.pages > 0 and result.search.seconds > 0
    assert "search" in result.timings and result.timings["search"] > 0
    assert set(result.search.files) <= set(_tree(tmp_path / "site"))


def test_search_can_be_turned_off(tmp_path: Path) -> None:
    result = build_site(FIXTURES / "mini", tmp_path / "site", search=False)
    assert result.search is None and "search" not in result.timings
    assert not (tmp_path / "site" / SEARCH_DIR).exists()


def test_search_index_is_byte_identical_across_builds(tmp_path: Path) -> None:
    first = build_site(FIXTURES / "mini", tmp_path / "one")
    second = build_site(FIXTURES / "mini", tmp_path / "two")
    assert first.search is not None and second.search is not None
    assert first.search.files == second.search.files
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_search_index_of_the_example_is_reproducible(example_site: Path, tmp_path: Path) -> None:
    from .conftest import ROOT

    build_site(ROOT / "content", tmp_path / "again", templates_dir=ROOT / "templates")
    ours, again = _tree(example_site / SEARCH_DIR), _tree(tmp_path / "again" / SEARCH_DIR)
    assert sorted(ours) == sorted(again)
    assert [name for name in ours if ours[name] != again[name]] == []


def test_search_a_missing_binary_fails_the_build_and_keeps_the_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    build_site(FIXTURES / "mini", site, search=False)
    before = _tree(site)
    monkeypatch.setenv(BINARY_VARIABLE, str(tmp_path / "no-such-pagefind"))
    with pytest.raises(BuildError, match=BINARY_VARIABLE):
        build_site(FIXTURES / "mini", site)
    assert _tree(site) == before


def test_search_a_failing_binary_is_a_build_error_with_its_output(tmp_path: Path) -> None:
    fake = tmp_path / "pagefind_extended"
    fake.write_text("#!/bin/sh\necho 'cannot index: disk full' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(BuildError, match="exited with 3") as failure:
        index_site({"index.html": b"<html lang='zh-CN'><body><main data-pagefind-body>x</main></body></html>"}, binary=fake)
    assert "cannot index: disk full" in failure.value.details


@pytest.mark.parametrize("script", ["#!/bin/sh\n", "#!/no/such/interpreter\n"], ids=["not executable", "cannot start"])
def test_search_a_binary_that_cannot_be_run_is_named_with_the_install_hint(tmp_path: Path, script: str) -> None:
    binary = tmp_path / "pagefind_extended"
    binary.write_text(script)
    binary.chmod(0o755 if "no/such" in script else 0o644)
    with pytest.raises(BuildError, match="could not be run; install it with"):
        index_site({"index.html": b"<html lang='zh-CN'><body><main data-pagefind-body>x</main></body></html>"}, binary=binary)


def test_search_indexing_gives_up_when_stopped_and_ends_pagefind(tmp_path: Path, temp: Path) -> None:
    """The dev server stopping ends a Pagefind run at once, not when it is done; its copy of the pages goes too."""
    binary, started = hanging_pagefind(tmp_path)
    stop = threading.Event()
    watcher = set_once_started(started, stop)
    began = time.monotonic()
    with pytest.raises(BuildStopped, match="the build was stopped"):
        index_site({"index.html": b"<html lang='zh-CN'><body><main data-pagefind-body>x</main></body></html>"},
                   binary=binary, stop=stop)
    watcher.join()
    assert time.monotonic() - began < 10  # the stand-in sleeps for 60 s
    assert ended(int(started.read_text()))
    assert list(temp.iterdir()) == []


def test_search_indexing_that_overruns_its_time_is_ended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary, started = hanging_pagefind(tmp_path)
    monkeypatch.setattr(search_module, "TIMEOUT_SECONDS", 2)
    began = time.monotonic()
    with pytest.raises(BuildError, match="took longer than 2s"):
        index_site({"index.html": b"<html lang='zh-CN'><body><main data-pagefind-body>x</main></body></html>"},
                   binary=binary)
    assert time.monotonic() - began < 30  # the stand-in sleeps for 60 s
    assert not started.exists() or ended(int(started.read_text()))  # on a slow machine it may not have begun


class _InterruptedOnceStarted(threading.Event):
    """A stop that is never set, but whose look raises KeyboardInterrupt once Pagefind runs: Ctrl-C during the wait."""

    def __init__(self, started: Path) -> None:
        super().__init__()
        self.started = started

    def is_set(self) -> bool:
        if has_started(self.started):
            raise KeyboardInterrupt
        return False


def test_search_pagefind_ends_whatever_ends_the_wait_for_it(tmp_path: Path) -> None:
    """An exception while waiting (Ctrl-C; a signal the dev server turns into one) ends Pagefind, as subprocess.run does."""
    binary, started = hanging_pagefind(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        index_site({"index.html": b"<html lang='zh-CN'><body><main data-pagefind-body>x</main></body></html>"},
                   binary=binary, stop=_InterruptedOnceStarted(started))
    assert ended(int(started.read_text()))


class _SetFromSecondLook(threading.Event):
    def __init__(self) -> None:
        super().__init__()
        self.looks = 0

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks > 1


def test_search_pagefind_ended_by_ctrl_c_itself_reads_as_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C reaches Pagefind too: when it fails on its own while the build is stopping, the build was stopped, not broken."""
    failing = tmp_path / "pagefind_extended"
    failing.write_text("#!/bin/sh\nexit 130\n")
    failing.chmod(0o755)
    monkeypatch.setattr(search_module, "STOP_POLL_SECONDS", 60)  # its end is seen before any look at the stop
    stop = _SetFromSecondLook()  # the copy of the one page looks first
    with pytest.raises(BuildStopped):
        index_site({"index.html": b"<html lang='zh-CN'><body><main data-pagefind-body>x</main></body></html>"},
                   binary=failing, stop=stop)
    assert stop.looks == 2


def test_search_a_stop_before_indexing_starts_no_pagefind(tmp_path: Path, temp: Path, monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    runs: list[object] = []
    monkeypatch.setattr(search_module, "_finished", lambda *args: runs.append(args))
    binary, _ = hanging_pagefind(tmp_path)
    stop = threading.Event()
    stop.set()
    with pytest.raises(BuildStopped):
        index_site({"index.html": b"<html><body>x</body></html>"}, binary=binary, stop=stop)
    assert runs == [] and list(temp.iterdir()) == []


def test_search_cli_build_reports_the_index_and_no_search_skips_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from parkreport.cli import main

    args = ["build", "--content", str(FIXTURES / "mini"), "--templates", str(tmp_path / "none")]
    indexed = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "a")])
    assert indexed.exit_code == 0, indexed.output
    assert re.search(r"search index: \d+ pages in \d+\.\d\ds", indexed.output)
    skipped = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "b"), "--no-search"])
    assert skipped.exit_code == 0, skipped.output
    assert "search index" not in skipped.output and not (tmp_path / "b" / SEARCH_DIR).exists()
    assert "--no-search" in CliRunner().invoke(main, ["build", "--help"]).output
