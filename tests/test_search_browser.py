"""Search in a real browser: Chromium (Debian's) driven by Playwright.

The example site is built once per session (the ``example_site`` fixture),
served on 127.0.0.1 by a thread running ``http.server``, and searched the
way a reader does: through the search page and the header box.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
RESULT_LINK = ".pagefind-ui__result-inner > .pagefind-ui__result-title .pagefind-ui__result-link"  # pages, not sub-results


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1; yields the origin (``http://127.0.0.1:port``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def result_paths(page: Any) -> list[str]:
    """The paths the search results link to, in order, once every shown result has loaded.

    Pagefind's UI first draws a placeholder per result and fills each in as
    its fragment arrives; reading earlier would see only some of them.
    """
    page.wait_for_selector(RESULT_LINK, timeout=15_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.pagefind-ui__result').length > 0"
        " && !document.querySelector('.pagefind-ui__results .pagefind-ui__loading')",
        timeout=15_000,
    )
    return [link.get_attribute("href") for link in page.query_selector_all(RESULT_LINK)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def origin(example_site: Path) -> Iterator[str]:
    with serve_directory(example_site) as served:
        yield served


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("濮阳", "/parks/puyang/"),  # a park by its short name
        ("航民", "/projects/puyang-hangmin/"),  # a project by its investor's short name
        ("规上工业总产值", "/metrics/industrial-output/"),  # a metric by its short name
        ("规模以上工业总产值", "/metrics/industrial-output/"),  # ... and by its full name
        ("可降解材料", "/reports/nanle-2021-review/"),  # words of a report's text
        ("可降解材料", "/parks/nanle/"),
        ("一区四园", "/parks/yiqu-siyuan/"),  # an unnamed park by what its source calls it
        ("产值", "/metrics/industrial-output/"),  # a word ending a metric's name
        ("固定资产投资", "/metrics/fixed-asset-investment/"),
    ],
)
def test_search_page_finds(browser: Any, origin: str, query: str, expected: str) -> None:
    page = browser.new_page()
    page.goto(f"{origin}/search/?q={query}")
    paths = result_paths(page)
    page.close()
    assert expected in paths, f"{query}: {paths}"


def test_search_names_rank_their_own_page_first(browser: Any, origin: str) -> None:
    page = browser.new_page()
    for query, expected in [("航民", "/projects/puyang-hangmin/"), ("规上工业总产值", "/metrics/industrial-output/"),
                            ("南乐", "/parks/nanle/"), ("一区四园", "/parks/yiqu-siyuan/")]:
        page.goto(f"{origin}/search/?q={query}")
        assert result_paths(page)[0] == expected, query
    page.goto(f"{origin}/search/?q=濮阳")
    assert "/parks/puyang/" in result_paths(page)[:2]  # after the report most about it
    page.close()


def test_search_a_place_name_finds_every_page_that_mentions_it(browser: Any, origin: str) -> None:
    page = browser.new_page()
    page.goto(f"{origin}/search/?q=南乐")
    result_paths(page)
    summary = page.inner_text(".pagefind-ui__message")
    page.close()
    count = int(re.search(r"\d+", summary).group(0))  # type: ignore[union-attr]
    assert count >= 20, summary  # the park, its years, projects and report, not the park page alone


def test_search_a_word_inside_a_name_finds_reports_that_use_the_name(browser: Any, origin: str) -> None:
    page = browser.new_page()
    for query in ("产值", "总产值"):
        page.goto(f"{origin}/search/?q={query}")
        shown = len(result_paths(page))
        while page.locator("button.pagefind-ui__button").count():  # 加载更多结果
            page.click("button.pagefind-ui__button")
            page.wait_for_function(f"document.querySelectorAll('{RESULT_LINK}').length > {shown}")
            shown = len(result_paths(page))
        assert "/reports/puyang-2023-h1/" in result_paths(page), query
    page.close()


def test_search_header_box_submits_to_the_search_page(browser: Any, origin: str) -> None:
    page = browser.new_page()
    page.goto(f"{origin}/parks/nanle/")
    page.fill("#site-search-q", "航民")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert "/projects/puyang-hangmin/" in result_paths(page)
    assert page.locator(".pagefind-ui__search-input").input_value() == "航民"
    page.close()


def test_search_typing_keeps_the_query_in_the_address(browser: Any, origin: str) -> None:
    page = browser.new_page()
    page.goto(f"{origin}/search/")
    page.wait_for_selector(".pagefind-ui__search-input")
    assert page.locator(".search-form").is_hidden()
    page.fill(".pagefind-ui__search-input", "平原")
    assert "/parks/pingyuan/" in result_paths(page)
    assert "q=%E5%B9%B3%E5%8E%9F" in page.url
    page.close()


def test_search_loads_nothing_from_other_hosts(browser: Any, origin: str) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{origin}/search/?q=濮阳")
    result_paths(page)
    page.close()
    assert requested and all(url.startswith(origin) for url in requested), requested


def test_search_page_without_javascript_keeps_the_form_and_explains(browser: Any, origin: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{origin}/search/?q=濮阳")
    assert page.locator(".search-form").is_visible()
    assert "需要启用 JavaScript" in page.content()
    context.close()


def test_search_page_of_a_site_built_without_search_says_so(browser: Any, tmp_path: Path) -> None:
    from parkreport.build import build_site

    from .conftest import FIXTURES

    build_site(FIXTURES / "mini", tmp_path / "site", search=False)
    with serve_directory(tmp_path / "site") as served:
        page = browser.new_page()
        page.goto(f"{served}/search/?q=alpha")
        page.wait_for_selector("#search .note")
        assert "搜索索引未能加载" in page.inner_text("#search")
        assert page.locator(".search-form").is_visible()
        page.close()


def test_search_results_say_what_kind_of_page_they_are(browser: Any, origin: str) -> None:
    page = browser.new_page()
    page.goto(f"{origin}/search/?q=航民")
    result_paths(page)
    titles = [title.inner_text() for title in page.query_selector_all(".pagefind-ui__result-title")]
    shown = page.inner_text("#search")
    page.close()
    assert titles[0] == "航民 — 项目 · 濮阳工业园区"
    assert "kind" not in shown.lower(), "the kind is said in the title, not again as a tag"


def test_search_page_of_the_english_edition_uses_the_shared_index_in_english(browser: Any, origin: str, example_site: Path) -> None:
    if not (example_site / "en" / "search" / "index.html").is_file():
        pytest.fail("the example site has no English edition at /en/")
    page = browser.new_page()
    page.goto(f"{origin}/en/search/?q=航民")  # names stay Chinese in the English edition
    paths = result_paths(page)
    titles = [title.inner_text() for title in page.query_selector_all(".pagefind-ui__result-title")]
    tips = page.inner_text(".search-tips")
    page.goto(f"{origin}/en/search/?q=Puyang")
    english = result_paths(page)
    page.close()
    assert paths[0] == "/en/projects/puyang-hangmin/", paths
    assert titles[0] == "航民 — project · Puyang Industrial Park"
    assert all(path.startswith("/en/") for path in paths + english), "an English search finds English pages"
    assert "/en/parks/puyang/" in english
    assert "Search tips" in tips
