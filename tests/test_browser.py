"""The example site in a real Chromium: every page kind loads cleanly, a reader can walk to a quote.

Also the hostile corpus: every page built from it is loaded and nothing it
planted may run (no dialog, no navigation, no injected element).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from parkreport.build import build_site
from tests.browser_support import PAGE_KINDS, chromium, serving
from tests.hostile_corpus import hostile_config, write_hostile_corpus

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !e.closest(".table-scroll, .visually-hidden"))
    .map(e => e.tagName.toLowerCase() + "." + e.className)
    .slice(0, 5);
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site_url(example_site: Path) -> Iterator[str]:
    with serving(example_site) as url:
        yield url


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_browser_page_kind_loads_without_errors(browser: object, site_url: str, kind: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed {request.url}"))
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/404.html") else None)
    page.goto(site_url + PAGE_KINDS[kind], wait_until="networkidle")
    page.close()
    assert problems == []


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_browser_nothing_overflows_on_a_360px_phone(browser: object, site_url: str, kind: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    page.goto(site_url + PAGE_KINDS[kind])
    overflowing = page.evaluate(OVERFLOWING)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert (scroll_width, overflowing) == (360, [])


def test_browser_reader_walks_from_home_to_the_quoted_sentence(browser: object, site_url: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(site_url + "/")
    page.locator("main a[href$='/parks/puyang/']").first.click()
    assert page.url.endswith("/parks/puyang/")
    page.locator("main a[href$='/parks/puyang/2023/']").first.click()
    assert page.url.endswith("/parks/puyang/2023/")
    page.goto(site_url + "/projects/")
    page.locator("main a[href$='/projects/puyang-hangmin/']").first.click()
    assert page.url.endswith("/projects/puyang-hangmin/")
    quote_link = page.locator("main a[href*='/reports/'][href*='#']").first
    anchor = quote_link.get_attribute("href").split("#")[1]  # type: ignore[union-attr]
    quote_link.click()
    assert page.url.endswith("#" + anchor)
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1 and target.inner_text().strip()
    assert target.is_visible() and target.evaluate("e => e.matches(':target')")
    page.close()


def test_browser_charts_have_accessible_names(browser: object, site_url: str) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    names = []
    for path in ("/parks/puyang/", "/parks/puyang/2023/", "/metrics/industrial-output/"):
        page.goto(site_url + path)
        charts = page.locator("svg.chart-svg")
        assert charts.count() >= 1
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 50
            names.append(charts.nth(index).evaluate(
                "svg => (svg.getAttribute('aria-labelledby') || '').split(' ')"
                ".map(id => document.getElementById(id)?.textContent || '').join(' ').trim()"))
    page.close()
    assert names and all(names)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    root = tmp_path_factory.mktemp("hostile-browser")
    write_hostile_corpus(root / "content")
    build_site(root / "content", root / "site", config=hostile_config())
    pages = []
    for index in sorted((root / "site").rglob("*.html")):
        relative = index.relative_to(root / "site").as_posix()
        pages.append("/" + relative.removesuffix("index.html"))
    with serving(root / "site") as url:
        yield url, pages


def test_browser_hostile_pages_run_nothing(browser: object, hostile_site: tuple[str, list[str]]) -> None:
    url, pages = hostile_site
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    dialogs: list[str] = []
    navigations: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(url) else route.continue_())
    visited = {}
    for path in pages:
        navigations.clear()
        page.goto(url + path, wait_until="load")
        page.wait_for_timeout(50)
        visited[path] = page.evaluate(
            "() => [window.__pwned, parent.__pwned, document.querySelectorAll('.pwned, iframe, object, embed, base').length]"
        )
        assert navigations == [url + path], path
    context.close()
    print(f"hostile pages loaded in Chromium: {len(pages)}; payloads that ran: 0")
    assert len(pages) >= 15
    assert dialogs == []
    assert {path: state for path, state in visited.items() if state != [None, None, 0]} == {}
