"""Publishing under a sub-path (--base-url) and the GitHub Pages workflow in README.

A site built for ``https://example.org/sub/path/`` must work when its files
are served from that path: every internal link resolves under the prefix
(checked with the build's own link checker on the written files), and the
search page fetches its index and links its results under the prefix too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from parkreport.build import build_site
from parkreport.cli import main
from parkreport.links import check_links, scan_page

from .conftest import ROOT
from .test_search_browser import chromium, result_paths, serve_directory

BASE_URL = "https://example.org/sub/path/"
PREFIX = "/sub/path/"
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built for a sub-path, placed at that path under a web root."""
    root = tmp_path_factory.mktemp("webroot")
    build_site(ROOT / "content", root / PREFIX.strip("/"), templates_dir=ROOT / "templates", base_url=BASE_URL)
    return root


def _written(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_publish_every_internal_link_resolves_under_the_sub_path(published: Path) -> None:
    files = _written(published / PREFIX.strip("/"))
    assert check_links(files, BASE_URL) == []
    assert check_links(files, PREFIX) == []


def test_publish_no_link_escapes_the_sub_path(published: Path) -> None:
    site = published / PREFIX.strip("/")
    for page in site.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        _, links = scan_page(page.read_text(encoding="utf-8"))
        rooted = [link for link in links if link.startswith("/") and not link.startswith("//")]
        assert all(link.startswith(PREFIX) for link in rooted), (page, [l for l in rooted if not l.startswith(PREFIX)])
    search_page = (site / "search/index.html").read_text(encoding="utf-8")
    assert f'data-ui-script="{PREFIX}pagefind/pagefind-ui.js"' in search_page
    assert (site / "pagefind/pagefind-ui.js").is_file() and (site / "pagefind/pagefind-ui.css").is_file()


def test_publish_the_link_check_notices_a_site_built_for_another_path(published: Path) -> None:
    files = _written(published / PREFIX.strip("/"))
    assert check_links(files, "/elsewhere/"), "links to /sub/path/ must be broken for a site at /elsewhere/"


def test_publish_search_works_under_the_sub_path(published: Path) -> None:
    with serve_directory(published) as origin, chromium() as browser:
        page: Any = browser.new_page()
        failed: list[str] = []
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.goto(f"{origin}{PREFIX}search/?q=濮阳")
        paths = result_paths(page)
        assert f"{PREFIX}parks/puyang/" in paths[:2]
        assert all(path.startswith(PREFIX) for path in paths)
        page.click(f"a[href='{PREFIX}parks/puyang/']")
        page.wait_for_url(f"**{PREFIX}parks/puyang/")
        assert "濮阳" in page.inner_text("h1")
        page.close()
        assert failed == []


def test_publish_cli_builds_for_a_path_given_without_host(tmp_path: Path) -> None:
    output = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", "--content", str(ROOT / "tests/fixtures/mini"),
                                       "--templates", str(tmp_path / "none"), "-o", str(output), "--base-url", PREFIX])
    assert result.exit_code == 0, result.output
    assert check_links(_written(output), PREFIX) == []
    assert f'href="{PREFIX}static/style.css"' in (output / "index.html").read_text(encoding="utf-8")


def test_publish_workflow_is_valid_and_builds_for_the_pages_address() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    commands = [step["run"] for step in steps if "run" in step]
    build = next(command for command in commands if "parkreport build" in command)
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in build
    assert "parkreport check" in commands
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_publish_readme_shows_the_workflow_file_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    assert WORKFLOW.read_text(encoding="utf-8") in blocks, "README's workflow differs from .github/workflows/pages.yml"
