"""What each page about a park can be made of, known before its context is built.

An edit usually touches one report. Most pages are about one park (its
profile, its years, its projects, the reports about it) and cannot show
anything of that report unless the report is about that park; yet their
contexts would all be built and hashed again to find that out. A *scope
digest* says it without building them: a hash of every content file the
page can read. The incremental build keeps a page whose scope digest is
unchanged, unread (see :mod:`parkreport.parallel`).

What a page about park P can read:

- every content file that is not a report's own (parks and their projects,
  metrics and units, anything else in ``content/``), and the date the
  site is judged at (``as_of``, the latest report date);
- the files of every report in P's *group*: parks and reports linked, by
  any chain, through a report that is about a park or states something
  about it (a figure, a target, a project event, a fact), about one of its
  projects, or that fulfils another report's target.

Derive works park by park but follows those links (a target of one park
may be a milestone of another park's project; a fact may fulfil a target
set by another report), so a group, not a park, is the unit.

A page of a paged list (a year, a metric, data quality, the projects, the
reports; see :mod:`parkreport.pages`) shows its own parks only: it can read
the groups of those parks, and which parks are on which page of the list
(its pager names them; a park joins a metric's list with its first figure of
the metric, a year's with its first figure, summary or report of the year,
the quality list with its first issue, the lists of projects and reports
with its first project or report). The first pages of /quality/ and
/projects/ also count every park's issues and projects' stages, and pages
that list every park (home, methods) have no scope: they are built every
time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from .corpus import Corpus
from .model import Report
from .pages import PageSpec

SCOPED_KINDS = frozenset({"park", "park_year", "project", "report"})
PAGED_KINDS = frozenset({"year", "metric", "quality", "projects", "reports"})  # key: (..., page number)


def report_files(report: Report) -> tuple[str, ...]:
    """The content files of one report besides its YAML file: its source, its original, the chrome ingest removed."""
    return tuple(f"sources/{name}" for name in (report.source_file, report.original_file, report.removed_file))


def _touched(corpus: Corpus, report: Report) -> Iterator[str]:
    """Every park a report is about or states something about (itself or through a project)."""
    yield from report.parks
    for items in (report.indicators, report.targets, report.facts):
        yield from (item.park for item in items if item.park)
    projects = [target.project for target in report.targets if target.project]
    projects += [event.project for event in report.project_events]
    for project in projects:
        if project in corpus.project_park:
            yield corpus.project_park[project]


class _Groups:
    """Union-find over park and report nodes."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        root = self.parent.setdefault(node, node)
        while root != self.parent[root]:
            root = self.parent[root]
        while node != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def join(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)  # the smaller root wins: the result does not follow the order of joins


def park_groups(corpus: Corpus) -> _Groups:
    """The groups of parks and reports (nodes ``park:<id>``, ``report:<id>``) linked through reports."""
    groups = _Groups()
    target_reports: dict[str, list[str]] = {}
    for report in corpus.reports.values():
        for target in report.targets:
            if target.id:
                target_reports.setdefault(target.id, []).append(report.id)
    for report in corpus.reports.values():
        node = f"report:{report.id}"
        for park in _touched(corpus, report):
            groups.join(node, f"park:{park}")
        for fact in report.facts:
            for other in target_reports.get(fact.fulfils or "", ()):
                groups.join(node, f"report:{other}")
    return groups


def scope_digests(corpus: Corpus, as_of: dt.date, content: Mapping[str, str], specs: Iterable[PageSpec],
                  list_pages: Mapping[tuple[str | int, ...], Sequence[Sequence[str]]] | None = None) -> dict[str, str]:
    """The scope digest of each page about a park or a page of parks, by path (see the module's docstring).

    ``content`` gives the hash of every content file that was read, by its
    path relative to the content folder (``Corpus.digests``: the bytes
    loaded, never a hash remembered from an earlier build). ``list_pages``
    gives the parks of each page of each paged list, by ``(kind, *key)``
    without the page number (``SiteIndex.list_pages``); without it, paged
    lists get no scope. Pages of other kinds, and pages whose park is
    unknown, get none.
    """
    groups = park_groups(corpus)
    owned: dict[str, str | None] = {}  # content file -> the group of its report; None when reports of two groups read it
    for report_id, report in corpus.reports.items():
        group = groups.find(f"report:{report_id}")
        yaml_file = corpus.files.get(f"report:{report_id}")
        for name in report_files(report) + ((yaml_file,) if yaml_file else ()):
            owned[name] = group if owned.get(name, group) == group else None
    shared = hashlib.sha256(f"as_of\0{as_of.isoformat()}\0".encode())
    by_group: dict[str, Any] = {}  # group -> its running hash
    for name in sorted(content):
        entry = f"{name}\0{content[name]}\0".encode()
        owner = owned.get(name)
        if owner is None:
            shared.update(entry)
        else:
            by_group.setdefault(owner, hashlib.sha256()).update(entry)
    base = shared.hexdigest()
    group_digests = {group: digest.hexdigest() for group, digest in by_group.items()}
    lists = dict(list_pages or {})
    members = {key: hashlib.sha256(repr(pages).encode()).hexdigest() for key, pages in lists.items()}
    scopes = {}
    for spec in specs:
        list_key = (spec.kind, *spec.key[:-1])
        spec_groups = _spec_groups(corpus, groups, spec, lists.get(list_key))
        if spec_groups is not None:
            parts = "\0".join(f"{group}\0{group_digests.get(group, '')}" for group in sorted(spec_groups))
            made_of = (f"{base}\0{parts}\0{members.get(list_key, '')}\0{spec.kind}\0{spec.path}\0{spec.template}"
                       f"\0{spec.key!r}")
            scopes[spec.path] = hashlib.sha256(made_of.encode()).hexdigest()
    return scopes


def _spec_groups(corpus: Corpus, groups: _Groups, spec: PageSpec, pages: Sequence[Sequence[str]] | None) -> set[str] | None:
    """The groups a page can read, None when it can read anything.

    ``pages``: the parks of each page of the page's list, when it is a page of a paged list.
    """
    if spec.kind in PAGED_KINDS and spec.key:
        number = spec.key[-1]
        if (pages is None or not isinstance(number, int) or not 1 <= number <= len(pages)
                or (spec.kind in ("quality", "projects") and number == 1)):
            return None
        # Everything on the page comes from its own parks' groups: nothing that ranks or counts other parks.
        return {groups.find(f"park:{park}") for park in pages[number - 1]}
    if spec.kind not in SCOPED_KINDS or not spec.key:
        return None
    key = str(spec.key[0])
    if spec.kind == "report":
        return {groups.find(f"report:{key}")} if key in corpus.reports else None
    park = corpus.project_park.get(key) if spec.kind == "project" else key
    return {groups.find(f"park:{park}")} if park in corpus.parks else None
