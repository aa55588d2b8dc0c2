"""The example site (content/ + templates/), built once per session, as a reader sees it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from parkreport.links import scan_page
from parkreport.validate import load_corpus

from .conftest import ROOT


def _page(site: Path, path: str) -> str:
    return (site / path.strip("/") / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    """What a reader sees: tags removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _figure_spans(html: str) -> list[str]:
    return re.findall(r'<span class="figure figure-[a-z]+">.*?</a>', html, flags=re.S)


def test_puyang_h1_2023_shows_output_growth_and_the_implied_prior_value_marked_derived(example_site: Path) -> None:
    html = _page(example_site, "/parks/puyang/2023/")
    figures = _figure_spans(html)
    current = next(f for f in figures if "96.1亿元" in f)
    assert "2023年上半年" in current and "+21.4%" in current and "预计" in current
    implied = next(f for f in figures if "79.16亿元" in f)
    assert "figure-derived" in implied and "推算" in implied and "≈" in implied and "2022年上半年" in implied


def test_jan_apr_2022_is_never_compared_with_h1_2023(example_site: Path) -> None:
    for path in example_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".csv", ".json", ".xml"):
            assert "47.4%" not in path.read_text(encoding="utf-8-sig"), path
    text = _text(_page(example_site, "/parks/puyang/2023/"))
    assert re.search(r"65\.18亿元 2022年1-4月.*?统计期不同，不可比", text)


def test_every_figure_links_to_a_highlighted_quote_that_contains_it(example_site: Path) -> None:
    html = _page(example_site, "/parks/puyang/2023/")
    current = next(f for f in _figure_spans(html) if "96.1亿元" in f)
    report, anchor = re.search(r'href="/reports/([^/]+)/#([a-z_]+-\d+)"', current).groups()
    source = _page(example_site, f"/reports/{report}/")
    mark = re.search(rf'<mark id="{anchor}"[^>]*>(.*?)</mark>', source, flags=re.S)
    assert mark and "96.1" in mark.group(1)


def test_every_extracted_fact_is_anchored_on_its_source_page(example_site: Path) -> None:
    corpus = load_corpus(ROOT / "content")
    for report in corpus.reports.values():
        ids, _ = scan_page(_page(example_site, f"/reports/{report.id}/"))
        for name in ("indicators", "targets", "project_events", "facts"):
            for index in range(len(getattr(report, name))):
                assert f"{name}-{index}" in ids, (report.id, name, index)
        if report.id in corpus.originals:
            assert "<details" in _page(example_site, f"/reports/{report.id}/")


def test_home_lists_every_park_with_a_link(example_site: Path) -> None:
    html = _page(example_site, "/")
    for park, name in (("puyang", "濮阳工业园区"), ("nanle", "南乐县产业集聚区"), ("pingyuan", "平原县")):
        assert f'href="/parks/{park}/"' in html and name in html
    assert 'href="/parks/yiqu-siyuan/"' in html


def test_downloads_hold_the_observations_and_the_derived_values(example_site: Path) -> None:
    data = (example_site / "data" / "indicators.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    reported = [r for r in rows if (r["park_id"], r["metric_id"], r["period"]) == ("puyang", "industrial-output", "2023H1")]
    assert [(r["value"], r["yoy_pct"], r["status"]) for r in reported] == [("96.1", "21.4", "estimated")]
    implied = [r for r in rows if (r["park_id"], r["metric_id"], r["period"], r["derived"]) == ("puyang", "industrial-output", "2022H1", "true")]
    assert len(implied) == 1 and abs(float(implied[0]["value"]) - 79.16) < 0.005
    assert (example_site / "data" / "parks" / "puyang.csv").is_file()


def test_sitemap_feed_and_robots_cover_the_site(example_site: Path) -> None:
    sitemap = (example_site / "sitemap.xml").read_text(encoding="utf-8")
    pages = sorted(p for p in example_site.rglob("index.html"))
    assert sitemap.count("<loc>") == len(pages)
    feed = (example_site / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == len(load_corpus(ROOT / "content").reports)
    assert "Sitemap: /sitemap.xml" in (example_site / "robots.txt").read_text(encoding="utf-8")


def test_pages_carry_canonical_and_opengraph_meta_and_fetch_nothing_from_elsewhere(example_site: Path) -> None:
    for path in example_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if path.name != "404.html":
            assert '<link rel="canonical"' in html, path
        assert '<meta property="og:title"' in html, path
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag) or 'rel="alternate"' in tag, (path, tag)


@pytest.mark.parametrize("path", ["/years/2023/", "/metrics/industrial-output/", "/projects/", "/projects/puyang-hangmin/", "/quality/", "/methods/"])
def test_index_pages_render_with_content(example_site: Path, path: str) -> None:
    text = _text(_page(example_site, path))
    assert len(text) > 200


def test_a_park_year_lists_each_target_once(example_site: Path) -> None:
    for page in example_site.glob("parks/*/[0-9]*/index.html"):
        cites = re.findall(r'href="(/reports/[^"]+#targets-\d+)"', page.read_text(encoding="utf-8"))
        assert len(cites) == len(set(cites)), page


def test_quality_page_groups_issues_by_park_with_warnings_first(example_site: Path) -> None:
    html = _page(example_site, "/quality/")
    ids, links = scan_page(html)
    assert {"park-puyang", "park-nanle"} <= ids
    assert "#park-puyang" in links
    puyang = html[html.index('id="park-puyang"'):]
    puyang = puyang[: puyang.index("</section>")]
    severities = re.findall(r'class="issue issue-(\w+)"', puyang)
    assert severities and severities == sorted(severities, key=["error", "warning", "info"].index)
