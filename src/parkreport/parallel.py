"""Render pages over several processes, reusing pages whose inputs did not change.

Jinja rendering is CPU-bound Python, so pages are rendered in worker
processes (``fork``: the planned pages and the environment factories are
inherited, never pickled; each worker builds each Jinja environment once).
Results come back in the order of the pages, so the output is identical
whatever the number of workers. Where ``fork`` is unavailable (Windows) or
one worker is asked for, pages are rendered in this process.

Each page gets a *context digest*: a hash of everything its HTML is made of
(template name, path, title, description, typed context, site info). When a
previous build rendered the same digest into bytes that are still in the
previous site, unchanged, those bytes are reused instead of rendering again;
the build key (templates, theme, options; see :mod:`parkreport.cache`)
covers everything else a template sees.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from pydantic import BaseModel

from .pages import Page, SiteInfo
from .render import render_template

CHUNK = 64  # pages per task sent to a worker


@dataclass(frozen=True)
class RenderGroup:
    """Pages rendered with one Jinja environment (one edition of the site)."""

    pages: Sequence[Page]
    environment: Callable[[], Environment]
    site: SiteInfo


@dataclass(frozen=True)
class RenderedPage:
    output_file: str
    html: bytes
    digest: str | None  # context digest; None when the context cannot be hashed
    output_sha: str
    reused: bool  # taken from the previous site instead of rendered


@dataclass
class _Renderer:
    """What a worker (or this process) needs: the groups, what can be reused, and environments made on demand."""

    groups: Sequence[RenderGroup]
    previous_dir: Path | None
    known: Mapping[str, tuple[str, str]]  # output file -> (context digest, output sha) of the previous build
    environments: dict[int, Environment] = field(default_factory=dict)

    def render_range(self, task: tuple[int, int, int]) -> list[RenderedPage]:
        group_index, start, stop = task
        group = self.groups[group_index]
        return [self.render_one(group_index, group, page) for page in group.pages[start:stop]]

    def render_one(self, group_index: int, group: RenderGroup, page: Page) -> RenderedPage:
        digest = context_digest(page, group.site)
        reused = self._reuse(page.output_file, digest)
        if reused is not None:
            return RenderedPage(page.output_file, reused, digest, self.known[page.output_file][1], True)
        if group_index not in self.environments:
            self.environments[group_index] = group.environment()
        html = render_template(self.environments[group_index], page.template,
                               {"page": page, "ctx": page.context, "site": group.site}).encode("utf-8")
        return RenderedPage(page.output_file, html, digest, hashlib.sha256(html).hexdigest(), False)

    def _reuse(self, output_file: str, digest: str | None) -> bytes | None:
        """The previous build's bytes of this page, if its context is unchanged and the file is intact."""
        previous = self.known.get(output_file)
        if digest is None or previous is None or previous[0] != digest or self.previous_dir is None:
            return None
        try:
            data = (self.previous_dir / output_file).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == previous[1] else None


class _DigestPickler(pickle.Pickler):
    """Pickles content models by their field values alone.

    A pydantic model's pickle also holds the set of fields that were given,
    whose order follows the per-process string hash: two builds of the same
    content would never agree. Templates see field values only.
    """

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            return _model_values, (type(obj).__module__, type(obj).__qualname__, tuple(obj.__dict__.items()))
        return NotImplemented


def _model_values(*values: object) -> object:  # never called: digests are never unpickled
    return values


def context_digest(page: Page, site: SiteInfo) -> str | None:
    """A hash of what a page's HTML is made of, or None if it cannot be serialised."""
    stream = io.BytesIO()
    try:
        _DigestPickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump((page, site))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.sha256(stream.getbuffer()).hexdigest()


def default_jobs() -> int:
    return os.cpu_count() or 1


_WORKER: _Renderer | None = None  # the renderer a forked worker inherits


def _work(task: tuple[int, int, int]) -> list[RenderedPage]:
    assert _WORKER is not None
    return _WORKER.render_range(task)


def render_groups(groups: Sequence[RenderGroup], jobs: int | None = None, previous_dir: Path | None = None,
                  known: Mapping[str, tuple[str, str]] | None = None) -> Iterator[RenderedPage]:
    """Every page of every group, in order; rendered over ``jobs`` processes (default: all cores)."""
    global _WORKER
    renderer = _Renderer(groups, previous_dir, known or {})
    tasks = [(index, start, min(start + CHUNK, len(group.pages)))
             for index, group in enumerate(groups) for start in range(0, len(group.pages), CHUNK)]
    workers = min(jobs or default_jobs(), len(tasks))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for task in tasks:
            yield from renderer.render_range(task)
        return
    _WORKER = renderer
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for rendered in pool.imap(_work, tasks):
                yield from rendered
    finally:
        _WORKER = None
