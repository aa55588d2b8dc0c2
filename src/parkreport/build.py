"""Build the site: load → validate → derive → plan → render → write → post-process.

:func:`build_site` runs the whole pipeline and returns a :class:`BuildResult`.
Pages are planned as cheap specs; each page's context is built, rendered,
written into a staging tree and scanned for links by the worker process
that renders it (see :mod:`parkreport.parallel`), so the main process never
holds the whole site. Every internal link and anchor is checked before the
output directory is touched; the output is then replaced atomically (see
:mod:`parkreport.write`), so a failed build leaves the previous site
exactly as it was.

The library never prints: progress is reported through ``on_event``.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from jinja2 import BytecodeCache, Environment, TemplateError

from .cache import Incremental
from .config import SiteConfig, apply_headline_metrics
from .corpus import Corpus
from .derive import Derived, derive
from .editions import (
    EditionSite,
    configure_environment,
    edition_filters,
    edition_sites,
    site_editions,
)
from .errors import BuildError, BuildStopped
from .export import BlockStore, FileData, export_files
from .feeds import FeedEntry, atom_feed, feed_order, robots_txt, sitemap_files
from .links import LinkChecker
from .load import MAX_SOURCE_BYTES
from .model import Report
from .pages import PageSpec, SiteInfo, page_of, plain_text, plan_specs
from .parallel import PreviousSite, RenderGroup, Variant, render_groups, value_digest
from .render import THEME_DIR, SiteUrls, make_environment
from .scopes import scope_digests
from .search import SEARCH_DIR, SearchIndex, index_site, search_names
from .siteindex import SiteIndex
from .units import UnitRegistry
from .validate import load_corpus
from .write import SiteStaging, WriteStats, output_lock

STATIC_DIR = "static"


@dataclass(frozen=True)
class BuildEvent:
    """A step of the build, for progress display: ``stage`` and a short message."""

    stage: str
    message: str


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    output_dir: Path
    pages_by_kind: dict[str, int]
    files: WriteStats
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    search: SearchIndex | None = None  # None when built without search
    rendered: int = 0  # pages rendered by this build; the others were kept from the last one

    @property
    def pages(self) -> int:
        return sum(self.pages_by_kind.values())


EventHandler = Callable[[BuildEvent], None]


def site_info(config: SiteConfig) -> SiteInfo:
    """What pages show of the site's configuration (``parkreport.yaml``)."""
    defaults = SiteInfo()
    return SiteInfo(
        title=config.title,
        description=config.description or defaults.description,
        language=config.language,
        author=config.author,
        license=config.license,
    )


def _source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible builds), if set; a bad value is a build error."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise BuildError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got '{value}'")
    return int(value)


def check_output_location(output_dir: Path, content_dir: Path, templates_dir: Path | None) -> None:
    """Refuse an output directory whose replacement would destroy the sources.

    The output is replaced as a whole, so it must not be (or contain) the
    content or templates, nor the working directory or one of its parents.
    """
    output = output_dir.resolve()
    protected = [("content", content_dir), ("working", Path.cwd())]
    if templates_dir is not None:
        protected.append(("templates", templates_dir))
    for name, folder in protected:
        folder = folder.resolve()
        if output == folder or folder.is_relative_to(output) or (name != "working" and output.is_relative_to(folder)):
            raise BuildError(
                f"refusing to build into {output_dir}: it would replace the {name} directory {folder}; choose another output"
            )


def read_removed_texts(content_dir: Path, reports: Iterable[Report]) -> dict[str, str]:
    """The site chrome ingest removed from each source (``sources/<id>.removed.txt``), if kept."""
    removed = {}
    for report in reports:
        path = content_dir / "sources" / report.removed_file
        if path.is_file() and path.stat().st_size <= MAX_SOURCE_BYTES:
            removed[report.id] = path.read_text(encoding="utf-8", errors="replace")
    return removed


def static_files(templates_dir: Path | None) -> dict[str, bytes]:
    """The theme's static assets, overridden file by file by the project's ``templates/static``."""
    files: dict[str, bytes] = {}
    roots = [THEME_DIR / STATIC_DIR]
    if templates_dir is not None:
        roots.append(Path(templates_dir) / STATIC_DIR)
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[f"{STATIC_DIR}/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return files


def rendered_groups(groups: list[RenderGroup], cache: Incremental, jobs: int | None, staging: SiteStaging,
                    checker: LinkChecker, notify: EventHandler) -> None:
    """Every page over ``jobs`` processes, written by them into ``staging``; kept from the previous site when unchanged.

    The workers send back each page's hash, stamp and links (a kept page's
    links are the previous build's scan of it); this process only records them.
    """
    previous = PreviousSite(cache.output_dir if cache.output_dir.is_dir() else None, cache.known_pages,
                            cache.previous.outputs if cache.previous is not None else {}, cache.previous_scans())
    for rendered in render_groups(groups, jobs, previous, staging.root):
        assert rendered.staged is not None
        scan = (cache.shared(rendered.output_sha, rendered.scan) if rendered.scan is not None
                else previous.scans[rendered.output_sha])
        staging.record(rendered.output_file, rendered.staged)
        checker.add_scan(rendered.output_file, scan)
        cache.record(rendered.output_file, rendered.digest, rendered.output_sha, scan, rendered.scope)
        cache.rendered += not rendered.reused
        notify(BuildEvent("page", rendered.output_file))


def shared_files(corpus: Corpus, derived: Derived, sitemap_paths: list[str], entries: list[FeedEntry], urls: SiteUrls,
                 site: SiteInfo, templates_dir: Path | None, blocks: BlockStore | None = None) -> Iterator[tuple[str, FileData]]:
    """Theme assets, downloads, the sitemaps of ``sitemap_paths``, the feed of ``entries`` and robots.txt.

    Large downloads come in pieces, their parks' rows kept in ``blocks``
    between builds (see :func:`~parkreport.export.export_files`).
    """
    yield from static_files(templates_dir).items()
    yield from export_files(corpus, derived, urls.absolute, blocks)
    for name, text in sitemap_files(urls, sitemap_paths):
        yield name, text.encode()
    yield "feed.xml", atom_feed(urls, site.title, entries, _source_date_epoch()).encode()
    yield "robots.txt", robots_txt(urls).encode()


def spec_feed_entries(corpus: Corpus, specs: list[PageSpec], limit: int) -> list[FeedEntry]:
    """The feed's entries, from the plan without building the pages: the ``limit`` newest report pages."""
    reports = [(spec.path, corpus.reports[str(spec.key[0])]) for spec in specs if spec.kind == "report"]
    newest = sorted(reports, key=lambda item: feed_order(item[1].published, item[0]), reverse=True)[:limit]
    return [FeedEntry(path, report.title, report.published, plain_text(report.summary), report.author, report.publisher)
            for path, report in newest]


def build_site(
    content_dir: Path | str,
    output_dir: Path | str,
    *,
    templates_dir: Path | str | None = None,
    base_url: str = "/",
    on_event: EventHandler | None = None,
    config: SiteConfig | None = None,
    search: bool = True,
    jobs: int | None = None,
    incremental: bool = True,
    stop: threading.Event | None = None,
) -> BuildResult:
    """Build the site of ``content_dir`` into ``output_dir``.

    ``config`` (``parkreport.yaml``) gives the site's title, description,
    headline metrics and stall threshold; ``base_url`` wins over its own.
    ``search`` indexes the pages with Pagefind (see :mod:`parkreport.search`)
    into ``pagefind/``, written with the pages in the same atomic step; its
    time is ``result.search.seconds`` (and ``timings["search"]``).

    Pages render over ``jobs`` processes (default: every core). With
    ``incremental`` (see :mod:`parkreport.cache`), a build whose inputs are
    unchanged does nothing, and pages whose context is unchanged are not
    rendered again; the output is byte-identical to a clean build.

    Raises :class:`ContentError` (with every problem) when the content does
    not validate, :class:`BuildLockedError` when another build holds the
    output, and :class:`BuildError` for anything else; in every case the
    previous output is left untouched.
    """
    started = time.perf_counter()
    content_dir, output_dir = Path(content_dir), Path(output_dir)
    templates = Path(templates_dir) if templates_dir is not None else None
    config = config or SiteConfig()
    stages = _Stages(_stoppable(on_event or (lambda event: None), stop))
    check_output_location(output_dir, content_dir, templates)
    with output_lock(output_dir), _COLLECTOR.paused() as settle:
        cache = Incremental(output_dir, content_dir, templates, (base_url, config, search, _source_date_epoch()), incremental)
        if cache.unchanged() and cache.previous is not None:
            stages.start("check", "nothing changed since the last build")
            files = len(cache.previous.outputs)
            return BuildResult(output_dir, cache.previous.pages_by_kind, WriteStats(0, files, 0), time.perf_counter() - started)
        stages.start("load", f"loading {content_dir}")
        corpus = apply_headline_metrics(config, load_corpus(content_dir, cache.content_cache_dir))
        stages.start("derive", f"deriving summaries of {len(corpus.reports)} reports")
        derived = derive(corpus, stall_months=config.stall_months)
        stages.start("plan", "planning pages")
        site = site_info(config)
        index = SiteIndex(corpus, derived, read_removed_texts(content_dir, corpus.reports.values()), config.parks_per_page).prepare()
        specs = plan_specs(index)
        scopes = scope_digests(corpus, derived.as_of, corpus.digests, specs, index.list_pages) if cache.enabled else {}
        # A park's download rows are made of what its profile page is made of.
        blocks = cache.download_blocks({str(spec.key[0]): scopes[spec.path] for spec in specs
                                        if spec.kind == "park" and spec.path in scopes})
        # Every page once per edition: Chinese at the root, English under /en/.
        made_of = _Outputs(corpus, derived, index, specs, SiteUrls(base_url), site, templates,
                           edition_sites(corpus, site, site_editions(templates)), cache.template_bytecode, scopes, blocks,
                           config.feed_entries)
        settle()
        stats, search_index, published = _produce(output_dir, made_of, search, stages, (cache, jobs), stop)
        kinds = {kind: count * len(made_of.editions) for kind, count in sorted(Counter(s.kind for s in made_of.specs).items())}
        cache.save(kinds, published)
    seconds = time.perf_counter() - started
    timings = _durations(stages.marks, started + seconds)
    return BuildResult(output_dir, kinds, stats, seconds, timings, search_index, cache.rendered)


def _stoppable(notify: EventHandler, stop: threading.Event | None) -> EventHandler:
    """``notify``, which first raises :class:`BuildStopped` once ``stop`` is set."""
    if stop is None:
        return notify

    def checked(event: BuildEvent) -> None:
        if stop.is_set():
            raise BuildStopped
        notify(event)

    return checked


class _Collector:
    """Runs a build's first stages without the cyclic garbage collector; ``settle()`` ends that.

    Loading, deriving and planning make millions of objects that live as
    long as the build and hold no garbage cycles worth collecting. Every
    full collection walks all of them again: at 300 parks that was about a
    quarter of an edit's time. ``settle()`` moves what exists by then into
    the collector's permanent generation (``gc.freeze``) and turns
    collection back on: later collections, here and in the render workers
    forked after it, look only at newer objects, and the workers do not
    copy the pages of inherited objects by touching them. When the last
    build running ends, everything is unfrozen and the collector is as it
    was before the first began. The collector is the process's, so builds
    that overlap (in threads) share one pause: only the first to begin and
    the last to end change it. A process that froze objects of its own is
    left frozen: they are not ours to release, so nothing is frozen for it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builds = 0
        self._enabled = True  # the collector's state before the first build running began
        self._ours = False  # whether the frozen generation is ours to release

    @contextmanager
    def paused(self) -> Iterator[Callable[[], None]]:
        with self._lock:
            if self._builds == 0:
                self._enabled, self._ours = gc.isenabled(), gc.get_freeze_count() == 0
                gc.disable()
            self._builds += 1
        try:
            yield self._settle
        finally:
            with self._lock:
                self._builds -= 1
                if self._builds == 0:
                    if self._ours:
                        gc.unfreeze()
                    (gc.enable if self._enabled else gc.disable)()

    def _settle(self) -> None:
        with self._lock:
            if self._ours:
                gc.freeze()
            if self._enabled:
                gc.enable()


_COLLECTOR = _Collector()  # one for the process, as the garbage collector is


@dataclass
class _Stages:
    """Announces each build stage and remembers when it started."""

    notify: EventHandler
    marks: dict[str, float] = field(default_factory=dict)

    def start(self, stage: str, message: str) -> None:
        self.marks[stage] = time.perf_counter()
        self.notify(BuildEvent(stage, message))


@dataclass(frozen=True)
class _Outputs:
    """What the site's files are made from."""

    corpus: Corpus
    derived: Derived
    index: SiteIndex
    specs: list[PageSpec]  # the default edition's pages, before their contexts are built
    urls: SiteUrls
    site: SiteInfo
    templates: Path | None
    editions: tuple[EditionSite, ...]
    bytecode: Callable[[str], BytecodeCache | None] = lambda environment: None  # templates compiled by an earlier build
    scopes: Mapping[str, str] = field(default_factory=dict)  # scope digests of the pages about a park, by path
    blocks: BlockStore | None = None  # each park's download rows, kept between builds
    feed_entries: int = SiteConfig.model_fields["feed_entries"].default  # reports in the feed, the newest

    def environment(self, edition: EditionSite) -> Environment:
        """The Jinja environment of one edition, every template loaded (forked workers inherit them)."""
        env = make_environment(self.templates, self.urls)
        env.auto_reload = False  # templates cannot change during a build: no stat per page
        env.bytecode_cache = self.bytecode(edition.edition.language)
        editions = tuple(other.edition for other in self.editions)
        env = configure_environment(env, edition.edition, editions, self.urls, edition_filters(edition.edition, self.corpus.units))
        for name in env.list_templates(extensions=["html", "xml", "svg"]):
            with suppress(TemplateError):  # a broken template is reported when a page uses it
                env.get_template(name)
        return env

    def groups(self) -> list[RenderGroup]:
        """One render group: the default edition's pages, built from the specs in the worker, the others as its variants."""
        default, *others = self.editions
        variants = tuple(Variant(self.environment(edition), edition.site, edition.page, edition.path,
                                 _edition_salt(edition, self.corpus.units))
                         for edition in others)
        return [RenderGroup(self.specs, self.environment(default), default.site,
                            partial(page_of, self.index, site=self.site), variants, self._scope_of)]

    def _scope_of(self, spec: PageSpec) -> str | None:
        return self.scopes.get(spec.path)

    def shared_files(self) -> Iterator[tuple[str, FileData]]:
        paths = [edition.path(spec.path) for edition in self.editions for spec in self.specs if spec.kind != "404"]
        entries = spec_feed_entries(self.corpus, self.specs, self.feed_entries)
        return shared_files(self.corpus, self.derived, paths, entries, self.urls, self.site, self.templates, self.blocks)

    @property
    def page_count(self) -> int:
        return len(self.specs) * len(self.editions)


def _edition_salt(edition: EditionSite, units: UnitRegistry) -> str:
    """What an edition's page is made of besides the default edition's page: its language, site, names and units.

    Its messages come from the catalogs, which the build key covers; its
    formatting filters read the units, declared in the content (their
    English names).
    """
    names = sorted(edition.names.names.items()) if edition.names is not None else None
    return value_digest((edition.edition.language, edition.edition.prefix, edition.site, names, units.base_units()))


def _produce(output_dir: Path, made_of: _Outputs, search: bool, stages: _Stages, rendering: tuple[Incremental, int | None],
             stop: threading.Event | None = None) -> tuple[WriteStats, SearchIndex | None, dict[str, tuple[int, int]]]:
    """Render, stage and check every file, index for search, then publish (render → write → post-process)."""
    stages.start("render", f"rendering {made_of.page_count} pages")
    checker = LinkChecker(made_of.urls.base_url)
    cache, jobs = rendering
    # Pages go to disk as they are rendered: the site never has to fit in memory.
    with SiteStaging(output_dir) as staging:
        rendered_groups(made_of.groups(), cache, jobs, staging, checker, stages.notify)
        for path, data in made_of.shared_files():
            staging.add(path, data)
            if isinstance(data, bytes):
                checker.add(path, data)
            else:  # a download, written piece by piece: no links in it
                checker.add_scan(path, None)
        stages.start("check", f"checking links of {len(checker.paths)} files")
        _raise_for_broken_links(checker, cache.pages_to_check(checker.paths, checker.ids, f"{SEARCH_DIR}/"))
        search_index = None
        if search:
            stages.start("search", "indexing pages for search")
            search_index = index_site(staging.staged(), names=search_names(made_of.corpus), stop=stop)
            for path, data in search_index.files.items():
                staging.add(path, data)
        stages.start("write", f"replacing {output_dir}")
        return staging.publish(), search_index, staging.stamps


def _raise_for_broken_links(checker: LinkChecker, pages: set[str] | None = None) -> None:
    broken = checker.check(pages)
    if broken:
        raise BuildError(
            f"{len(broken)} broken internal link{'s' if len(broken) != 1 else ''}; the previous site was kept",
            [link.format() for link in broken],
        )


def _durations(marks: dict[str, float], finished: float) -> dict[str, float]:
    """Seconds spent in each stage, from the times the stages started."""
    ordered = sorted(marks.items(), key=lambda item: item[1])
    ends = [moment for _, moment in ordered[1:]] + [finished]
    return {stage: end - begin for (stage, begin), end in zip(ordered, ends)}
