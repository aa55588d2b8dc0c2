"""Machine-readable companions of the site: sitemap.xml, the Atom feed, robots.txt.

All three are deterministic: entries are sorted, and no clock is read. The
feed's dates come from the reports' publication dates; ``SOURCE_DATE_EPOCH``
(the reproducible-builds convention) sets the feed's own ``updated`` when it
is given, and otherwise the newest report date does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .render import SiteUrls

_EPOCH_START = "1970-01-01T00:00:00Z"


@dataclass(frozen=True)
class FeedEntry:
    """One report as an Atom entry."""

    path: str  # site path of its page, e.g. /reports/puyang-2023-h1/
    title: str
    published: str | None  # YYYY, YYYY-MM or YYYY-MM-DD
    summary: str
    author: str = ""
    publisher: str = ""


def atom_timestamp(partial_date: str | None) -> str:
    """An RFC 3339 timestamp for a partial date: missing month/day count as the first."""
    if not partial_date:
        return _EPOCH_START
    parts = [int(part) for part in partial_date.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2]).isoformat() + "T00:00:00Z"


def epoch_timestamp(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_order(published: str | None, path: str) -> tuple[str, str]:
    """Where a report stands in the feed: sorted by this, newest (then last path) first."""
    return atom_timestamp(published), path


def atom_feed(urls: SiteUrls, title: str, entries: Iterable[FeedEntry], source_date_epoch: int | None = None) -> str:
    """The Atom feed of reports, newest first (ties by path)."""
    ordered = sorted(entries, key=lambda entry: feed_order(entry.published, entry.path), reverse=True)
    if source_date_epoch is not None:
        updated = epoch_timestamp(source_date_epoch)
    else:
        updated = max((atom_timestamp(entry.published) for entry in ordered if entry.published), default=_EPOCH_START)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(urls.absolute('/'))}</id>",
        f"  <link rel=\"self\" href={quoteattr(urls.absolute('/feed.xml'))}/>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(urls.absolute('/reports/'))}/>",
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(title)}</name></author>",
    ]
    for entry in ordered:
        # An undated report has no publication time; it counts as updated with the feed.
        stamp = atom_timestamp(entry.published) if entry.published else updated
        lines += [
            "  <entry>",
            f"    <title>{escape(entry.title)}</title>",
            f"    <id>{escape(urls.absolute(entry.path))}</id>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(urls.absolute(entry.path))}/>",
            *([f"    <published>{stamp}</published>"] if entry.published else []),
            f"    <updated>{stamp}</updated>",
        ]
        if entry.author or entry.publisher:
            lines.append(f"    <author><name>{escape(entry.author or entry.publisher)}</name></author>")
        if entry.summary:
            lines.append(f"    <summary>{escape(entry.summary)}</summary>")
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


SITEMAP_LIMIT = 50_000  # URLs a sitemap may list (sitemaps.org); a larger site gets an index of several


def sitemap_xml(urls: SiteUrls, paths: Iterable[str]) -> str:
    """The sitemap of every page (paths are site paths ending in '/')."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(set(paths)):
        lines.append(f"  <url><loc>{escape(urls.absolute(path))}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def sitemap_files(urls: SiteUrls, paths: Iterable[str], limit: int | None = None) -> list[tuple[str, str]]:
    """``sitemap.xml`` listing every page; over ``limit`` pages, an index of ``sitemap-1.xml``, ``sitemap-2.xml``, ...

    Search engines read at most 50,000 URLs from one sitemap. The pages are
    cut in path order, so a page stays in its file until pages before it
    come or go.
    """
    limit = SITEMAP_LIMIT if limit is None else limit
    ordered = sorted(set(paths))
    if len(ordered) <= limit:
        return [("sitemap.xml", sitemap_xml(urls, ordered))]
    parts = [(f"sitemap-{number}.xml", ordered[start:start + limit])
             for number, start in enumerate(range(0, len(ordered), limit), start=1)]
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <sitemap><loc>{escape(urls.absolute('/' + name))}</loc></sitemap>" for name, _ in parts]
    lines.append("</sitemapindex>")
    return [("sitemap.xml", "\n".join(lines) + "\n"), *((name, sitemap_xml(urls, chunk)) for name, chunk in parts)]


def robots_txt(urls: SiteUrls) -> str:
    """Allow everything except the 404 page, and point crawlers at the sitemap."""
    return (
        "User-agent: *\n"
        f"Disallow: {urls.url('/404.html')}\n"
        f"\nSitemap: {urls.absolute('/sitemap.xml')}\n"
    )
