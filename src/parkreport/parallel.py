"""Render pages over several processes, reusing pages whose inputs did not change.

Jinja rendering is CPU-bound Python, so pages are rendered in worker
processes (``fork``: the corpus, the page specs and the compiled Jinja
environments are inherited, never pickled). A page's context is built in
the worker that renders it (``RenderGroup.page_of``), so the main process
never holds every context at once. Results come back in the order of the
pages, so the output is identical whatever the number of workers. Where
``fork`` is unavailable (Windows) or one worker is asked for, pages are
rendered in this process.

With a staging tree (see :mod:`parkreport.write`), each worker writes the
pages it renders straight into it and scans their links and anchors (see
:mod:`parkreport.links`); only the file's name, hash, stamp and scan come
back to the main process.

Each page gets a *context digest*: a hash of everything its HTML is made of
(template name, path, title, description, typed context, site info). When a
previous build rendered the same digest into a file that is still in the
previous site with the size and mtime it was published with, that file is
kept (hard-linked) without being read, with its recorded hash and scan; the
build key (templates, theme, options; see :mod:`parkreport.cache`) covers
everything else a template sees.

A group may have *variants* (the site's other language editions): pages
made from each of the group's pages by a pure function. A variant page is
rendered where its base page is, and its digest is the base page's digest
combined with the variant's ``salt`` (a hash of everything the function
reads besides the page); so an unchanged page of the default edition keeps
its translations without building or hashing them again.

A group may also know each page's *scope digest* before building it
(``RenderGroup.scope_of``; see :mod:`parkreport.scopes`): a hash of every
input the page can read. A page whose scope digest is the one the previous
build recorded, with its variants, is kept without its context being built
or hashed; only when that fails is the context digest consulted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import multiprocessing
import os
import pickle
import signal
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment
from pydantic import BaseModel

from .links import PageScan, scan_html
from .pages import Page, SiteInfo, output_file_of
from .render import render_template
from .write import StagedFile, keep_previous_file, stage_file

CHUNK = 64  # pages per task sent to a worker


EnvironmentSource = Environment | Callable[[], Environment]  # an environment, or a factory called once per process


@dataclass(frozen=True)
class Variant:
    """Another version of each page of a group (another language edition), rendered with its own environment.

    ``page_of`` makes the variant of one of the group's pages and must be a
    pure function of that page and of what ``salt`` hashes; ``path_of`` gives
    the variant's path of a page's path without making the page.
    """

    environment: EnvironmentSource
    site: SiteInfo
    page_of: Callable[[Page], Page]
    path_of: Callable[[str], str]
    salt: str


@dataclass(frozen=True)
class RenderGroup:
    """Pages rendered with one Jinja environment (one edition of the site), and their variants.

    ``pages`` are :class:`Page` objects, or specs that ``page_of`` turns into
    pages where they are rendered. ``scope_of`` gives an item's scope digest
    (None when it has none); it must cover every input the item's page and
    its variants' pages are made of, besides the variants' salts.
    """

    pages: Sequence[Any]
    environment: EnvironmentSource
    site: SiteInfo
    page_of: Callable[[Any], Page] | None = None
    variants: tuple[Variant, ...] = ()
    scope_of: Callable[[Any], str | None] | None = None


PageRecord = tuple[str, str, str | None]  # a page's context digest, the hash of its HTML, its scope digest (or None)


@dataclass(frozen=True)
class PreviousSite:
    """What the last build published: where, each page's record, each file's stamp, each sha's scan."""

    root: Path | None
    pages: Mapping[str, PageRecord] = field(default_factory=dict)
    stamps: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # output file -> (size, mtime_ns)
    scans: Mapping[str, PageScan] = field(default_factory=dict)  # output sha -> links and anchors


@dataclass(frozen=True)
class RenderedPage:
    output_file: str
    html: bytes | None  # None when the worker wrote it into the staging tree
    digest: str | None  # context digest; None when the context cannot be hashed
    output_sha: str
    reused: bool  # taken from the previous site instead of rendered
    scan: PageScan | None = None  # its ids and links, when rendered and staged by the worker (see PreviousSite.scans)
    staged: StagedFile | None = None
    scope: str | None = None  # scope digest, when its group gives one


@dataclass
class _Renderer:
    """What a worker (or this process) needs: the groups, the previous site, and where to stage."""

    groups: Sequence[RenderGroup]
    previous: PreviousSite
    staging_root: Path | None
    environments: dict[tuple[int, int], Environment] = field(default_factory=dict)

    def render_range(self, task: tuple[int, int, int]) -> list[RenderedPage]:
        group_index, start, stop = task
        group = self.groups[group_index]
        return [rendered for item in group.pages[start:stop] for rendered in self.render_item(group_index, group, item)]

    def render_item(self, group_index: int, group: RenderGroup, item: Any) -> list[RenderedPage]:
        """One page of a group, then each of its variants; kept unbuilt when their scope is unchanged."""
        scope = group.scope_of(item) if group.scope_of is not None else None
        if scope is not None and self.staging_root is not None:
            kept = self._keep_scope(group, item, scope)
            if kept is not None:
                return kept
        page = group.page_of(item) if group.page_of is not None else item
        digest = context_digest(page, group.site)
        rendered = [self.render_one((group_index, 0), group.environment, group.site, page, page.output_file, digest)]
        for number, variant in enumerate(group.variants, start=1):
            variant_digest = _salted(variant.salt, digest)
            rendered.append(self.render_one((group_index, number), variant.environment, variant.site,
                                            partial(variant.page_of, page), output_file_of(variant.path_of(page.path)),
                                            variant_digest))
        if scope is not None:
            scopes = [scope] + [_salted(variant.salt, scope) for variant in group.variants]
            rendered = [dataclasses.replace(page, scope=own) for page, own in zip(rendered, scopes)]
        return rendered

    def _keep_scope(self, group: RenderGroup, item: Any, scope: str) -> list[RenderedPage] | None:
        """An item's page and its variants, all kept from the previous site unbuilt, or None if one cannot be."""
        outputs: list[tuple[str, str | None]] = [(item.output_file, scope)]
        outputs += [(output_file_of(variant.path_of(item.path)), _salted(variant.salt, scope)) for variant in group.variants]
        records = [self.previous.pages.get(output_file) for output_file, _ in outputs]
        if any(record is None or record[2] != own for record, (_, own) in zip(records, outputs)):
            return None
        kept: list[RenderedPage] = []
        for record, (output_file, own) in zip(records, outputs):
            assert record is not None
            page = self._keep(output_file, record[0])
            if page is None:  # rendered after all: staging its files replaces the links already made
                return None
            kept.append(dataclasses.replace(page, scope=own))
        return kept

    def render_one(self, environment_key: tuple[int, int], environment: EnvironmentSource, site: SiteInfo,
                   page: Page | Callable[[], Page], output_file: str, digest: str | None) -> RenderedPage:
        """A page kept from the previous site when its digest is unchanged, else rendered (``page`` may be a maker)."""
        if self.staging_root is not None:
            kept = self._keep(output_file, digest)
            if kept is not None:
                return kept
        elif (reused := self._reuse(output_file, digest)) is not None:
            return RenderedPage(output_file, reused, digest, self.previous.pages[output_file][1], True)
        if not isinstance(page, Page):
            page = page()
        html = render_template(self._environment(environment_key, environment), page.template,
                               {"page": page, "ctx": page.context, "site": site}).encode("utf-8")
        sha = hashlib.sha256(html).hexdigest()
        if self.staging_root is None:
            return RenderedPage(output_file, html, digest, sha, False)
        staged = stage_file(self.staging_root, self.previous.root, output_file, html)
        return RenderedPage(output_file, None, digest, sha, False, scan_html(html), staged)

    def _environment(self, key: tuple[int, int], made: EnvironmentSource) -> Environment:
        if key not in self.environments:
            self.environments[key] = made if isinstance(made, Environment) else made()
        return self.environments[key]

    def _keep(self, output_file: str, digest: str | None) -> RenderedPage | None:
        """Keep the previous site's file, unread, when its context and its stamp are unchanged."""
        previous, root = self.previous.pages.get(output_file), self.previous.root
        if digest is None or previous is None or previous[0] != digest or root is None:
            return None
        stamp, scan = self.previous.stamps.get(output_file), self.previous.scans.get(previous[1])
        if stamp is None or scan is None:
            return None
        info = _regular_stat(os.path.join(root, output_file))
        if info is None or (info.st_size, info.st_mtime_ns) != stamp:
            return None
        staged = keep_previous_file(self.staging_root, root, output_file, info) if self.staging_root else None
        if staged is None or staged.stamp != stamp:
            return None
        return RenderedPage(output_file, None, digest, previous[1], True, None, staged)  # its scan: the previous one

    def _reuse(self, output_file: str, digest: str | None) -> bytes | None:
        """The previous build's bytes of this page, if its context is unchanged and the file is intact."""
        previous = self.previous.pages.get(output_file)
        if digest is None or previous is None or self.previous.root is None or previous[0] != digest:
            return None
        try:
            data = (self.previous.root / output_file).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == previous[1] else None


def _regular_stat(path: str) -> os.stat_result | None:
    """The ``lstat`` of a regular file (not followed through a symlink), or None."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info if stat.S_ISREG(info.st_mode) else None


class _DigestPickler(pickle.Pickler):
    """Pickles content models and dataclasses by their field values alone.

    A pydantic model's pickle also holds the set of fields that were given,
    whose order follows the per-process string hash: two builds of the same
    content would never agree. Templates see field values only. Dataclasses
    (the page contexts and their views) are reduced here too, in one call,
    rather than through ``__reduce_ex__`` and ``__getstate__``.
    """

    def reducer_override(self, obj: Any) -> Any:
        kind = type(obj)
        names = _DATACLASS_FIELDS.get(kind)
        if names is None:
            names = _DATACLASS_FIELDS[kind] = _field_names(kind)
        if names:
            return _model_values, (kind.__module__, kind.__qualname__, tuple([getattr(obj, name) for name in names]))
        if isinstance(obj, BaseModel):
            return _model_values, (kind.__module__, kind.__qualname__, tuple(obj.__dict__.items()))
        return NotImplemented


_DATACLASS_FIELDS: dict[type, tuple[str, ...]] = {}  # each type's dataclass fields; empty for other types


def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else ()


def _model_values(*values: object) -> object:  # never called: digests are never unpickled
    return values


def context_digest(page: Page, site: SiteInfo) -> str | None:
    """A hash of what a page's HTML is made of, or None if it cannot be serialised."""
    try:
        return value_digest((page, site))
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):  # ValueError: a cycle
        return None


def _salted(salt: str, digest: str | None) -> str | None:
    """A variant page's digest: its base page's, combined with what else the variant is made of."""
    return None if digest is None else hashlib.sha256(f"{salt}\0{digest}".encode()).hexdigest()


def value_digest(value: object) -> str:
    """A hash of a value's pickle (content models by their field values); raises if it cannot be pickled."""
    stream = io.BytesIO()
    pickler = _DigestPickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    # No memo: with one, the bytes would follow which values happen to be the same object,
    # and that depends on what the formatting caches of this worker process saw before.
    pickler.fast = True
    pickler.dump(value)
    return hashlib.sha256(stream.getbuffer()).hexdigest()


def default_jobs() -> int:
    return os.cpu_count() or 1


_WORKER: _Renderer | None = None  # the renderer a forked worker inherits


def _work(task: tuple[int, int, int]) -> list[RenderedPage]:
    assert _WORKER is not None
    return _WORKER.render_range(task)


def _die_with_parent(parent: int) -> None:
    """Make a worker end with the build that forked it (Linux), even when that build is killed.

    A worker holds the build's lock, inherited; if it outlived a killed
    build, the next build would find the site locked until the worker ended.
    SIGTERM and SIGHUP end a worker too (the pool stops its workers with
    SIGTERM), whatever handler the build had for them (``parkreport serve``
    stops cleanly on them). Ctrl-C, which a terminal sends to every process
    of the command, is left to the build: it stops the pool, and a worker
    does not print a traceback of its own.
    """
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def render_groups(groups: Sequence[RenderGroup], jobs: int | None = None, previous: PreviousSite | None = None,
                  staging_root: Path | None = None) -> Iterator[RenderedPage]:
    """Every page of every group, in order; rendered over ``jobs`` processes (default: all cores).

    With ``staging_root``, pages are written there by the workers and come
    back without their bytes, with their scans.
    """
    global _WORKER
    renderer = _Renderer(groups, previous or PreviousSite(None), staging_root)
    tasks = [(index, start, min(start + CHUNK, len(group.pages)))
             for index, group in enumerate(groups) for start in range(0, len(group.pages), CHUNK)]
    workers = min(jobs or default_jobs(), len(tasks))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for task in tasks:
            yield from renderer.render_range(task)
        return
    _WORKER = renderer
    try:
        with multiprocessing.get_context("fork").Pool(workers, _die_with_parent, (os.getpid(),)) as pool:
            for rendered in pool.imap(_work, tasks):
                yield from rendered
    finally:
        _WORKER = None
