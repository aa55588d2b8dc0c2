"""Lazy planning: page specs give the eager plan's pages, and workers stage pages with their link scans."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from parkreport.derive import derive
from parkreport.editions import configure_environment, edition_filters, site_editions
from parkreport.links import scan_html
from parkreport.pages import SiteInfo, page_of, plan_pages, plan_specs
from parkreport.parallel import RenderGroup, render_groups
from parkreport.render import SiteUrls, make_environment
from parkreport.siteindex import SiteIndex
from parkreport.validate import load_corpus

ROOT = Path(__file__).resolve().parents[1]


def test_parallel_specs_build_exactly_the_eager_plan() -> None:
    corpus = load_corpus(ROOT / "content")
    derived = derive(corpus)
    site = SiteInfo()
    index = SiteIndex(corpus, derived).prepare()
    specs = plan_specs(index)
    pages = plan_pages(corpus, derived, site)
    assert [spec.path for spec in specs] == [page.path for page in pages]
    assert [spec.output_file for spec in specs] == [page.output_file for page in pages]
    assert [(spec.kind, spec.template) for spec in specs] == [(page.kind, page.template) for page in pages]
    assert [page_of(index, spec, site) for spec in specs] == pages


def test_parallel_workers_stage_pages_and_send_back_their_scans(tmp_path: Path) -> None:
    corpus = load_corpus(ROOT / "tests" / "fixtures" / "mini")
    index = SiteIndex(corpus, derive(corpus)).prepare()
    specs = plan_specs(index)
    editions = site_editions()
    env = configure_environment(make_environment(None, SiteUrls()), editions[0], editions, SiteUrls(),
                                edition_filters(editions[0], corpus.units))
    group = RenderGroup(specs, env, SiteInfo(), partial(page_of, index, site=SiteInfo()))
    staged = tmp_path / "staging"
    staged.mkdir()
    rendered = list(render_groups([group], jobs=2, staging_root=staged))
    assert [item.output_file for item in rendered] == [spec.output_file for spec in specs]
    for item in rendered:
        data = (staged / item.output_file).read_bytes()
        assert item.html is None and item.staged is not None and item.staged.written
        assert item.scan == scan_html(data)
        assert item.staged.stamp[0] == len(data)
    in_memory = list(render_groups([group], jobs=1))
    assert [item.html for item in in_memory] == [(staged / item.output_file).read_bytes() for item in rendered]
