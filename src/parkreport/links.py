"""Check every internal link and anchor of a rendered site.

Runs on the in-memory site before it is written, so a broken link fails the
build and the previous site stays in place. Each HTML page is parsed for
its links and anchors (see :func:`scan_page`); every ``href`` and ``src`` that
points inside the site must name an existing file, and a ``#fragment`` must
name an ``id`` on the target page (including cross-page anchors such as
``/reports/x/#indicators-3``). External links are not checked.
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborDocumentOptions, LexborHTMLParser

_LINK_ATTRIBUTES = {"href", "src"}
_TAB_AND_NEWLINES = str.maketrans("", "", "\t\n\r")
_SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:")


@dataclass(frozen=True, order=True)
class BrokenLink:
    """A link on ``page`` (site-relative path) whose target does not exist."""

    page: str
    link: str
    reason: str

    def format(self) -> str:
        return f"{self.page}: {self.link}: {self.reason}"


# Pages are parsed as browsers parse them: by lexbor (through selectolax), an
# HTML parser written to the HTML standard in C. Script and style bodies and
# comments hold no tags, names of tags and attributes are read without regard
# to ASCII case, character references in values are decoded, and of an
# attribute given twice on one element the first counts. The contents of a
# <template> are no part of the page until a script clones them: their ids
# are no anchors and their links are not checked. A cold build parses every
# page it writes, so the parser is the one made to be fast (1.5 to 2 times
# as fast as the regular expressions this module used before, on the pages of
# a synthetic 100-park site). An attribute without a value, or with an empty
# one, is no link and no anchor (no fragment can name it). The tree is the
# source's, without the copies the standard has the browser make after
# parsing (a <selectedcontent> mirrors the chosen option: the same ids twice).
_WANTED_ELEMENTS = ":is([id], [href], [src], a[name])"  # each element once, in document order
_AS_WRITTEN = LexborDocumentOptions.WO_EVENTS


def scan_page(html: str | bytes) -> tuple[set[str], list[str]]:
    """The ids a page defines and the links (``href``/``src``) it contains."""
    ids, links, _ = scan_page_with_duplicates(html)
    return ids, links


def scan_page_with_duplicates(html: str | bytes) -> tuple[set[str], list[str], set[str]]:
    """Like :func:`scan_page`, plus the anchors (ids, ``<a name>``) defined more than once.

    ``html`` is text, or UTF-8 bytes (bytes that are not UTF-8 are read as U+FFFD).
    """
    ids: set[str] = set()
    duplicates: set[str] = set()
    links: list[str] = []
    for element in LexborHTMLParser(html, options=_AS_WRITTEN).css(_WANTED_ELEMENTS):
        for name, value in element.attributes.items():
            if not value:
                continue
            if name == "id" or (name == "name" and element.tag == "a"):
                if value in ids:
                    duplicates.add(value)
                ids.add(value)
            elif name in _LINK_ATTRIBUTES:
                links.append(value)
    return ids, links, duplicates


PageScan = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # ids (sorted), links, ids defined twice


def has_anchor(ids: tuple[str, ...], anchor: str) -> bool:
    """Whether the sorted ``ids`` of a page's scan hold ``anchor``."""
    at = bisect_left(ids, anchor)
    return at < len(ids) and ids[at] == anchor


def scan_html(data: bytes) -> PageScan:
    """A page's scan in a compact form, cheap to send between processes and to keep.

    Each link is listed once (a page links to its park many times), and
    strings are interned: the navigation links every page repeats are held once.
    """
    ids, links, duplicates = scan_page_with_duplicates(data)
    intern = sys.intern
    return (tuple(sorted(intern(i) for i in ids)), tuple(intern(link) for link in dict.fromkeys(links)),
            tuple(sorted(duplicates)))


def _page_url(path: str) -> str:
    """The site-relative URL a file is served at: ``parks/a/index.html`` -> ``/parks/a/``."""
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        return "/" + path[: -len("index.html")]
    return "/" + path


class LinkChecker:
    """Collects a site's files as they are written, then resolves every link.

    Only what checking needs is kept: the set of paths, and each page's ids
    and links (``add`` scans a page and drops its bytes).
    """

    def __init__(self, base_url: str = "/") -> None:
        parts = urlsplit(base_url)
        self.base_origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.paths: set[str] = set()
        # Each page's scan is kept as it comes (see PageScan): the tuples the
        # build keeps anyway for its next run, no copies of them as sets.
        self.ids: dict[str, tuple[str, ...]] = {}  # sorted
        self.links: dict[str, tuple[str, ...]] = {}
        self.duplicates: dict[str, tuple[str, ...]] = {}
        # Where a link leads does not depend on its fragment, and depends on
        # the page only for relative links: a site-absolute link ("/parks/a/",
        # in every page's navigation; "/reports/r/#facts-1" is "/reports/r/")
        # is resolved once for the whole site.
        self._resolved: dict[tuple[str, str], tuple[str | None, str | None]] = {}

    def add(self, path: str, data: bytes) -> None:
        """Record one output file (``path`` relative to the site root)."""
        self.add_scan(path, scan_html(data) if path.endswith(".html") else None)

    def add_scan(self, path: str, scan: PageScan | None) -> None:
        """Record one output file from its scan (see :func:`scan_html`; None for a file that is not a page)."""
        self.paths.add(path)
        if scan is not None:
            ids, links, duplicates = scan
            self.ids[path], self.links[path] = ids, links
            if duplicates:
                self.duplicates[path] = duplicates

    def target_file(self, path: str) -> str | None:
        """The site file a path under the base serves, or None."""
        candidate = path + "index.html" if path == "" or path.endswith("/") else path
        if candidate in self.paths:
            return candidate
        if f"{candidate}/index.html" in self.paths:
            return f"{candidate}/index.html"
        return None

    def check_link(self, page: str, link: str) -> str | None:
        """Why ``link`` on ``page`` is broken, or None when it is fine or external."""
        link = link.strip()
        if "\t" in link or "\n" in link or "\r" in link:  # browsers drop them anywhere in a URL, as urlsplit does
            link = link.translate(_TAB_AND_NEWLINES)
        address, _, fragment = link.partition("#")
        if "%" in fragment:
            fragment = unquote(fragment)
        if not address and page in self.paths:  # most links of a page: to a figure of its own
            target: str | None = page
        else:
            if not link or link.lower().startswith(_SKIPPED_SCHEMES):
                return None
            key = ("", address) if address.startswith("/") and not address.startswith("//") else (page, address)
            resolved = self._resolved.get(key)
            if resolved is None:
                resolved = self._resolved[key] = self._resolve(page, address)
            reason, target = resolved
            if reason is not None or target is None:
                return reason
        if fragment and target in self.ids and not has_anchor(self.ids[target], fragment):
            return f"no element with id '{fragment}' on {_page_url(target)}"
        return None

    def _resolve(self, page: str, address: str) -> tuple[str | None, str | None]:
        """Why a link (without its fragment) is broken regardless of anchors, or None; and the file it targets."""
        parts = urlsplit(urljoin(self.base_origin + self.base_path + page, address))
        if self.base_origin and f"{parts.scheme}://{parts.netloc}" != self.base_origin:
            return None, None
        if not self.base_origin and parts.netloc:
            return None, None
        if not parts.path.startswith(self.base_path) and parts.path + "/" != self.base_path:
            return f"points outside the site's base path {self.base_path}", None
        target = self.target_file(unquote(parts.path[len(self.base_path):]))
        if target is None:
            return "no such page or file", None
        return None, target

    def check(self, pages: Collection[str] | None = None) -> list[BrokenLink]:
        """Every broken link, and every id a page defines twice (its anchor is ambiguous); of ``pages`` alone if given."""
        checked = self.links.keys() if pages is None else [page for page in pages if page in self.links]
        broken = {
            BrokenLink(_page_url(page), link, reason)
            for page in checked
            for link in self.links[page]
            if (reason := self.check_link(page, link))
        }
        broken |= {
            BrokenLink(_page_url(page), f"#{anchor}", "this id is defined more than once on the page")
            for page, anchors in self.duplicates.items()
            if pages is None or page in pages
            for anchor in anchors
        }
        return sorted(broken)


def check_links(files: Mapping[str, bytes], base_url: str = "/") -> list[BrokenLink]:
    """Every broken internal link or anchor of the site ``files`` (path -> bytes)."""
    checker = LinkChecker(base_url)
    for path, data in files.items():
        checker.add(path, data)
    return checker.check()
