"""The default theme in a real Chromium: phone layout, charts, the projects table.

Builds the shipped example once (the ``example_site`` fixture), serves it on
127.0.0.1 and looks at it the way a reader does.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

PAGES = [
    "/",
    "/parks/puyang/",
    "/parks/puyang/2023/",
    "/reports/puyang-2023-h1/",
    "/projects/",
    "/methods/",
    "/years/2023/",
]

# Elements reaching past the viewport, unless inside their own scroll container or clipped.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !e.closest(".table-scroll, .visually-hidden"))  // scrolls in its own box, or is clipped
    .map(e => e.tagName.toLowerCase() + "." + e.className)
    .slice(0, 5);
}"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(example_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(example_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_theme_pages_do_not_scroll_sideways_on_a_360px_phone(browser: object, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})  # type: ignore[attr-defined]
    problems = {}
    for path in PAGES:
        page.goto(site_url + path)
        overflowing = page.evaluate(OVERFLOWING)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if overflowing or scroll_width > 360:
            problems[path] = (scroll_width, overflowing)
    page.close()
    assert not problems


def test_theme_charts_are_visible_without_scripts(browser: object, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site_url + "/parks/puyang/")
    charts = page.locator("svg.chart-svg")
    assert charts.count() >= 2
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    title_id = charts.first.get_attribute("aria-labelledby")
    assert title_id and page.locator(f"[id='{title_id.split()[0]}']").count() == 1
    # the industrial output history keeps Jan-Apr and H1 on separate lines
    output = page.locator("#chart-puyang-industrial-output-caption").locator("xpath=..").locator("svg")
    spans = output.locator("polyline.series-line").evaluate_all("lines => lines.map(l => l.dataset.span)")
    assert set(spans) == {"M1-4", "H1"}
    context.close()


def test_theme_projects_table_sorts_and_filters(browser: object, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(site_url + "/projects/")
    rows = page.locator("table.project-table tbody tr")
    total = rows.count()
    assert total > 10
    page.locator("table.project-table thead button", has_text="当前阶段").click()
    stages = rows.evaluate_all("rows => rows.map(r => r.cells[4].dataset.sort)")
    assert stages == sorted(stages)
    page.select_option(".table-filter select", "signed")
    visible = page.locator("table.project-table tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert all(stage == "signed" for stage in visible.evaluate_all("rows => rows.map(r => r.dataset.stage)"))
    page.close()
