"""The build engine on the small fixture corpus: output, atomicity, determinism."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from parkreport.build import BuildEvent, build_site
from parkreport.errors import BuildError, BuildLockedError, ContentError
from parkreport.write import lock_path_for, output_lock

from .conftest import FIXTURES


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_writes_every_page_kind_and_reports_them(tmp_path: Path) -> None:
    events: list[BuildEvent] = []
    result = build_site(FIXTURES / "mini", tmp_path / "site", on_event=events.append)
    site = tmp_path / "site"
    for page in ("index.html", "parks/alpha/index.html", "parks/alpha/2022/index.html", "years/2022/index.html",
                 "metrics/industrial-output/index.html", "projects/index.html", "projects/alpha-coatings/index.html",
                 "reports/index.html", "reports/alpha-2022-m1-4/index.html", "quality/index.html",
                 "methods/index.html", "search/index.html", "404.html", "sitemap.xml", "feed.xml", "robots.txt",
                 "data/indicators.csv", "data/indicators.json", "data/parks/alpha.csv"):
        assert (site / page).is_file(), page
    assert result.pages_by_kind["report"] == 2  # once per edition: Chinese and English
    assert result.pages_by_kind["metric"] == 8
    assert result.files.written == len(_tree(site))
    stages = [event.stage for event in events if event.stage != "page"]
    assert stages[:5] == ["load", "derive", "plan", "render", "check"] and stages[-1] == "write"  # post-processing may add stages
    assert sum(event.stage == "page" for event in events) == result.pages
    assert not lock_path_for(site).exists()


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build_site(FIXTURES / "mini", tmp_path / "one")
    build_site(FIXTURES / "mini", tmp_path / "two")
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


def test_rebuild_keeps_unchanged_files_and_removes_stale_ones(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(FIXTURES / "mini", site)
    stale = site / "old-page" / "index.html"
    stale.parent.mkdir()
    stale.write_text("stale")
    home = site / "index.html"
    os.utime(home, (1_000_000_000, 1_000_000_000))
    inode = home.stat().st_ino
    result = build_site(FIXTURES / "mini", site)
    assert not stale.exists()
    assert result.files.removed == 1
    assert result.files.written == 0
    assert home.stat().st_ino == inode
    assert home.stat().st_mtime == 1_000_000_000


def test_a_failing_build_leaves_the_previous_site_untouched(mini_content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(mini_content, site)
    before = _tree(site)
    report = mini_content / "reports" / "alpha-2022-m1-4.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("value: 65.18", "value: 65.18亿元"), encoding="utf-8")
    with pytest.raises(ContentError):
        build_site(mini_content, site)
    assert _tree(site) == before
    # no staging or retired tree is left behind; the build cache of the first build stays
    assert sorted(p.name for p in tmp_path.iterdir()) == [".parkreport-cache", "content", "site"]


def test_a_template_error_fails_the_build_naming_the_template(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(FIXTURES / "mini", site)
    before = _tree(site)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "park.html").write_text("{% extends 'base.html' %}{% block content %}{{ ctx.no_such_field }}{% endblock %}")
    with pytest.raises(BuildError, match="park.html"):
        build_site(FIXTURES / "mini", site, templates_dir=templates)
    assert _tree(site) == before
    # no staging folder left behind (the first build's cache stays)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".parkreport-cache", "site", "templates"]


def test_a_project_template_overrides_the_theme_file_by_file(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "404.html").write_text("{% extends 'base.html' %}{% block content %}<h1>走丢了</h1>{% endblock %}")
    build_site(FIXTURES / "mini", tmp_path / "site", templates_dir=templates)
    assert "走丢了" in (tmp_path / "site" / "404.html").read_text(encoding="utf-8")
    assert "阿尔法工业园区" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_a_broken_link_fails_the_build_with_page_and_link_named(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "search.html").write_text(
        "{% extends 'base.html' %}{% block content %}<a href=\"{{ url('/reports/alpha-2022-m1-4/') }}#indicators-9\">x</a>{% endblock %}"
    )
    with pytest.raises(BuildError) as caught:
        build_site(FIXTURES / "mini", tmp_path / "site", templates_dir=templates)
    assert any(d.startswith("/search/: /reports/alpha-2022-m1-4/#indicators-9") for d in caught.value.details)
    assert not (tmp_path / "site").exists()


def test_a_second_build_of_the_same_output_is_refused_while_one_runs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with output_lock(site):
        with pytest.raises(BuildLockedError):
            build_site(FIXTURES / "mini", site)
    build_site(FIXTURES / "mini", site)


def test_source_date_epoch_sets_the_feed_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build_site(FIXTURES / "mini", tmp_path / "site")
    feed = (tmp_path / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "<updated>2023-11-14T22:13:20Z</updated>" in feed
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    shutil.rmtree(tmp_path / "site")
    build_site(FIXTURES / "mini", tmp_path / "site")
    assert "<updated>2022-06-13T00:00:00Z</updated>" in (tmp_path / "site" / "feed.xml").read_text(encoding="utf-8")


def test_content_text_is_escaped_never_trusted_as_html(mini_content: Path, tmp_path: Path) -> None:
    park = mini_content / "parks" / "alpha.yaml"
    park.write_text(
        park.read_text(encoding="utf-8")
        .replace("name: 阿尔法工业园区", "name: 阿尔法<script>alert(1)</script>园区")
        .replace("description: 一个用于测试的园区。", "description: '[链接](javascript:alert(1)) <img src=x onerror=alert(1)>'"),
        encoding="utf-8",
    )
    build_site(mini_content, tmp_path / "site")
    for page in (tmp_path / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, page
        assert 'href="javascript:' not in html and "<img src=x" not in html, page
    assert "阿尔法&lt;script&gt;" in (tmp_path / "site" / "parks" / "alpha" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("output", ["content", "content/site", ".", ".."])
def test_an_output_that_would_replace_the_sources_is_refused(mini_content: Path, monkeypatch: pytest.MonkeyPatch, output: str) -> None:
    monkeypatch.chdir(mini_content.parent)
    with pytest.raises(BuildError, match="refusing to build into"):
        build_site(mini_content, Path(output))
    assert (mini_content / "metrics.yaml").is_file()


def test_an_output_beside_the_templates_is_fine_but_the_templates_folder_is_refused(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    with pytest.raises(BuildError, match="templates directory"):
        build_site(FIXTURES / "mini", templates, templates_dir=templates)
    build_site(FIXTURES / "mini", tmp_path / "site", templates_dir=templates)


def test_meta_descriptions_are_plain_text(mini_content: Path, tmp_path: Path) -> None:
    park = mini_content / "parks" / "alpha.yaml"
    park.write_text(park.read_text(encoding="utf-8").replace(
        "description: 一个用于测试的园区。", "description: '**重点**园区，见[官网](https://example.org)。'"), encoding="utf-8")
    build_site(mini_content, tmp_path / "site")
    html = (tmp_path / "site" / "parks" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="重点园区，见官网。">' in html
