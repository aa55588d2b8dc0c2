"""Parallel rendering: any number of processes gives the same site, byte for byte."""

from __future__ import annotations

import multiprocessing
import os
import signal
from dataclasses import replace
from pathlib import Path

from jinja2 import DictLoader, Environment

from parkreport.build import build_site
from parkreport.pages import Page, SiteInfo
from parkreport.parallel import (
    CHUNK,
    PreviousSite,
    RenderGroup,
    Variant,
    _die_with_parent,
    context_digest,
    render_groups,
)
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


def _stand_in_environment() -> Environment:
    env = make_environment(None, SiteUrls())
    env.loader = DictLoader({"404.html": "{{ page.title }}"})
    return env


def _translate(page: Page) -> Page:
    return Page("/en" + page.path, page.kind, page.template, page.title.upper(), page.context)


def _untranslatable(page: Page) -> Page:
    raise AssertionError(f"{page.path}: a kept variant must not be made again")


def test_parallel_variant_of_an_unchanged_page_is_kept_without_being_made(tmp_path: Path) -> None:
    pages = [Page(f"/n/{number}/", "404", "404.html", f"page {number}", ("context", number)) for number in range(3)]
    english = Variant(_stand_in_environment, SiteInfo(language="en"), _translate, lambda path: "/en" + path, "salt-1")
    group = RenderGroup(pages, _stand_in_environment, SiteInfo(), variants=(english,))
    first = list(render_groups([group], jobs=1))
    assert [(item.output_file, item.html) for item in first] == [
        (f"{prefix}n/{number}/index.html", title.encode())
        for number in range(3) for prefix, title in (("", f"page {number}"), ("en/", f"PAGE {number}"))]
    root = tmp_path / "site"
    for item in first:
        (root / item.output_file).parent.mkdir(parents=True, exist_ok=True)
        (root / item.output_file).write_bytes(item.html or b"")
    previous = PreviousSite(root, {item.output_file: (item.digest or "", item.output_sha) for item in first})

    kept = RenderGroup(pages, _stand_in_environment, SiteInfo(),
                       variants=(replace(english, page_of=_untranslatable),))
    again = list(render_groups([kept], jobs=1, previous=previous))
    assert all(item.reused for item in again) and [item.html for item in again] == [item.html for item in first]

    # What the variant is made of besides the page (its salt) changed: every variant page is made again.
    resalted = RenderGroup(pages, _stand_in_environment, SiteInfo(), variants=(replace(english, salt="salt-2"),))
    redone = list(render_groups([resalted], jobs=1, previous=previous))
    assert [item.reused for item in redone] == [True, False] * 3
    # A changed page is made again in every variant.
    edited = [pages[0], replace(pages[1], context=("context", "edited")), pages[2]]
    changed = list(render_groups([RenderGroup(edited, _stand_in_environment, SiteInfo(), variants=(english,))], jobs=1,
                                 previous=previous))
    assert [item.reused for item in changed] == [True, True, False, False, True, True]


def _ends_on_sigterm_and_sighup_and_leaves_ctrl_c_to_the_build() -> bool:
    return (signal.getsignal(signal.SIGTERM) == signal.SIG_DFL and signal.getsignal(signal.SIGHUP) == signal.SIG_DFL
            and signal.getsignal(signal.SIGINT) == signal.SIG_IGN)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def test_parallel_workers_end_on_sigterm_whatever_the_build_handles() -> None:
    """``parkreport serve`` turns SIGTERM into a clean stop; the pool's workers, which it stops with SIGTERM, must just end.

    Ctrl-C reaches every process of the command; the build stops the pool, so a worker ignores it (no traceback of its own).
    """
    previous = {signum: signal.signal(signum, _raise_interrupt) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        with multiprocessing.get_context("fork").Pool(1, _die_with_parent, (os.getpid(),)) as pool:
            assert pool.apply(_ends_on_sigterm_and_sighup_and_leaves_ctrl_c_to_the_build)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _signal_reporting_environment() -> Environment:
    env = make_environment(None, SiteUrls())
    env.globals["worker_signals"] = _ends_on_sigterm_and_sighup_and_leaves_ctrl_c_to_the_build
    env.loader = DictLoader({"404.html": "{{ worker_signals() }}"})
    return env


def test_parallel_render_workers_end_on_sigterm_and_leave_ctrl_c_to_the_build() -> None:
    """The workers that render a build's pages are set up so, not only a pool made in the test."""
    pages = [Page(f"/n/{number}/", "404", "404.html", f"page {number}", None) for number in range(CHUNK * 2)]
    rendered = list(render_groups([RenderGroup(pages, _signal_reporting_environment, SiteInfo())], jobs=2))
    assert {item.html for item in rendered} == {b"True"}
    assert {item.html for item in render_groups([RenderGroup(pages[:1], _signal_reporting_environment, SiteInfo())],
                                                jobs=1)} == {b"False"}  # in this process, nothing is changed
