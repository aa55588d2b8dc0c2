"""The lists of every park (a year, a metric, data quality) in pages of ``parks_per_page`` parks."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import parkreport.build as build_module
from parkreport.build import build_site
from parkreport.config import SiteConfig
from parkreport.pages import Pager, PagerEntry, PageSpec, paged_path
from parkreport.scopes import scope_digests
from parkreport.validate import load_corpus
from parkreport.views import Link

from .test_incremental_scopes import PARKS, make_content, plain, three_parks, tree, write_report

EXAMPLE = Path(__file__).parent.parent / "content"


@pytest.fixture(scope="module")
def example_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example content in one page per list, and one park per page."""
    root = tmp_path_factory.mktemp("paged")
    whole, paged = root / "whole", root / "paged"
    build_site(EXAMPLE, whole, search=False, jobs=1, incremental=False)
    build_site(EXAMPLE, paged, search=False, jobs=1, incremental=False, config=SiteConfig(parks_per_page=1))
    return whole, paged


def list_pages(site: Path, path: str) -> list[Path]:
    """The files of every page of the list at ``path`` (e.g. metrics/industrial-output/), in order."""
    first = site / path / "index.html"
    pages = [first]
    number = 2
    while (site / path / "page" / str(number) / "index.html").is_file():
        pages.append(site / path / "page" / str(number) / "index.html")
        number += 1
    return pages


def main_of(page: Path) -> str:
    found = re.search(r"<main[^>]*>(.*?)</main>", page.read_text(encoding="utf-8"), re.DOTALL)
    assert found
    return found.group(1)


def sections(page: Path) -> list[str]:
    """Each park section's heading link of a metric page, in order."""
    return re.findall(r'<section>\n<h2><a href="(/parks/[^"]+)">', main_of(page))


def year_rows(page: Path) -> list[str]:
    return re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", main_of(page), re.DOTALL)


def park_count(site: Path) -> int:
    return len([path for path in (site / "parks").iterdir() if path.is_dir()])


def test_a_paged_list_shows_every_park_once_in_the_order_of_the_whole_list(example_sites: tuple[Path, Path]) -> None:
    whole, paged = example_sites
    parks = park_count(whole)
    assert parks >= 3
    for metric in sorted(path.name for path in (whole / "metrics").iterdir()):
        assert len(list_pages(whole, f"metrics/{metric}")) == 1
        pages = list_pages(paged, f"metrics/{metric}")
        assert len(pages) == parks
        shown = [section for page in pages for section in sections(page)]
        assert shown == sections(whole / "metrics" / metric / "index.html")
        assert all(len(sections(page)) <= 1 for page in pages)
    for year in sorted(path.name for path in (whole / "years").iterdir()):
        pages = list_pages(paged, f"years/{year}")
        assert len(pages) == parks
        # Rows are sorted by metric, then park: paging by park keeps each park's rows, in the same order.
        assert Counter(row for page in pages for row in year_rows(page)) == Counter(year_rows(whole / "years" / year / "index.html"))


def test_every_page_lists_its_neighbours_and_says_which_parks_it_shows(example_sites: tuple[Path, Path]) -> None:
    whole, paged = example_sites
    parks = park_count(whole)
    assert 'class="pager"' not in (whole / "metrics" / "industrial-output" / "index.html").read_text(encoding="utf-8")
    second = (paged / "metrics" / "industrial-output" / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert second.count('class="pager"') == 2  # above and below the list
    assert '<a href="/metrics/industrial-output/" rel="prev">上一页</a>' in second
    assert '<a href="/metrics/industrial-output/page/3/" rel="next">下一页</a>' in second
    assert f"第 2 页，共 {parks} 页" in second
    assert '<span aria-current="page">2</span>' in second
    assert "<title>规模以上工业总产值（第2页） · " in second
    last = (paged / "en" / "metrics" / "industrial-output" / "page" / str(parks) / "index.html").read_text(encoding="utf-8")
    assert f"Page {parks} of {parks}" in last and 'rel="next"' not in last and " (page " in last


def test_only_the_first_page_of_a_list_is_indexed_for_search(example_sites: tuple[Path, Path]) -> None:
    _, paged = example_sites
    assert "data-pagefind-body" in (paged / "years" / "2023" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in (paged / "years" / "2023" / "page" / "2" / "index.html").read_text(encoding="utf-8")


def test_the_first_quality_page_counts_every_issue_and_links_to_the_page_of_each_park(example_sites: tuple[Path, Path]) -> None:
    whole, paged = example_sites
    pages = list_pages(paged, "quality")
    assert len(pages) == park_count(whole)
    items = [len(re.findall(r'<li class="issue ', main_of(page))) for page in pages]
    whole_main = main_of(whole / "quality" / "index.html")
    assert sum(items) == len(re.findall(r'<li class="issue ', whole_main)) > 0
    total = re.search(r"<p>共 \d+ 条：.*?</p>", whole_main)
    assert total and total.group(0) in main_of(pages[0])
    assert not re.search(r"共 \d+ 条", main_of(pages[1]))  # the totals are the whole site's: on the first page only
    nav = re.findall(r'<li><a href="([^"]*)#(park-[^"]+)">', main_of(pages[0]))
    assert len(nav) == len(re.findall(r'<li><a href="#park-', whole_main))
    for href, anchor in nav:
        target = pages[0] if not href else paged / href.strip("/") / "index.html"
        assert f'<section id="{anchor}">' in main_of(target), (href, anchor)


def test_pager_neighbours() -> None:
    entries = tuple(PagerEntry(paged_path("/x/", n), n, Link("/parks/a/", "a"), Link("/parks/b/", "b")) for n in (1, 2, 3))
    assert (Pager(1, entries).previous, Pager(1, entries).next) == (None, entries[1])
    assert (Pager(3, entries).previous, Pager(3, entries).next) == (entries[1], None)
    assert [entry.path for entry in entries] == ["/x/", "/x/page/2/", "/x/page/3/"]


# -- what an edit rebuilds -------------------------------------------------


def contexts_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the page contexts a build (in this process) builds."""
    paths: list[str] = []
    original = build_module.page_of

    def counting(index: Any, spec: PageSpec, site: Any = None) -> Any:
        paths.append(spec.path)
        return original(index, spec, site=site)

    monkeypatch.setattr(build_module, "page_of", counting)
    return paths


def test_an_edit_builds_the_pages_of_the_lists_that_show_its_park(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, site, clean = three_parks(tmp_path), tmp_path / "site", tmp_path / "clean"
    config = SiteConfig(parks_per_page=1)  # alpha on the first page of each list, beta on the second, gamma on the third
    build_site(content, site, search=False, jobs=1, config=config)
    built = contexts_built(monkeypatch)
    write_report(content, 1, {"parks": ["beta"], "month": 3, "figures": [(0, 12.0)], "target": None,
                              "event": ("beta-plant", "signed"), "fulfils": None})
    build_site(content, site, search=False, jobs=1, config=config)
    lists = sorted(path for path in built if path.startswith(("/years/", "/metrics/", "/quality/")))
    metrics = sorted(path.name for path in (site / "metrics").iterdir())
    years = sorted(path.name for path in (site / "years").iterdir())  # beta's figures may show in any year
    assert lists == sorted([*(f"/metrics/{metric}/page/2/" for metric in metrics), *(f"/years/{year}/page/2/" for year in years),
                            "/quality/", "/quality/page/2/"])  # the first quality page counts every park's issues
    build_site(content, clean, search=False, jobs=1, incremental=False, config=config)
    assert tree(site) == tree(clean)
    assert "12" in main_of(site / "metrics" / "industrial-output" / "page" / "2" / "index.html")


def test_a_list_page_reads_the_groups_of_its_parks_only(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    write_report(content, 0, plain(["alpha"]))
    write_report(content, 1, plain(["beta", "gamma"]))
    corpus = load_corpus(content)
    pages = ((PARKS[0], PARKS[1]), (PARKS[2],))
    specs = [PageSpec(paged_path("/metrics/m/", n), "metric", "metric.html", ("m", n)) for n in (1, 2)]
    specs += [PageSpec(paged_path("/quality/", n), "quality", "quality.html", (n,)) for n in (1, 2)]
    files = {"reports/r0.yaml": "0", "sources/r0.txt": "s0", "reports/r1.yaml": "1", "sources/r1.txt": "s1"}
    as_of = dt.date(2021, 1, 15)
    base = scope_digests(corpus, as_of, files, specs, pages)
    assert set(base) == {"/metrics/m/", "/metrics/m/page/2/", "/quality/page/2/"}  # the first quality page has no scope
    assert scope_digests(corpus, as_of, files, specs) == {}  # without the pages' parks, no list page has a scope

    def changed(name: str) -> set[str]:
        after = scope_digests(corpus, as_of, files | {name: "edited"}, specs, pages)
        return {path for path in base if after[path] != base[path]}

    assert changed("sources/r0.txt") == {"/metrics/m/"}  # alpha: the first page only
    assert changed("reports/r1.yaml") == set(base)  # beta and gamma: one report, one group, on both pages
    assert changed("parks/gamma.yaml") == set(base)  # park files decide which parks a page shows


def test_paged_incremental_builds_match_clean_builds_after_parks_come_and_go(tmp_path: Path) -> None:
    content, site, clean = three_parks(tmp_path), tmp_path / "site", tmp_path / "clean"
    config = SiteConfig(parks_per_page=2)
    build_site(content, site, search=False, jobs=2, config=config)
    extra = content / "parks" / "aaa.yaml"  # sorts first: every park moves along one place
    extra.write_text((content / "parks" / "alpha.yaml").read_text(encoding="utf-8").replace("alpha", "aaa")
                     .replace("测试园区0", "新园区"), encoding="utf-8")
    for step in ("added", "removed"):
        build_site(content, site, search=False, jobs=2, config=config)
        shutil.rmtree(clean, ignore_errors=True)
        build_site(content, clean, search=False, jobs=1, incremental=False, config=config)
        assert tree(site) == tree(clean), step
        extra.unlink(missing_ok=True)
