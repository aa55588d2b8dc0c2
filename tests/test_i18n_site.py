"""The English edition of the shipped example, as a reader sees it (built once per session)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

_CHINESE = re.compile(r"[\u3400-\u9fff]")
_TAGS = re.compile(r"<[^>]+>")


def _page(site: Path, path: str) -> str:
    return (site / path.lstrip("/") / "index.html").read_text(encoding="utf-8")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def _chrome(page: str) -> list[str]:
    """The interface text of a page: header, footer, headings, column heads, labels, chart texts.

    The language switch names Chinese in Chinese (``lang="zh-CN"``): that one is meant.
    """
    page = re.sub(r'<a [^>]*lang="zh-CN">[^<]*</a>', "", page)
    parts = re.findall(r"<header class=\"site-header\">.*?</header>|<footer class=\"site-footer\">.*?</footer>", page, re.DOTALL)
    parts += re.findall(r"<h[1-3][^>]*>.*?</h[1-3]>|<th scope=\"col\"[^>]*>.*?</th>|<title[^>]*>.*?</title>", page, re.DOTALL)
    parts += re.findall(r"<figcaption[^>]*>.*?</figcaption>|<text [^>]*>[^<]*</text>", page, re.DOTALL)
    parts += re.findall(r'(?:aria-label|placeholder)="([^"]*)"', page)
    return [_text(part) for part in parts]


def _row(page: str, metric: str) -> str:
    """The text of the first row of a park-year table headed by ``metric``."""
    tables = "".join(re.findall(r'<table class="yoy-table">.*?</table>', page, re.DOTALL))
    for row in re.findall(r"<tr[^>]*>.*?</tr>", tables, re.DOTALL):
        header = re.search(r"<th scope=\"row\">(.*?)</th>", row, re.DOTALL)
        if header and metric in _text(header.group(1)):
            return _text(row)
    raise AssertionError(f"no row for {metric}")


def test_puyang_h1_2023_reads_in_english_figures(example_site: Path) -> None:
    page = _page(example_site, "/en/parks/puyang/2023/")
    row = _row(page, "Gross industrial output")
    this_year = row[:row.index("source")]  # the 2023 cell, up to its citation link
    assert this_year.endswith("9.61 billion yuan H1 2023 estimated YoY ↑ +21.4% ")
    assert "上半年" not in row and "预计" not in row


def test_the_chinese_page_keeps_the_chinese_figures(example_site: Path) -> None:
    row = _row(_page(example_site, "/parks/puyang/2023/"), "规上工业总产值")
    assert "96.1亿元" in row and "2023年上半年" in row and "预计" in row and "+21.4%" in row


@pytest.mark.parametrize("path", ["/", "/parks/puyang/", "/parks/puyang/2023/", "/years/2023/", "/projects/",
                                  "/metrics/industrial-output/",
                                  "/reports/", "/quality/", "/methods/", "/404.html"])
def test_no_chinese_interface_text_on_english_pages(example_site: Path, path: str) -> None:
    english_path = "/en" + path
    file = example_site / english_path.lstrip("/")
    page = (file if path.endswith(".html") else file / "index.html").read_text(encoding="utf-8")
    # derive's English explanations still quote amounts in the source's unit ("by 96.1亿元"): content, not chrome
    chrome = [re.sub(r"\d[\d.,]*[万亿]+[^\s;,)]*", "", text) for text in _chrome(page)]
    leaks = [text for text in chrome if _CHINESE.search(text)]
    assert not leaks, leaks


def test_each_edition_declares_its_language_and_links_the_other(example_site: Path) -> None:
    chinese, english = _page(example_site, "/parks/puyang/"), _page(example_site, "/en/parks/puyang/")
    assert '<html lang="zh-CN">' in chinese and '<html lang="en">' in english
    for page in (chinese, english):
        assert '<link rel="alternate" hreflang="zh-CN" href="/parks/puyang/">' in page
        assert '<link rel="alternate" hreflang="en" href="/en/parks/puyang/">' in page
        assert '<link rel="alternate" hreflang="x-default" href="/parks/puyang/">' in page
    assert '<a href="/en/parks/puyang/" hreflang="en" lang="en">English</a>' in chinese
    assert '<a href="/parks/puyang/" hreflang="zh-CN" lang="zh-CN">中文</a>' in english
    assert '<link rel="canonical" href="/en/parks/puyang/">' in english


def test_every_page_has_its_twin_in_the_other_edition(example_site: Path) -> None:
    chinese = {p.relative_to(example_site).as_posix() for p in example_site.rglob("*.html")
               if not p.relative_to(example_site).as_posix().startswith(("en/", "pagefind/"))}
    english = {p.relative_to(example_site / "en").as_posix() for p in (example_site / "en").rglob("*.html")}
    assert chinese == english and len(chinese) > 100


def test_english_links_stay_in_the_english_edition_and_share_the_files(example_site: Path) -> None:
    page = _page(example_site, "/en/parks/puyang/")
    links = set(re.findall(r'href="([^"]+)"', page))
    pages = {link for link in links if link.startswith("/") and (link.split("#")[0].endswith("/"))}
    outside = {link for link in pages if not link.startswith("/en/")} - {"/parks/puyang/"}  # the language switch
    assert not outside
    assert "/data/parks/puyang.csv" in links and "/static/style.css" in links


def test_the_sitemap_lists_both_editions_and_the_feed_each_report_once(example_site: Path) -> None:
    sitemap = (example_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>/parks/puyang/2023/</loc>" in sitemap and "<loc>/en/parks/puyang/2023/</loc>" in sitemap
    feed = (example_site / "feed.xml").read_text(encoding="utf-8")
    reports = [folder for folder in (example_site / "reports").iterdir() if folder.is_dir()]
    assert "/en/" not in feed and feed.count("<entry>") == len(reports) > 0


def test_english_names_come_from_the_content(example_site: Path) -> None:
    park = _page(example_site, "/en/parks/puyang/")
    assert "<h1>Puyang Industrial Park</h1>" in park
    metric = _page(example_site, "/en/metrics/industrial-output/")
    assert re.search(r"<h1>Gross industrial output[^<]*</h1>", metric)
    home = _page(example_site, "/en/")
    assert ">2023</a>" in home and ">2023年</a>" not in home  # year links


def test_a_project_name_en_names_it_on_the_english_pages(mini_content: Path, tmp_path: Path) -> None:
    from parkreport.build import build_site

    park = mini_content / "parks" / "alpha.yaml"
    park.write_text(park.read_text(encoding="utf-8").replace("    name: 涂料项目\n", "    name: 涂料项目\n    name_en: Coatings project\n"),
                    encoding="utf-8")
    build_site(mini_content, tmp_path / "site", search=False)
    english, chinese = _page(tmp_path / "site", "/en/projects/alpha-coatings/"), _page(tmp_path / "site", "/projects/alpha-coatings/")
    assert "<h1>Coatings project</h1>" in english and "<title>Coatings project · " in english
    assert ">Coatings project</a>" in _page(tmp_path / "site", "/en/parks/alpha/")
    assert "<h1>涂料项目</h1>" in chinese and "Coatings project" not in chinese
