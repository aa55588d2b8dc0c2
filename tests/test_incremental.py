"""Incremental builds: after any sequence of edits, the site is byte-identical to a clean build."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkreport.build import build_site
from parkreport.cache import PAGES_MAGIC, RECORD_MAGIC, SCHEMA, cache_file, pages_file
from parkreport.contentcache import read_sealed, write_sealed
from parkreport.errors import BuildError
from parkreport.links import LinkChecker
from parkreport.pages import Page, SiteInfo
from parkreport.render import THEME_DIR

FIXTURES = Path(__file__).parent / "fixtures"
SOURCE = (
    "阿尔法工业园区经济运行良好。\n"
    "规上工业总产值完成65.18亿元,同比增长29.2%;固定资产投资完成8.2亿元,增长15%。\n"
    "规上工业增加值完成20.1亿元,同比增长9.5%。实际利用外资完成0.8亿美元。\n"
)
INDICATORS = [
    {"metric": "industrial-output", "value": 65.18, "unit": "亿元", "yoy_pct": 29.2, "quote": "规上工业总产值完成65.18亿元,同比增长29.2%"},
    {"metric": "fixed-asset-investment", "value": 8.2, "unit": "亿元", "yoy_pct": 15, "quote": "固定资产投资完成8.2亿元,增长15%"},
    {"metric": "industrial-value-added", "value": 20.1, "unit": "亿元", "quote": "规上工业增加值完成20.1亿元"},
    {"metric": "foreign-capital-used", "value": 0.8, "unit": "亿美元", "quote": "实际利用外资完成0.8亿美元"},
]
PERIODS = ["2021M1-4", "2021H1", "2022M1-4", "2022H1", "2022"]


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def write_report(content: Path, period: str, indicators: list[int], values: dict[int, float]) -> None:
    ident = f"alpha-{period.lower()}"
    lines = [f"id: {ident}", "parks: [alpha]", f"title: 阿尔法工业园区{period}经济运行", "publisher: 测试日报",
             f"period: {period}", "kind: news", "indicators:" if indicators else "indicators: []"]
    for index in indicators:
        entry = dict(INDICATORS[index], period=period, value=values.get(index, INDICATORS[index]["value"]))
        lines += [f"  - {key}: {json.dumps(value, ensure_ascii=False)}" if key == "metric" else
                  f"    {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in entry.items()]
    (content / "reports" / f"{ident}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (content / "sources" / f"{ident}.txt").write_text(SOURCE, encoding="utf-8")


def delete_report(content: Path, period: str) -> None:
    ident = f"alpha-{period.lower()}"
    (content / "reports" / f"{ident}.yaml").unlink(missing_ok=True)
    (content / "sources" / f"{ident}.txt").unlink(missing_ok=True)


def edit_template(templates: Path, number: int) -> None:
    """Override the theme's 404 page with a variant, or drop the override (number 0)."""
    target = templates / "404.html"
    if number == 0:
        target.unlink(missing_ok=True)
        return
    text = (THEME_DIR / "templates" / "404.html").read_text(encoding="utf-8")
    head, tail = text.rsplit("{% endblock %}", 1)
    target.write_text(f"{head}<p>variant {number}</p>{{% endblock %}}{tail}", encoding="utf-8")


EDITS = st.one_of(
    st.tuples(st.just("report"), st.sampled_from(PERIODS), st.lists(st.integers(0, 3), unique=True, max_size=4),
              st.dictionaries(st.integers(0, 3), st.sampled_from([1.5, 7.25, 100.0]), max_size=2)),
    st.tuples(st.just("delete"), st.sampled_from(PERIODS)),
    st.tuples(st.just("template"), st.integers(0, 2)),
)


def apply(edit: tuple, content: Path, templates: Path) -> None:  # type: ignore[type-arg]
    if edit[0] == "report":
        write_report(content, edit[1], edit[2], edit[3])
    elif edit[0] == "delete":
        delete_report(content, edit[1])
    else:
        edit_template(templates, edit[1])


@pytest.fixture()
def project(tmp_path: Path) -> tuple[Path, Path]:
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(FIXTURES / "mini", content)
    templates.mkdir()
    return content, templates


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=1, max_size=3))
def test_incremental_matches_clean_build_after_random_edits(project: tuple[Path, Path], edits: list[tuple]) -> None:  # type: ignore[type-arg]
    content, templates = project
    root = content.parent
    site = root / "site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(root / ".parkreport-cache", ignore_errors=True)
    build_site(content, site, templates_dir=templates, search=False, jobs=2)
    for edit in edits:
        apply(edit, content, templates)
        build_site(content, site, templates_dir=templates, search=False, jobs=2)
        clean = root / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        build_site(content, clean, templates_dir=templates, search=False, jobs=1, incremental=False)
        assert tree(site) == tree(clean), f"after {edit}"


def test_incremental_noop_rebuild_writes_nothing(project: tuple[Path, Path]) -> None:
    content, templates = project
    site = content.parent / "site"
    first = build_site(content, site, templates_dir=templates, search=False)
    second = build_site(content, site, templates_dir=templates, search=False)
    assert second.files.written == 0 and second.files.unchanged == first.files.files
    assert second.pages_by_kind == first.pages_by_kind
    assert "load" not in second.timings  # nothing was even loaded


def test_incremental_edit_rewrites_only_changed_files(project: tuple[Path, Path]) -> None:
    content, templates = project
    site = content.parent / "site"
    build_site(content, site, templates_dir=templates, search=False)
    before = {path: path.stat().st_mtime_ns for path in site.rglob("*.html")}
    write_report(content, "2021H1", [0], {})
    result = build_site(content, site, templates_dir=templates, search=False)
    assert 0 < result.files.written < result.files.files
    unchanged = [path for path, mtime in before.items() if path.exists() and path.stat().st_mtime_ns == mtime]
    assert site / "search" / "index.html" in unchanged


def test_incremental_build_counts_the_files_it_removes(project: tuple[Path, Path]) -> None:
    content, templates = project
    site = content.parent / "site"
    write_report(content, PERIODS[-1], [0, 1], {})
    build_site(content, site, templates_dir=templates, search=False)
    (site / "by-hand.txt").write_text("put there by hand", encoding="utf-8")
    before = set(tree(site))
    delete_report(content, PERIODS[-1])
    result = build_site(content, site, templates_dir=templates, search=False)
    gone = before - set(tree(site))
    assert "by-hand.txt" in gone and result.files.removed == len(gone)


def test_incremental_hand_edited_site_is_rebuilt(project: tuple[Path, Path]) -> None:
    content, templates = project
    site = content.parent / "site"
    build_site(content, site, templates_dir=templates, search=False)
    page = site / "reports" / "index.html"
    original = page.read_bytes()
    page.write_bytes(b"tampered")
    build_site(content, site, templates_dir=templates, search=False)
    assert page.read_bytes() == original


_RECORD_DAMAGE: dict[str, Callable[[Path], None]] = {
    "not sealed": lambda path: path.write_text('{"schema": 3}', encoding="utf-8"),
    "empty": lambda path: path.write_bytes(b""),
    "sealed, another schema": lambda path: write_sealed(path, RECORD_MAGIC, {**read_sealed(path, RECORD_MAGIC), "schema": 999}),
    "sealed, an old version": lambda path: write_sealed(path, RECORD_MAGIC, {"schema": 1, "version": "0.1.0", "key": "x"}),
    "sealed, not a mapping": lambda path: write_sealed(path, RECORD_MAGIC, ["schema", SCHEMA]),
    "sealed as pages": lambda path: write_sealed(path, PAGES_MAGIC, read_sealed(path, RECORD_MAGIC)),
}


@pytest.mark.parametrize("damage", sorted(_RECORD_DAMAGE))
def test_incremental_damaged_cache_is_ignored(project: tuple[Path, Path], damage: str) -> None:
    content, templates = project
    site = content.parent / "site"
    build_site(content, site, templates_dir=templates, search=False)
    expected = tree(site)
    _RECORD_DAMAGE[damage](cache_file(site))
    (site / "reports" / "index.html").write_bytes(b"tampered")
    result = build_site(content, site, templates_dir=templates, search=False)
    assert result.files.written >= 1
    assert tree(site) == expected
    assert read_sealed(cache_file(site), RECORD_MAGIC)["schema"] == SCHEMA


def test_incremental_cache_entry_pointing_at_wrong_bytes_is_not_trusted(project: tuple[Path, Path]) -> None:
    """A cache whose page hashes disagree with the files on disk makes those pages render again."""
    content, templates = project
    site = content.parent / "site"
    build_site(content, site, templates_dir=templates, search=False)
    expected = tree(site)
    pages = read_sealed(pages_file(site), PAGES_MAGIC)
    pages["pages"] = {path: (digest, "0" * 64, scope) for path, (digest, _, scope) in pages["pages"].items()}
    write_sealed(pages_file(site), PAGES_MAGIC, pages)
    raw = read_sealed(cache_file(site), RECORD_MAGIC)
    raw["outputs"] = {}
    write_sealed(cache_file(site), RECORD_MAGIC, raw)
    build_site(content, site, templates_dir=templates, search=False)
    assert tree(site) == expected


def test_incremental_rebuild_renders_only_pages_whose_context_changed(tmp_path: Path) -> None:
    """Over several workers, a page's digest must not depend on what that worker rendered before."""
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(FIXTURES / "mini", content)
    first = build_site(content, site, search=False, jobs=2)
    assert first.rendered == first.pages
    park = next(iter(sorted((content / "parks").glob("*.yaml"))))
    park.write_text(park.read_text(encoding="utf-8") + "# a comment changes the file, not the content\n", encoding="utf-8")
    again = build_site(content, site, search=False, jobs=2)
    assert "load" in again.timings and again.rendered == 0 and again.files.written == 0
    before = tree(site)
    write = next(iter(sorted((content / "reports").glob("*.yaml"))))
    text = write.read_text(encoding="utf-8")
    assert "title:" in text
    write.write_text(text.replace("title:", "title: 改", 1), encoding="utf-8")
    edited = build_site(content, site, search=False, jobs=2)
    changed = [name for name, data in tree(site).items() if name.endswith(".html") and before.get(name) != data]
    # Every changed page was rendered; few others (a context may hold what a page does not show).
    assert 0 < len(changed) <= edited.rendered <= 2 * len(changed) < edited.pages


def _two_parks(tmp_path: Path, beta_description: str) -> tuple[Path, Path]:
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(FIXTURES / "mini", content)
    (content / "parks" / "beta.yaml").write_text(
        f"id: beta\nname: 贝塔工业园区\nkind: park\nlevel: provincial\nregion: {{province: 河南省}}\n"
        f"description: '{beta_description}'\n", encoding="utf-8")
    return content, site


@pytest.mark.parametrize("search", [False, True])
def test_incremental_link_check_covers_only_changed_pages_when_nothing_is_gone(tmp_path: Path, search: bool,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The search bundle is written after the check: the old one missing from the new site so far is no reason to check all."""
    content, site = _two_parks(tmp_path, "见[阿尔法](/parks/alpha/)。")
    build_site(content, site, search=search)
    checked: list[object] = []
    original = LinkChecker.check

    def spy(self: LinkChecker, pages: object = None) -> list:  # type: ignore[type-arg]
        checked.append(pages)
        return original(self, pages)  # type: ignore[arg-type]

    monkeypatch.setattr(LinkChecker, "check", spy)
    report = content / "reports" / "alpha-2022-m1-4.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("title: 阿尔法工业园区1-4月经济运行", "title: 阿尔法1-4月"),
                      encoding="utf-8")
    edited = build_site(content, site, search=search)
    pages = checked[-1]
    assert isinstance(pages, set) and 0 < len(pages) <= edited.rendered < edited.pages
    assert "parks/beta/index.html" not in pages and "reports/alpha-2022-m1-4/index.html" in pages


def test_incremental_unchanged_page_linking_to_a_removed_page_fails_the_build(tmp_path: Path) -> None:
    content, site = _two_parks(tmp_path, "见[阿尔法](/parks/alpha/)。")
    alpha = content / "parks" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("一个用于测试的园区。", "见[贝塔](/parks/beta/)。"),
                     encoding="utf-8")
    build_site(content, site, search=False)
    before = tree(site)
    (content / "parks" / "beta.yaml").unlink()
    with pytest.raises(BuildError) as failure:
        build_site(content, site, search=False)
    assert any("/parks/alpha/: /parks/beta/: no such page" in line for line in failure.value.details)
    assert tree(site) == before


def test_incremental_unchanged_page_linking_to_a_lost_anchor_fails_the_build(tmp_path: Path) -> None:
    content, site = _two_parks(tmp_path, "见[投资](/reports/alpha-2022-m1-4/#indicators-1)。")
    build_site(content, site, search=False)
    report = content / "reports" / "alpha-2022-m1-4.yaml"
    text = report.read_text(encoding="utf-8")
    second = text.index("  - metric: fixed-asset-investment")
    report.write_text(text[:second] + text[text.index("project_events:"):], encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(content, site, search=False)
    assert any("/parks/beta/: /reports/alpha-2022-m1-4/#indicators-1: no element with id" in line
               for line in failure.value.details)


def test_incremental_english_unit_names_from_the_content_reach_kept_pages(tmp_path: Path) -> None:
    """A unit's English name (metrics.yaml) is read while rendering, not from a page's context: a change re-renders."""
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(FIXTURES / "mini", content)
    metrics = content / "metrics.yaml"
    declared = metrics.read_text(encoding="utf-8") + "units:\n  - name: 美元\n    kind: USD\n    en: {english}\n"
    metrics.write_text(declared.format(english="US dollars"), encoding="utf-8")
    build_site(content, site, search=False)
    metrics.write_text(declared.format(english="American dollars"), encoding="utf-8")
    build_site(content, site, search=False)
    clean = tmp_path / "clean"
    build_site(content, clean, search=False, incremental=False)
    assert "American dollars" in (clean / "en" / "metrics" / "foreign-capital-used" / "index.html").read_text(encoding="utf-8")
    assert tree(site) == tree(clean)


def test_incremental_page_without_digest_losing_an_anchor_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that gets no digest is not recorded: whether it lost an anchor is unknown, so every link is checked."""
    import parkreport.parallel

    original = parkreport.parallel.context_digest

    def digest_for_beta_alone(page: Page, site: SiteInfo) -> str | None:  # every page that may lose an anchor goes unrecorded
        return original(page, site) if page.path == "/parks/beta/" else None

    monkeypatch.setattr(parkreport.parallel, "context_digest", digest_for_beta_alone)
    content, site = _two_parks(tmp_path, "见[投资](/reports/alpha-2022-m1-4/#indicators-1)。")
    build_site(content, site, search=False, jobs=1)
    report = content / "reports" / "alpha-2022-m1-4.yaml"
    text = report.read_text(encoding="utf-8")
    second = text.index("  - metric: fixed-asset-investment")
    report.write_text(text[:second] + text[text.index("project_events:"):], encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(content, site, search=False, jobs=1)
    assert any("/parks/beta/: /reports/alpha-2022-m1-4/#indicators-1: no element with id" in line
               for line in failure.value.details)


def test_incremental_record_files_of_earlier_versions_go_with_the_next_build(project: tuple[Path, Path]) -> None:
    """Earlier versions kept the record, pages and scans as JSON; a build that writes the cache removes them."""
    content, templates = project
    site = content.parent / "site"
    build_site(content, site, templates_dir=templates, search=False)
    legacy = [cache_file(site).with_name(f"site{suffix}") for suffix in (".json", ".pages.json", ".scans.json")]
    for path in legacy:
        path.write_text('{"schema": 2}', encoding="utf-8")
    (content / "parks" / "alpha.yaml").write_text(
        (content / "parks" / "alpha.yaml").read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    build_site(content, site, templates_dir=templates, search=False)
    assert [path.name for path in legacy if path.exists()] == []
    assert read_sealed(cache_file(site), RECORD_MAGIC)["schema"] == SCHEMA
