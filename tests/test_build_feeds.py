"""sitemap.xml, the Atom feed and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from parkreport.feeds import FeedEntry, atom_feed, robots_txt, sitemap_xml
from parkreport.render import SiteUrls

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
