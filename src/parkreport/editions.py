"""Language editions: every page once per edition, Chinese at ``/``, English at ``/en/``.

The pages are planned once, in Chinese (:func:`parkreport.pages.plan_pages`);
:func:`edition_pages` turns that plan into another edition's: each path gets
the edition's prefix (``/parks/puyang/`` -> ``/en/parks/puyang/``), the
interface titles come from the edition's catalog, and the names the contexts
carry are put in the edition's language: a park's ``name_en`` (its Chinese
name when it has none), a metric's ``en``, ``2023`` for ``2023年``; derive's English
explanations of computed figures, target outcomes and quality notes. Content
(quotes, source texts, descriptions, report titles) stays as written.

Each edition renders with its own Jinja environment (:func:`configure_environment`):
``url()`` keeps links inside the edition, ``t()`` reads its catalog, and the
formatting filters speak its language. Static files, downloads, the feed and
the search bundle are shared by all editions.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment

from .corpus import Corpus
from .format_en import english_filters
from .i18n import Catalog, load_catalog
from .pages import Page, SiteInfo
from .render import SiteUrls
from .units import UnitRegistry
from .views import FigureView, IssueView, Link, TargetView

DEFAULT_LANGUAGE = "zh-CN"


@dataclass(frozen=True)
class SiteEdition:
    """One language of the site: where its pages live and the messages it shows."""

    language: str  # <html lang>, hreflang and the catalog's name: zh-CN, en
    prefix: str  # "" for the default edition, else e.g. "en/"
    catalog: Catalog

    @property
    def name(self) -> str:
        """The language's name in itself (中文, English), for the language switch."""
        return self.catalog.gettext("edition.name")

    def site_path(self, path: str) -> str:
        """A page's path in this edition: ``/parks/a/`` -> ``/en/parks/a/``; files stay shared."""
        if not self.prefix or not is_page_path(path) or path.lstrip("/").startswith(self.prefix):
            return path
        return "/" + self.prefix + path.lstrip("/")

    def default_path(self, path: str) -> str:
        """The default edition's path of one of this edition's pages."""
        relative = path.lstrip("/")
        if self.prefix and relative.startswith(self.prefix):
            return "/" + relative[len(self.prefix):]
        return path


def is_page_path(path: str) -> bool:
    """Whether a site path names a page (``/x/``, ``/404.html``) rather than a shared file."""
    bare = urlsplit(path).path
    return bare.endswith(("/", ".html"))


def site_editions(templates_dir: Path | None = None, languages: Iterable[str] = (DEFAULT_LANGUAGE, "en")) -> tuple[SiteEdition, ...]:
    """The editions to build, the first one (Chinese) at the site's root."""
    editions = []
    for position, language in enumerate(languages):
        prefix = "" if position == 0 else language.lower() + "/"
        editions.append(SiteEdition(language, prefix, load_catalog(language, templates_dir)))
    return tuple(editions)


# --------------------------------------------------------------------------
# Names in the edition's language


_YEAR_LABEL = re.compile(r"(\d{4})年")


@dataclass(frozen=True)
class EditionNames:
    """Chinese labels of the plan (names of parks, projects, metrics), with their text in another edition."""

    names: Mapping[str, str]

    def label(self, text: str) -> str:
        """``濮阳工业园区`` -> ``Puyang Industrial Park``; ``2023年`` -> ``2023``; else unchanged."""
        year = _YEAR_LABEL.fullmatch(text)
        if year:
            return year.group(1)
        return self.names.get(text, text)


def edition_names(corpus: Corpus, default: Catalog, catalog: Catalog) -> EditionNames:
    """The names an English page shows instead of the Chinese ones the plan carries."""
    names: dict[str, str] = {}
    for key, text in default.table("nav").items():
        if f"nav.{key}" in catalog:
            names[text] = catalog.gettext(f"nav.{key}")
    for metric in corpus.metrics.values():
        for chinese in (metric.zh, metric.zh_short):
            if chinese:
                names[chinese] = metric.en
    for park in corpus.parks.values():
        if park.name_en:
            names[park.name] = park.name_en
    for project in corpus.projects.values():
        if project.name_en:
            names[project.name] = project.name_en
    return EditionNames(names)


_PLAIN = (str, int, float, bool, type(None))


@functools.cache
def _init_fields(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls) if field.init)


def _plain_copy_fields(cls: type) -> frozenset[str]:
    """The fields of a dataclass whose ``__init__`` does nothing but set them; empty for any other class.

    Then a copy of an instance's dictionary makes the same object as
    ``dataclasses.replace``: the class itself is a dataclass whose
    ``__init__`` the decorator wrote (not one of its own), every field is
    set by it, and there is no ``__post_init__`` and no slots. The views are
    all such. (An instance whose dictionary holds more than its fields, a
    ``cached_property`` say, is told apart by :func:`_replaced`.)
    """
    names = _PLAIN_COPY_FIELDS.get(cls)
    if names is None:
        params = cls.__dict__.get("__dataclass_params__")
        init = getattr(cls.__dict__.get("__init__"), "__code__", None)
        plain = (params is not None and params.init and init is not None and init.co_filename == _GENERATED
                 and not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
                 and all(field.init for field in dataclasses.fields(cls)))
        names = _PLAIN_COPY_FIELDS[cls] = frozenset(field.name for field in dataclasses.fields(cls)) if plain else frozenset()
    return names


_GENERATED = "<string>"  # where the code of the methods the dataclass decorator writes comes from
_PLAIN_COPY_FIELDS: dict[type, frozenset[str]] = {}  # a cache of what the classes are, as functools.cache would be


def _replaced(value: Any, **changes: Any) -> Any:
    """``dataclasses.replace(value, **changes)``, without calling ``__init__`` where that changes nothing.

    The English edition replaces hundreds of views a page, and a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``:
    copying the instance's dictionary was three fifths of translating a page.
    """
    kind = type(value)
    names = _plain_copy_fields(kind)
    held = value.__dict__ if names else None
    # an unknown name (replace() says what is wrong), or more than the fields held (a cached property)
    if held is None or len(held) != len(names) or not changes.keys() <= names:
        return dataclasses.replace(value, **changes)
    copy = object.__new__(kind)
    fields = copy.__dict__
    fields.update(held)
    fields.update(changes)
    return copy


def translated(value: Any, names: EditionNames) -> Any:
    """A context (or part of one) with its links' labels and metric names in the edition's language.

    What needs no change is returned as is (the same object), so an
    unchanged part of a context is neither copied nor compared.
    """
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Link):
        label = names.label(value.label)
        return value if label == value.label else Link(value.path, label)
    if isinstance(value, FigureView):
        return _replaced(value, metric_name=names.label(value.metric_name),
                         explanation=value.explanation_en or value.explanation)
    if isinstance(value, TargetView):
        return _replaced(value, park=translated(value.park, names), report=translated(value.report, names),
                         reason=value.reason_en or value.reason)
    if isinstance(value, IssueView):
        return _replaced(value, park=translated(value.park, names), message=value.message_en or value.message)
    if isinstance(value, tuple):
        items = tuple(translated(item, names) for item in value)
        return value if all(after is before for after, before in zip(items, value)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for name in _init_fields(type(value)):
            before = getattr(value, name)
            after = translated(before, names)
            if after is not before:
                changes[name] = after
        return _replaced(value, **changes) if changes else value
    return value


_TITLE_KEYS = {"home": "nav.home", "projects": "nav.projects", "reports": "nav.reports", "quality": "nav.quality",
               "methods": "nav.methods", "search": "nav.search", "404": "title.not_found"}


def edition_title(page: Page, context: Any, catalog: Catalog, names: EditionNames) -> str:
    """A page's title in the edition: interface pages from the catalog, names translated, content as is.

    A later page of a paged list says its number (" (page 2)").
    """
    title = _edition_title(page, context, catalog, names)
    pager = getattr(context, "pager", None)
    return title + catalog.gettext("pager.title", number=pager.number) if pager is not None and pager.number > 1 else title


def _edition_title(page: Page, context: Any, catalog: Catalog, names: EditionNames) -> str:
    if page.kind in _TITLE_KEYS:
        return catalog.gettext(_TITLE_KEYS[page.kind])
    if page.kind == "park":
        return names.label(context.park.name)
    if page.kind == "park_year":
        return catalog.gettext("title.park_year", park=context.park.label, year=context.year)
    if page.kind == "year":
        return catalog.gettext("title.year", year=context.year)
    if page.kind == "metric":
        return str(context.metric.en)
    if page.kind == "project":
        return names.label(context.project.name)
    return page.title  # a report's own title


def edition_site(site: SiteInfo, edition: SiteEdition, names: EditionNames) -> SiteInfo:
    """What the edition's pages know of the site: its language, title, description and navigation."""
    catalog = edition.catalog
    return dataclasses.replace(
        site,
        title=catalog.gettext("site.title"),
        description=catalog.gettext("site.description"),
        language=edition.language,
        nav=tuple(translated(link, names) for link in site.nav),
    )


def edition_page(page: Page, edition: SiteEdition, names: EditionNames) -> Page:
    """One page of the default edition as this edition's: prefixed path, translated title and names."""
    if not edition.prefix:
        return page
    context = translated(page.context, names)
    return dataclasses.replace(page, path=edition.site_path(page.path), context=context,
                               title=edition_title(page, context, edition.catalog, names))


def edition_pages(pages: list[Page], edition: SiteEdition, names: EditionNames) -> list[Page]:
    """The default edition's pages as this edition's: prefixed paths, translated titles and names."""
    if not edition.prefix:
        return pages
    return [edition_page(page, edition, names) for page in pages]


# --------------------------------------------------------------------------
# Rendering


@dataclass(frozen=True)
class EditionUrls:
    """``url()`` and ``absolute_url()`` of one edition: page links stay inside it."""

    urls: SiteUrls
    edition: SiteEdition
    # Pages link to the same few paths over and over (about a hundred links a
    # page): each link is worked out once. Bounded, as a worker renders many parks.
    _links: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _absolutes: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def url(self, path: str = "/") -> str:
        link = self._links.get(path)
        if link is None:
            link = _remember(self._links, path, self.urls.url(self.edition.site_path(path)))
        return link

    def absolute(self, path: str = "/") -> str:
        link = self._absolutes.get(path)
        if link is None:
            link = _remember(self._absolutes, path, self.urls.absolute(self.edition.site_path(path)))
        return link


_LINKS_REMEMBERED = 8192


def _remember(links: dict[str, str], path: str, link: str) -> str:
    if len(links) >= _LINKS_REMEMBERED:
        links.clear()
    links[path] = link
    return link


def configure_environment(env: Environment, edition: SiteEdition, editions: tuple[SiteEdition, ...], urls: SiteUrls,
                          filters: Mapping[str, Callable[..., Any]]) -> Environment:
    """Give a build's environment the edition's ``url()``, ``t()``, filters and language links.

    Templates get ``edition`` (the one being rendered), ``editions`` (all of
    them, default first), ``t(id, **values)`` and ``edition_url(page,
    other, absolute=False)``: the same page in another edition.
    """
    edition_urls = EditionUrls(urls, edition)

    def edition_url(page: Page, other: SiteEdition, absolute: bool = False) -> str:
        path = other.site_path(edition.default_path(page.path))
        return urls.absolute(path) if absolute else urls.url(path)

    env.filters.update(filters)
    env.globals.update(
        url=edition_urls.url,
        absolute_url=edition_urls.absolute,
        t=edition.catalog.gettext,
        edition=edition,
        editions=editions,
        edition_url=edition_url,
    )
    return env


def edition_filters(edition: SiteEdition, units: UnitRegistry) -> dict[str, Callable[..., Any]]:
    """The formatting filters an edition replaces: none for Chinese, the English ones for English."""
    if edition.language.split("-")[0] == "en":
        return {**english_filters(units, edition.catalog), "unit_name": partial(english_unit_name, units)}
    return {"unit_name": str}


def english_unit_name(units: UnitRegistry, unit: str) -> str:
    """A unit in English words for captions: ``亿元`` -> ``100 million yuan``; an unknown one as written."""
    return units.english(unit) if units.known(unit) else unit


@dataclass(frozen=True)
class EditionPlan:
    """One edition's pages, and what its pages know of the site."""

    edition: SiteEdition
    site: SiteInfo
    pages: list[Page]


@dataclass(frozen=True)
class EditionSite:
    """One edition as rendering sees it: what its pages know of the site, and how a page is put in its language."""

    edition: SiteEdition
    site: SiteInfo
    names: EditionNames | None  # None for the default edition, whose pages are the plan's

    def page(self, default_page: Page) -> Page:
        """A page of the default edition, in this edition."""
        return default_page if self.names is None else edition_page(default_page, self.edition, self.names)

    def path(self, default_path: str) -> str:
        return self.edition.site_path(default_path)


def edition_sites(corpus: Corpus, site: SiteInfo, editions: tuple[SiteEdition, ...]) -> tuple[EditionSite, ...]:
    """Every edition with its site information and names, the default one first."""
    default = editions[0]
    sites = [EditionSite(default, site, None)]
    for edition in editions[1:]:
        names = edition_names(corpus, default.catalog, edition.catalog)
        sites.append(EditionSite(edition, edition_site(site, edition, names), names))
    return tuple(sites)


def plan_editions(corpus: Corpus, pages: list[Page], site: SiteInfo, editions: tuple[SiteEdition, ...]) -> tuple[EditionPlan, ...]:
    """Every edition's pages, from the default edition's plan."""
    return tuple(EditionPlan(each.edition, each.site, [each.page(page) for page in pages])
                 for each in edition_sites(corpus, site, editions))
