"""Parallel rendering: any number of processes gives the same site, byte for byte."""

from __future__ import annotations

from pathlib import Path

from jinja2 import DictLoader, Environment

from parkreport.build import build_site
from parkreport.pages import Page, SiteInfo
from parkreport.parallel import CHUNK, RenderGroup, context_digest, render_groups
from parkreport.render import SiteUrls, make_environment

ROOT = Path(__file__).resolve().parents[1]


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_parallel_site_identical_to_one_process(tmp_path: Path) -> None:
    one = build_site(ROOT / "content", tmp_path / "one", search=False, jobs=1, incremental=False)
    three = build_site(ROOT / "content", tmp_path / "three", search=False, jobs=3, incremental=False)
    assert one.pages == three.pages > 50
    assert tree(tmp_path / "one") == tree(tmp_path / "three")


def test_parallel_results_keep_page_order_across_chunks() -> None:
    pages = [Page(f"/n/{number}/", "404", "404.html", f"page {number}", None) for number in range(CHUNK * 2 + 5)]

    # A stand-in template: the order and the machinery matter here, not the theme.
    def factory() -> Environment:
        env = make_environment(None, SiteUrls())
        env.loader = DictLoader({"404.html": "{{ page.title }}"})
        return env

    group = RenderGroup(pages, factory, SiteInfo())
    rendered = list(render_groups([group, group], jobs=2))
    assert [item.html.decode() for item in rendered] == [page.title for page in pages] * 2
    assert not any(item.reused for item in rendered)


def test_parallel_digest_changes_with_the_context() -> None:
    site = SiteInfo()
    first = Page("/a/", "404", "404.html", "title", ("x", 1))
    assert context_digest(first, site) == context_digest(Page("/a/", "404", "404.html", "title", ("x", 1)), site)
    assert context_digest(first, site) != context_digest(Page("/a/", "404", "404.html", "title", ("x", 2)), site)
    assert context_digest(first, site) != context_digest(first, SiteInfo(title="other"))
