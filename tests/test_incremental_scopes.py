"""Pages about a park kept unbuilt when no edit reached them (see parkreport.scopes): always what a clean build gives."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parkreport.build as build_module
from parkreport.build import build_site
from parkreport.config import SiteConfig
from parkreport.corpus import Corpus
from parkreport.errors import ContentError
from parkreport.pages import PageSpec
from parkreport.scopes import park_groups, scope_digests
from parkreport.validate import load_corpus

FIXTURES = Path(__file__).parent / "fixtures"
PARKS = ("alpha", "beta", "gamma")
PROJECTS = tuple(f"{park}-plant" for park in PARKS)
SLOTS = 5
VALUES = (3.5, 12.0, 40.25)
STAGES = ("signed", "under_construction", "in_production")


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def make_content(root: Path) -> Path:
    content = root / "content"
    (content / "parks").mkdir(parents=True)
    (content / "reports").mkdir()
    (content / "sources").mkdir()
    shutil.copy(FIXTURES / "mini" / "metrics.yaml", content / "metrics.yaml")
    for number, park in enumerate(PARKS):
        (content / "parks" / f"{park}.yaml").write_text(
            f"id: {park}\nname: 测试园区{number}\nname_en: Test Park {number}\nkind: park\nlevel: provincial\n"
            f"region: {{province: 河南省}}\nprojects:\n  - id: {park}-plant\n    name: 工厂项目{number}\n", encoding="utf-8")
    return content


# A report in a slot: its parks, a month, figures (park, value), a target (park, project or None, years to its deadline),
# a project event (project, stage), a fact fulfilling an earlier slot's target (or None).
REPORTS = st.fixed_dictionaries({
    "parks": st.lists(st.sampled_from(PARKS), min_size=1, max_size=2, unique=True),
    "month": st.integers(1, 12),
    "figures": st.lists(st.tuples(st.integers(0, 1), st.sampled_from(VALUES)), max_size=2),
    "target": st.none() | st.tuples(st.integers(0, 1), st.none() | st.sampled_from(PROJECTS), st.integers(0, 3)),
    "event": st.none() | st.tuples(st.sampled_from(PROJECTS), st.sampled_from(STAGES)),
    "fulfils": st.none() | st.integers(0, SLOTS - 1),
})


def write_report(content: Path, slot: int, spec: dict[str, Any]) -> None:
    """Slot ``slot``'s report: published in 2020 + slot, so a fact can fulfil only a lower slot's target."""
    ident, year, parks = f"r{slot}", 2020 + slot, spec["parks"]
    quotes: list[str] = []

    def quote(text: str) -> str:
        quotes.append(text)
        return json.dumps(text, ensure_ascii=False)

    lines = [f"id: {ident}", f"parks: [{', '.join(parks)}]", f"title: 第{slot}号报告", f'published: "{year}-{spec["month"]:02d}-15"',
             f"period: {year}", "kind: news"]
    if spec["figures"]:
        lines.append("indicators:")
    for number, (which, value) in enumerate(spec["figures"]):
        park = parks[which % len(parks)]
        lines += [f"  - metric: {'industrial-output' if number == 0 else 'fixed-asset-investment'}", f"    park: {park}",
                  f"    value: {value}", "    unit: 亿元", f"    period: {year}",
                  f"    quote: {quote(f'{park}园区指标{number}完成{value}亿元')}"]
    if spec["target"] is not None:
        which, project, years = spec["target"]
        park = parks[which % len(parks)]
        lines += ["targets:", f"  - id: t{slot}", f"    park: {park}", f"    what: 目标{slot}", "    kind: qualitative",
                  f"    by: {year + years}", f"    quote: {quote(f'{park}力争实现目标{slot}')}"]
        if project is not None:
            lines += [f"    project: {project}", "    stage: in_production"]
    if spec["event"] is not None:
        project, stage = spec["event"]
        lines += ["project_events:", f"  - project: {project}", f"    status: {stage}", f"    quote: {quote(f'{project}进展{stage}')}"]
    fulfilled = spec["fulfils"]
    if fulfilled is not None and fulfilled < slot:
        lines += ["facts:", f"  - park: {parks[0]}", "    kind: platform", f"    text: 完成目标{fulfilled}",
                  f"    fulfils: t{fulfilled}", f"    quote: {quote(f'已完成目标{fulfilled}')}"]
    (content / "reports" / f"{ident}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (content / "sources" / f"{ident}.txt").write_text("。\n".join(["测试报告", *quotes]) + "。\n", encoding="utf-8")


def delete_report(content: Path, slot: int) -> None:
    (content / "reports" / f"r{slot}.yaml").unlink(missing_ok=True)
    (content / "sources" / f"r{slot}.txt").unlink(missing_ok=True)


EDITS = st.tuples(st.integers(0, SLOTS - 1), st.none() | REPORTS)  # (slot, None to delete it or its new report)


def built(site: Path, content: Path, **options: Any) -> bool:
    """Build; False when the content is refused (then a clean build must refuse it too)."""
    try:
        build_site(content, site, search=False, **options)
    except ContentError:
        return False
    return True


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(REPORTS, min_size=2, max_size=SLOTS), st.lists(EDITS, min_size=1, max_size=3), st.sampled_from((1, 2, 20)))
def test_scoped_incremental_build_matches_clean_build(tmp_path_factory: pytest.TempPathFactory, first: list[dict[str, Any]],
                                                      edits: list[tuple[int, Any]], parks_per_page: int) -> None:
    """Also with the lists of every park paged: one park a page, two (alpha and beta, then gamma), or one page."""
    root = tmp_path_factory.mktemp("scoped")
    content, site, clean = make_content(root), root / "site", root / "clean"
    config = SiteConfig(parks_per_page=parks_per_page)
    with_target: set[int] = set()  # a fact fulfils only a target that exists when it is written

    def write(slot: int, spec: dict[str, Any] | None) -> None:
        with_target.discard(slot)
        if spec is None:
            delete_report(content, slot)
            return
        if spec["fulfils"] not in with_target:
            spec = spec | {"fulfils": None}
        write_report(content, slot, spec)
        if spec["target"] is not None:
            with_target.add(slot)

    for slot, spec in enumerate(first):
        write(slot, spec)
    for slot, spec in [(None, None), *edits]:
        if slot is not None:
            write(slot, spec)
        incremental = built(site, content, jobs=2, config=config)
        shutil.rmtree(clean, ignore_errors=True)
        assert built(clean, content, jobs=1, incremental=False, config=config) == incremental, f"after editing slot {slot}"
        if incremental:
            assert tree(site) == tree(clean), f"after editing slot {slot}: {spec}"


def contexts_built(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the page contexts a build (in this process) builds, by page kind."""
    counts: Counter[str] = Counter()
    original = build_module.page_of

    def counting(index: Any, spec: PageSpec, site: Any = None) -> Any:
        counts[spec.kind] += 1
        return original(index, spec, site=site)

    monkeypatch.setattr(build_module, "page_of", counting)
    return counts


def three_parks(tmp_path: Path) -> Path:
    content = make_content(tmp_path)
    for slot, park in enumerate(PARKS):
        write_report(content, slot, {"parks": [park], "month": 3, "figures": [(0, 3.5)], "target": None,
                                     "event": (f"{park}-plant", "signed"), "fulfils": None})
    return content


def test_an_edit_builds_only_the_pages_of_the_parks_it_reaches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, site = three_parks(tmp_path), tmp_path / "site"
    build_site(content, site, search=False, jobs=1)
    counts = contexts_built(monkeypatch)
    write_report(content, 0, {"parks": ["alpha"], "month": 3, "figures": [(0, 12.0)], "target": None,
                              "event": ("alpha-plant", "signed"), "fulfils": None})
    build_site(content, site, search=False, jobs=1)
    # alpha's profile, its one year and its project and report; beta's and gamma's are kept unbuilt.
    assert (counts["park"], counts["park_year"], counts["project"], counts["report"]) == (1, 1, 1, 1)
    assert counts["home"] == 1  # pages listing every park are always built
    shutil.rmtree(tmp_path / "clean", ignore_errors=True)
    build_site(content, tmp_path / "clean", search=False, jobs=1, incremental=False)
    assert tree(site) == tree(tmp_path / "clean")


def test_a_park_file_edit_builds_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, site = three_parks(tmp_path), tmp_path / "site"
    build_site(content, site, search=False, jobs=1)
    counts = contexts_built(monkeypatch)
    beta = content / "parks" / "beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("测试园区1", "改名园区"), encoding="utf-8")
    build_site(content, site, search=False, jobs=1)
    assert (counts["park"], counts["report"]) == (3, 3)


def test_a_page_kept_by_scope_whose_file_is_gone_is_built_and_written(tmp_path: Path) -> None:
    content, site = three_parks(tmp_path), tmp_path / "site"
    build_site(content, site, search=False, jobs=1)
    english = site / "en" / "parks" / "beta" / "index.html"
    before = english.read_bytes()
    english.unlink()  # its Chinese page is intact: both are built again, and the Chinese file is not left a link
    write_report(content, 0, {"parks": ["alpha"], "month": 4, "figures": [], "target": None, "event": None, "fulfils": None})
    build_site(content, site, search=False, jobs=1)
    assert english.read_bytes() == before
    shutil.rmtree(tmp_path / "clean", ignore_errors=True)
    build_site(content, tmp_path / "clean", search=False, jobs=1, incremental=False)
    assert tree(site) == tree(tmp_path / "clean")


# -- groups and digests ----------------------------------------------------


def corpus_of(tmp_path: Path, reports: dict[int, dict[str, Any]]) -> Corpus:
    content = make_content(tmp_path)
    for slot, spec in reports.items():
        write_report(content, slot, spec)
    return load_corpus(content)


def plain(parks: list[str], **changes: Any) -> dict[str, Any]:
    return {"parks": parks, "month": 1, "figures": [], "target": None, "event": None, "fulfils": None} | changes


def groups_of(corpus: Corpus) -> list[set[str]]:
    groups = park_groups(corpus)
    found: dict[str, set[str]] = {}
    for park in PARKS:
        found.setdefault(groups.find(f"park:{park}"), set()).add(park)
    return sorted(found.values(), key=sorted)


@pytest.mark.parametrize(("reports", "expected"), [
    ({0: plain(["alpha"]), 1: plain(["beta"])}, [{"alpha"}, {"beta"}, {"gamma"}]),
    ({0: plain(["alpha", "beta"])}, [{"alpha", "beta"}, {"gamma"}]),
    ({0: plain(["alpha"], event=("gamma-plant", "signed"))}, [{"alpha", "gamma"}, {"beta"}]),
    ({0: plain(["alpha"], target=(0, "beta-plant", 1))}, [{"alpha", "beta"}, {"gamma"}]),
    ({0: plain(["alpha"], target=(0, None, 1)), 1: plain(["gamma"], fulfils=0)}, [{"alpha", "gamma"}, {"beta"}]),
    ({0: plain(["alpha", "beta"]), 1: plain(["beta", "gamma"])}, [{"alpha", "beta", "gamma"}]),
])
def test_parks_are_grouped_by_the_reports_that_link_them(tmp_path: Path, reports: dict[int, dict[str, Any]],
                                                         expected: list[set[str]]) -> None:
    assert groups_of(corpus_of(tmp_path, reports)) == expected


def test_scope_digests_follow_the_files_of_their_group_and_every_shared_file(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path, {0: plain(["alpha"]), 1: plain(["beta"])})
    specs = [PageSpec(f"/parks/{park}/", "park", "park.html", (park,)) for park in PARKS]
    specs += [PageSpec("/reports/r0/", "report", "report.html", ("r0",)), PageSpec("/", "home", "home.html")]
    files = {"metrics.yaml": "m", "parks/alpha.yaml": "a", "reports/r0.yaml": "0", "sources/r0.txt": "s0",
             "reports/r1.yaml": "1", "sources/r1.txt": "s1"}
    as_of = dt.date(2021, 1, 15)
    base = scope_digests(corpus, as_of, files, specs)
    assert set(base) == {"/parks/alpha/", "/parks/beta/", "/parks/gamma/", "/reports/r0/"}  # the home page has no scope
    assert len(set(base.values())) == len(base)

    def changed(**edits: Any) -> set[str]:
        after = scope_digests(corpus, edits.pop("as_of", as_of), files | edits.pop("files", {}), specs)
        return {path for path in base if after[path] != base[path]}

    assert changed(files={"sources/r0.txt": "edited"}) == {"/parks/alpha/", "/reports/r0/"}
    assert changed(files={"reports/r1.yaml": "edited"}) == {"/parks/beta/"}
    assert changed(files={"reports/r9.yaml": "a file no report owns"}) == set(base)
    assert changed(files={"parks/alpha.yaml": "edited"}) == set(base)
    assert changed(as_of=dt.date(2030, 1, 1)) == set(base)


def rebuilt_matches_clean(tmp_path: Path, first: dict[int, dict[str, Any]], edit: tuple[int, dict[str, Any] | None],
                          page: str) -> None:
    """Build ``first``, apply ``edit`` and build again: the same site as a clean build, and ``page`` changed."""
    content, site, clean = make_content(tmp_path), tmp_path / "site", tmp_path / "clean"
    for slot, spec in first.items():
        write_report(content, slot, spec)
    build_site(content, site, search=False, jobs=1)
    before = (site / page).read_bytes()
    slot, spec = edit
    if spec is None:
        delete_report(content, slot)
    else:
        write_report(content, slot, spec)
    build_site(content, site, search=False, jobs=1)
    build_site(content, clean, search=False, jobs=1, incremental=False)
    assert tree(site) == tree(clean)
    assert (site / page).read_bytes() != before  # the edit reached the page through the link under test


def test_a_later_report_of_another_park_moves_the_date_every_target_is_judged_at(tmp_path: Path) -> None:
    first = {0: plain(["alpha"], target=(0, None, 1)), 1: plain(["beta"], month=3)}
    rebuilt_matches_clean(tmp_path, first, (3, plain(["gamma"], month=3)), "parks/alpha/index.html")


def test_a_report_about_another_parks_project_reaches_that_park(tmp_path: Path) -> None:
    first = {0: plain(["alpha"], event=("beta-plant", "signed")), 1: plain(["beta"])}
    rebuilt_matches_clean(tmp_path, first, (0, plain(["alpha"], event=("beta-plant", "in_production"))),
                          "projects/beta-plant/index.html")


def test_a_fact_fulfilling_another_parks_target_reaches_that_park(tmp_path: Path) -> None:
    first = {0: plain(["alpha"], target=(0, None, 3)), 1: plain(["gamma"], month=3)}
    rebuilt_matches_clean(tmp_path, first, (1, plain(["gamma"], month=3, fulfils=0)), "parks/alpha/index.html")


def test_a_source_file_two_groups_read_is_shared_by_every_page(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    write_report(content, 0, plain(["alpha"]))
    write_report(content, 1, plain(["beta"]))
    second = content / "reports" / "r1.yaml"
    second.write_text(second.read_text(encoding="utf-8") + "source: r0.txt\n", encoding="utf-8")
    corpus = load_corpus(content)
    specs = [PageSpec(f"/parks/{park}/", "park", "park.html", (park,)) for park in PARKS]
    files = {"reports/r0.yaml": "0", "reports/r1.yaml": "1", "sources/r0.txt": "s0"}
    base = scope_digests(corpus, dt.date(2021, 1, 15), files, specs)
    after = scope_digests(corpus, dt.date(2021, 1, 15), files | {"sources/r0.txt": "edited"}, specs)
    assert {path for path in base if after[path] != base[path]} == set(base)


def test_an_edit_that_keeps_size_and_mtime_still_reaches_its_pages(tmp_path: Path) -> None:
    """A file restored with its old time (cp -p, rsync -t, tar) is judged by its bytes, not by its stamp."""
    content, site, clean = three_parks(tmp_path), tmp_path / "site", tmp_path / "clean"
    report = content / "reports" / "r0.yaml"
    source = content / "sources" / "r0.txt"
    long_ago = report.stat().st_mtime_ns - 3_600_000_000_000
    for path in (report, source):
        os.utime(path, ns=(long_ago, long_ago))
    build_site(content, site, search=False, jobs=1)
    for path in (report, source):
        path.write_text(path.read_text(encoding="utf-8").replace("3.5", "4.5"), encoding="utf-8")
        os.utime(path, ns=(long_ago, long_ago))
    write_report(content, 1, plain(["beta"], month=5))  # another park's edit makes the build run
    build_site(content, site, search=False, jobs=1)
    build_site(content, clean, search=False, jobs=1, incremental=False)
    assert b"4.5" in (site / "parks" / "alpha" / "index.html").read_bytes()
    assert tree(site) == tree(clean)
