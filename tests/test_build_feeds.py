"""sitemap.xml, the Atom feed and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from parkreport import feeds
from parkreport.build import build_site
from parkreport.config import SiteConfig
from parkreport.feeds import FeedEntry, atom_feed, robots_txt, sitemap_files, sitemap_xml
from parkreport.render import SiteUrls
from tests.conftest import FIXTURES, ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
URLS = SiteUrls("https://example.org/parks/")


def test_feed_lists_reports_newest_first_with_absolute_links_and_escaped_titles() -> None:
    entries = [
        FeedEntry("/reports/a/", "甲 & 乙 <报告>", "2022-06-13", "摘要"),
        FeedEntry("/reports/b/", "较新", "2023-07", ""),
        FeedEntry("/reports/c/", "无日期", None, ""),
    ]
    feed = ET.fromstring(atom_feed(URLS, "站点", entries))
    assert feed.findtext(f"{ATOM}updated") == "2023-07-01T00:00:00Z"
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["较新", "甲 & 乙 <报告>", "无日期"]
    first = next(feed.iter(f"{ATOM}entry"))
    assert first.find(f"{ATOM}link").get("href") == "https://example.org/parks/reports/b/"
    undated = list(feed.iter(f"{ATOM}entry"))[-1]
    assert undated.find(f"{ATOM}published") is None
    assert undated.findtext(f"{ATOM}updated") == "2023-07-01T00:00:00Z"


def test_source_date_epoch_sets_the_feed_update_time() -> None:
    feed = ET.fromstring(atom_feed(URLS, "站点", [FeedEntry("/reports/a/", "a", "2022", "")], source_date_epoch=0))
    assert feed.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"


def test_sitemap_and_robots_use_the_base_url() -> None:
    sitemap = ET.fromstring(sitemap_xml(URLS, ["/parks/a/", "/", "/parks/a/"]))
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == ["https://example.org/parks/", "https://example.org/parks/parks/a/"]
    robots = robots_txt(SiteUrls("/sub/"))
    assert "Disallow: /sub/404.html" in robots and "Sitemap: /sub/sitemap.xml" in robots


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_a_sitemap_of_more_pages_than_a_sitemap_may_list_is_an_index_of_sitemaps() -> None:
    paths = [f"/parks/p{number:02d}/" for number in range(25)] + ["/"]
    assert sitemap_files(URLS, paths, limit=26) == [("sitemap.xml", sitemap_xml(URLS, paths))]
    files = dict(sitemap_files(URLS, [*paths, "/"], limit=10))
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert [loc.text for loc in index.iter(f"{SITEMAP}loc")] == [f"https://example.org/parks/sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = [[loc.text for loc in ET.fromstring(files[f"sitemap-{n}.xml"]).iter(f"{SITEMAP}loc")] for n in (1, 2, 3)]
    assert [len(part) for part in listed] == [10, 10, 6]
    assert sum(listed, []) == [URLS.absolute(path) for path in sorted(set(paths))]


def test_a_built_site_over_the_limit_publishes_every_sitemap_its_index_names(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "SITEMAP_LIMIT", 10)
    site = tmp_path / "site"
    build_site(FIXTURES / "mini", site, search=False)
    index = ET.fromstring((site / "sitemap.xml").read_text(encoding="utf-8"))
    parts = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert len(parts) >= 2
    listed = []
    for part in parts:
        assert part is not None and part.startswith("/sitemap-")
        listed += [loc.text for loc in ET.fromstring((site / part.lstrip("/")).read_text(encoding="utf-8")).iter(f"{SITEMAP}loc")]
    folders = [page.parent.relative_to(site).as_posix() for page in site.rglob("index.html")]
    assert sorted(listed) == sorted("/" if folder == "." else f"/{folder}/" for folder in folders)
    assert "Sitemap: /sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")


def test_the_feed_lists_the_newest_reports_the_configuration_asks_for(tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    build_site(ROOT / "content", whole, search=False, jobs=1)
    every = [entry.findtext(f"{ATOM}title") for entry in ET.parse(whole / "feed.xml").iter(f"{ATOM}entry")]
    assert len(every) == len(list((ROOT / "content" / "reports").glob("*.yaml"))) >= 3
    short = tmp_path / "short"
    build_site(ROOT / "content", short, config=SiteConfig(feed_entries=2), search=False, jobs=1)
    assert [entry.findtext(f"{ATOM}title") for entry in ET.parse(short / "feed.xml").iter(f"{ATOM}entry")] == every[:2]
