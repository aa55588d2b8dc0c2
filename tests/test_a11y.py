"""axe-core in Chromium: no serious or critical accessibility violation on any page kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import AXE, PAGE_KINDS, chromium, serving

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


@pytest.fixture(scope="module")
def site_url(example_site: Path) -> Iterator[str]:
    with serving(example_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


def test_a11y_axe_is_installed() -> None:
    assert AXE.is_file(), "run 'npm ci' in tests/ (.ci/run does)"


@pytest.mark.parametrize("kind", PAGE_KINDS)
@pytest.mark.parametrize("width", [1280, 360])
def test_a11y_no_serious_violations(browser: object, site_url: str, kind: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})  # type: ignore[attr-defined]
    page.goto(site_url + PAGE_KINDS[kind], wait_until="networkidle")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    page.close()
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


@pytest.fixture(scope="module")
def paged_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example content with one park a page, so the lists of every park have a pager."""
    from parkreport.build import build_site
    from parkreport.config import SiteConfig

    site = tmp_path_factory.mktemp("paged") / "site"
    content = Path(__file__).parent.parent / "content"
    build_site(content, site, search=False, jobs=1, incremental=False, config=SiteConfig(parks_per_page=1))
    with serving(site) as url:
        yield url


@pytest.mark.parametrize("path", ["/years/2022/page/2/", "/en/quality/page/2/", "/quality/"])
def test_a11y_pages_of_a_paged_list(browser: object, paged_url: str, path: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 800})  # type: ignore[attr-defined]
    page.goto(paged_url + path, wait_until="networkidle")
    assert page.locator("nav.pager").count() == 1
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    page.close()
    # Also the moderate landmark rules: the pager above the list is the page's only pager landmark.
    assert [v for v in violations if v["impact"] in ("serious", "critical") or v["id"].startswith("landmark")] == []
