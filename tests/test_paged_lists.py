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


def links(page: Path, prefix: str) -> set[str]:
    return set(re.findall(rf'href="({re.escape(prefix)}[^"#]*)"', main_of(page)))


def test_a_paged_list_shows_each_park_with_something_to_show_once(example_sites: tuple[Path, Path]) -> None:
    whole, paged = example_sites
    paged_metrics = 0
    for metric in sorted(path.name for path in (whole / "metrics").iterdir()):
        assert len(list_pages(whole, f"metrics/{metric}")) == 1
        pages = list_pages(paged, f"metrics/{metric}")
        expected = sections(whole / "metrics" / metric / "index.html")
        assert len(pages) == max(1, len(expected))  # one park a page, and only parks with a figure of the metric
        assert [section for page in pages for section in sections(page)] == expected
        paged_metrics += len(pages) > 1
    assert paged_metrics >= 2
    for year in sorted(path.name for path in (whole / "years").iterdir()):
        pages = list_pages(paged, f"years/{year}")
        whole_page = whole / "years" / year / "index.html"
        # Rows are sorted by metric, then park: paging by park keeps each park's rows, in the same order.
        assert Counter(row for page in pages for row in year_rows(page)) == Counter(year_rows(whole_page))
        for prefix in ("/reports/", "/parks/"):  # a report shows on the page of each of its parks
            assert set().union(*(links(page, prefix) for page in pages)) == links(whole_page, prefix), (year, prefix)
        assert all(year_rows(page) or links(page, "/reports/") or links(page, "/parks/") for page in pages)  # no empty page


def project_rows(page: Path) -> list[str]:
    return re.findall(r"<tr data-stage=.*?</tr>", main_of(page), re.DOTALL)


def report_items(page: Path) -> list[str]:
    return re.findall(r'<li>\s*<a href="/reports/(?!page/)[^"]+">.*?</li>', main_of(page), re.DOTALL)


def test_the_lists_of_projects_and_reports_show_each_park_on_its_own_page(example_sites: tuple[Path, Path]) -> None:
    whole, paged = example_sites
    assert len(list_pages(whole, "projects")) == len(list_pages(whole, "reports")) == 1
    everything = project_rows(whole / "projects" / "index.html")
    pages = list_pages(paged, "projects")
    parks_of = [{re.search(r'<td><a href="(/parks/[^"]+)">', row).group(1) for row in project_rows(page)}  # type: ignore[union-attr]
                for page in pages]
    assert len(pages) >= 2 and all(len(parks) == 1 for parks in parks_of)  # one park a page
    assert len({park for parks in parks_of for park in parks}) == len(pages)
    assert Counter(row for page in pages for row in project_rows(page)) == Counter(everything)  # each project once
    total = re.search(r"<p>共 (\d+) 个项目。", main_of(whole / "projects" / "index.html"))
    assert total and int(total.group(1)) == len(everything)
    first, second = main_of(pages[0]), main_of(pages[1])
    assert total.group(0) in first and 'id="chart-pipeline' in first  # every project's count and stages: first page only
    assert "个项目。" not in second and "chart-pipeline" not in second
    assert main_of(whole / "projects" / "index.html").count("<rect") == first.count("<rect")  # the chart is the site's

    whole_reports = report_items(whole / "reports" / "index.html")
    pages = list_pages(paged, "reports")
    assert len(pages) >= 2
    page_parks = []
    for page in pages:
        items = report_items(page)
        assert items
        common = set.intersection(*(set(re.findall(r'· <a href="(/parks/[^"]+)">', item)) for item in items))
        assert len(common) >= 1  # one park a page: every report on it is about that park
        page_parks.append(frozenset(common))
        order = [whole_reports.index(item) for item in items]
        assert order == sorted(order)  # newest first, as on the whole list
    assert len(set(page_parks)) == len(pages)  # a park's reports are on its page, not spread over others
    # a report shows on the page of each of its parks, and nowhere else
    shown = Counter(item for page in pages for item in report_items(page))
    assert set(shown) == set(whole_reports)
    assert all(count == len(re.findall(r'· <a href="/parks/', item)) for item, count in shown.items())
    assert 'class="pager"' in main_of(pages[1]) and 'class="pager"' not in main_of(whole / "reports" / "index.html")


def test_every_page_lists_its_neighbours_and_says_which_parks_it_shows(example_sites: tuple[Path, Path]) -> None:
    whole, paged = example_sites
    year = max((path.name for path in (paged / "years").iterdir()), key=lambda name: (len(list_pages(paged, f"years/{name}")), name))
    count = len(list_pages(paged, f"years/{year}"))
    assert count >= 3
    assert 'class="pager"' not in (whole / "years" / year / "index.html").read_text(encoding="utf-8")
    second = (paged / "years" / year / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert second.count('<nav class="pager" aria-label="分页">') == 1  # one landmark: below the list, previous and next only
    assert f'<a href="/years/{year}/" rel="prev">上一页</a>' in second
    assert f'<a href="/years/{year}/page/3/" rel="next">下一页</a>' in second
    assert second.count('rel="next"') == 2
    assert f"第 2 页，共 {count} 页" in second
    assert '<span aria-current="page">2</span>' in second
    assert re.search(rf'<a href="/years/{year}/page/3/" aria-label="第 3 页：[^"]+"', second)
    assert f"<title>{year}年各园区（第2页） · " in second
    last = (paged / "en" / "years" / year / "page" / str(count) / "index.html").read_text(encoding="utf-8")
    assert f"Page {count} of {count}" in last and 'rel="next"' not in last and f" in {year} (page {count}) · " in last


def test_names_in_the_pager_are_escaped_once(example_sites: tuple[Path, Path]) -> None:
    _, paged = example_sites
    pages = [path for path in paged.rglob("page/*/index.html")]
    assert pages
    texts = [path.read_text(encoding="utf-8") for path in pages]
    assert any("&#34;" in text or "&quot;" in text for text in texts)  # an English park name with quotes
    assert not [path for path, text in zip(pages, texts) if re.search(r"&amp;(#\d+|quot|amp|lt|gt);", text)]


def test_a_template_override_may_include_the_pager_without_saying_where(tmp_path: Path) -> None:
    theme = Path(build_module.__file__).parent / "theme" / "templates"
    (tmp_path / "templates").mkdir()
    metric = (theme / "metric.html").read_text(encoding="utf-8").replace(", bottom=false", "")
    (tmp_path / "templates" / "metric.html").write_text(metric, encoding="utf-8")
    content, site = three_parks(tmp_path), tmp_path / "site"
    build_site(content, site, templates_dir=tmp_path / "templates", search=False, jobs=1, config=SiteConfig(parks_per_page=1))
    assert 'class="pager"' in main_of(site / "metrics" / "industrial-output" / "page" / "2" / "index.html")


def test_pages_follow_the_order_the_lists_show_parks_in(tmp_path: Path) -> None:
    content = three_parks(tmp_path)
    alpha = (content / "parks" / "alpha.yaml").read_text(encoding="utf-8")
    (content / "parks" / "alpha-b.yaml").write_text(alpha.replace("alpha", "alpha-b").replace("测试园区0", "测试园区9"), encoding="utf-8")
    write_report(content, 3, figure_report("alpha-b", (0, 7.0)))
    site = tmp_path / "site"
    build_site(content, site, search=False, jobs=1, config=SiteConfig(parks_per_page=2))
    first = main_of(site / "metrics" / "industrial-output" / "index.html")
    assert first.index("/parks/alpha-b/") < first.index("/parks/alpha/")  # as paths sort: "alpha-b/" before "alpha/"
    assert "第 1 页，共 2 页：测试园区9 至 测试园区0" in first


def test_only_the_first_page_of_a_list_is_indexed_for_search(example_sites: tuple[Path, Path]) -> None:
    _, paged = example_sites
    assert "data-pagefind-body" in (paged / "years" / "2022" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in (paged / "years" / "2022" / "page" / "2" / "index.html").read_text(encoding="utf-8")


def test_the_first_quality_page_counts_every_issue_and_links_to_the_page_of_each_park(example_sites: tuple[Path, Path]) -> None:
    whole, paged = example_sites
    pages = list_pages(paged, "quality")
    whole_main = main_of(whole / "quality" / "index.html")
    assert len(pages) == len(re.findall(r'<section id="park-(?!none)', whole_main)) >= 2
    items = [len(re.findall(r'<li class="issue ', main_of(page))) for page in pages]
    assert sum(items) == len(re.findall(r'<li class="issue ', whole_main)) > 0
    assert all(items)
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


def figure_report(park: str, *figures: tuple[int, float]) -> dict[str, Any]:
    return {"parks": [park], "month": 3, "figures": list(figures), "target": None, "event": (f"{park}-plant", "signed"),
            "fulfils": None}


def test_an_edit_builds_the_pages_of_the_lists_that_show_its_park(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, site, clean = three_parks(tmp_path), tmp_path / "site", tmp_path / "clean"
    config = SiteConfig(parks_per_page=1)  # alpha, beta and gamma each have a figure: on pages 1, 2 and 3 of its list
    build_site(content, site, search=False, jobs=1, config=config)
    built = contexts_built(monkeypatch)
    write_report(content, 1, figure_report("beta", (0, 12.0)))
    build_site(content, site, search=False, jobs=1, config=config)
    lists = {path for path in built if path.startswith(("/years/", "/metrics/", "/quality/"))
             or re.fullmatch(r"/(projects|reports)/(page/\d+/)?", path)}
    assert {"/metrics/industrial-output/page/2/", "/projects/page/2/", "/reports/page/2/"} <= lists
    assert not lists & {"/metrics/industrial-output/", "/metrics/industrial-output/page/3/",  # alpha's and gamma's
                        "/reports/", "/reports/page/3/", "/projects/page/3/"}
    for path in lists - {"/quality/", "/projects/"}:  # first pages counting every park's issues or projects: always built
        assert "/parks/beta/" in main_of(site / path.strip("/") / "index.html"), path
    build_site(content, clean, search=False, jobs=1, incremental=False, config=config)
    assert tree(site) == tree(clean)
    assert "12" in main_of(site / "metrics" / "industrial-output" / "page" / "2" / "index.html")


def test_an_edit_of_the_second_park_of_a_page_reaches_the_page(tmp_path: Path) -> None:
    content, site, clean = three_parks(tmp_path), tmp_path / "site", tmp_path / "clean"
    config = SiteConfig(parks_per_page=2)  # alpha and beta on the first page, gamma on the second
    build_site(content, site, search=False, jobs=1, config=config)
    page = site / "metrics" / "industrial-output" / "index.html"
    before = page.read_bytes()
    write_report(content, 1, figure_report("beta", (0, 40.25)))
    build_site(content, site, search=False, jobs=1, config=config)
    build_site(content, clean, search=False, jobs=1, incremental=False, config=config)
    assert tree(site) == tree(clean)
    assert page.read_bytes() != before


def test_parks_joining_and_leaving_a_list_move_the_others_along(tmp_path: Path) -> None:
    """Pages hold the parks with something to show: when one comes or goes, the others change pages."""
    content, site, clean = three_parks(tmp_path), tmp_path / "site", tmp_path / "clean"
    config = SiteConfig(parks_per_page=1)
    build_site(content, site, search=False, jobs=2, config=config)
    steps = [
        (2, figure_report("gamma")),  # gamma leaves the list of industrial output: alpha and beta stay, with one page less
        (0, figure_report("alpha")),  # alpha leaves it too: beta moves to its first page
        (2, figure_report("gamma", (0, 3.5), (1, 7.0))),  # gamma joins the list of fixed-asset investment
        (0, figure_report("alpha", (0, 12.0))),  # alpha comes back first
    ]
    for slot, report in steps:
        write_report(content, slot, report)
        build_site(content, site, search=False, jobs=2, config=config)
        shutil.rmtree(clean, ignore_errors=True)
        build_site(content, clean, search=False, jobs=1, incremental=False, config=config)
        assert tree(site) == tree(clean), (slot, report)
    assert "/parks/alpha/" in main_of(site / "metrics" / "industrial-output" / "index.html")
    assert "/parks/gamma/" in main_of(site / "metrics" / "fixed-asset-investment" / "index.html")


def test_a_list_page_reads_the_groups_of_its_parks_and_who_is_on_the_list(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    write_report(content, 0, plain(["alpha"]))
    write_report(content, 1, plain(["beta", "gamma"]))
    corpus = load_corpus(content)
    two_pages = ((PARKS[0], PARKS[1]), (PARKS[2],))
    lists = {(kind, *key): two_pages for kind, *key in (("metric", "m"), ("quality",), ("projects",), ("reports",))}
    specs = [PageSpec(paged_path("/metrics/m/", n), "metric", "metric.html", ("m", n)) for n in (1, 2)]
    specs += [PageSpec(paged_path(f"/{kind}/", n), kind, f"{kind}.html", (n,)) for kind in ("quality", "projects", "reports")
              for n in (1, 2)]
    files = {"reports/r0.yaml": "0", "sources/r0.txt": "s0", "reports/r1.yaml": "1", "sources/r1.txt": "s1"}
    as_of = dt.date(2021, 1, 15)
    base = scope_digests(corpus, as_of, files, specs, lists)
    # the first pages of the quality and project lists count every park's issues and stages: no scope
    assert set(base) == {"/metrics/m/", "/metrics/m/page/2/", "/quality/page/2/", "/projects/page/2/", "/reports/",
                         "/reports/page/2/"}
    assert scope_digests(corpus, as_of, files, specs) == {}  # without the lists' pages, no list page has a scope

    def changed(name: str = "", **other: Any) -> set[str]:
        after = scope_digests(corpus, as_of, files | ({name: "edited"} if name else {}), specs, lists | other)
        return {path for path in base if after[path] != base[path]}

    assert changed("sources/r0.txt") == {"/metrics/m/", "/reports/"}  # alpha: the first pages only
    assert changed("reports/r1.yaml") == set(base)  # beta and gamma: one report, one group, on both pages
    assert changed("parks/gamma.yaml") == set(base)  # park files are read by every page (names, the pager)
    moved = {("metric", "m"): ((PARKS[0],), (PARKS[1], PARKS[2]))}
    assert scope_digests(corpus, as_of, files, specs, lists | moved).keys() == base.keys()
    after = scope_digests(corpus, as_of, files, specs, lists | moved)
    assert {path for path in base if after[path] != base[path]} == {"/metrics/m/", "/metrics/m/page/2/"}
