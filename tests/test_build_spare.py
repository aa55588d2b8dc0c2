"""The retired tree is kept as the spare and staged into by the next build: nothing stale or shared may leak."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkreport import write
from parkreport.errors import BuildError
from parkreport.write import SiteStaging, spare_path_for, write_site


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() or p.is_symlink()}


def folders_of(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir() and not p.is_symlink()}


def folders_needed(files: dict[str, bytes]) -> set[str]:
    return {relative.rsplit("/", depth)[0] for relative in files for depth in range(1, relative.count("/") + 1)}


def test_the_next_build_stages_into_the_spare_and_keeps_unchanged_files(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"a/index.html": b"1", "b/index.html": b"1"}, site)
    write_site({"a/index.html": b"1", "b/index.html": b"2"}, site)
    spare = spare_path_for(site)
    assert files_of(spare) == {"a/index.html": b"1", "b/index.html": b"1"}  # the first site, retired
    kept = (site / "a" / "index.html").stat().st_ino
    stats = write_site({"a/index.html": b"1", "b/index.html": b"2", "c/index.html": b"3"}, site)
    assert (stats.written, stats.unchanged, stats.removed) == (1, 2, 0)
    assert files_of(site) == {"a/index.html": b"1", "b/index.html": b"2", "c/index.html": b"3"}
    assert (site / "a" / "index.html").stat().st_ino == kept
    assert files_of(spare) == {"a/index.html": b"1", "b/index.html": b"2"}


def test_a_changed_file_is_never_written_through_a_link_into_the_published_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"page.html": b"v1", "data.csv": b"d1"}, site)
    write_site({"page.html": b"v1", "data.csv": b"d2"}, site)  # the spare's page.html is now the site's own file
    assert (spare_path_for(site) / "page.html").stat().st_ino == (site / "page.html").stat().st_ino
    with SiteStaging(site) as staging:
        staging.add("page.html", b"v2")
        staging.add("data.csv", iter([b"d", b"3"]))
        assert files_of(site) == {"page.html": b"v1", "data.csv": b"d2"}  # the live site is untouched until the swap
        staging.publish()
    assert files_of(site) == {"page.html": b"v2", "data.csv": b"d3"}
    assert files_of(spare_path_for(site)) == {"page.html": b"v1", "data.csv": b"d2"}


def test_what_the_spare_holds_that_the_new_site_lacks_is_not_published(tmp_path: Path) -> None:
    site = tmp_path / "site"
    old = {"gone/deep/index.html": b"x", "file-then-folder": b"f", "folder-then-file/index.html": b"d", "kept.html": b"k"}
    write_site(old, site)
    write_site(old, site)
    new = {"file-then-folder/index.html": b"n", "folder-then-file": b"n", "kept.html": b"k"}
    write_site(new, site)
    assert files_of(site) == new
    assert folders_of(site) == folders_needed(new)


def test_a_symlink_in_the_spare_is_removed_not_followed(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    write_site({"index.html": b"1"}, site)
    write_site({"index.html": b"2"}, site)
    (spare_path_for(site) / "data").symlink_to(outside, target_is_directory=True)
    (spare_path_for(site) / "index.html").unlink()
    (spare_path_for(site) / "index.html").symlink_to(site / "index.html")
    write_site({"index.html": b"3", "data/x.csv": b"x"}, site)
    assert list(outside.iterdir()) == []
    assert files_of(site) == {"index.html": b"3", "data/x.csv": b"x"}
    assert not any(p.is_symlink() for p in site.rglob("*"))


def test_a_failed_build_consumes_the_spare_and_the_next_one_starts_afresh(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"index.html": b"1"}, site)
    write_site({"index.html": b"2"}, site)
    with pytest.raises(RuntimeError), SiteStaging(site) as staging:
        staging.add("index.html", b"3")
        raise RuntimeError("render failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert files_of(site) == {"index.html": b"2"}
    write_site({"index.html": b"4"}, site)
    assert files_of(site) == {"index.html": b"4"}


def test_an_unreadable_spare_is_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    write_site({"a/index.html": b"1", "b/index.html": b"1"}, site)
    write_site({"a/index.html": b"2"}, site)
    scandir = os.scandir

    def failing(path: str | int) -> object:
        if isinstance(path, str) and path.endswith("/b"):
            raise PermissionError(13, "Permission denied", path)
        return scandir(path)

    monkeypatch.setattr(write.os, "scandir", failing)
    write_site({"a/index.html": b"3"}, site)
    assert files_of(site) == {"a/index.html": b"3"}


def test_without_an_atomic_exchange_the_retired_site_becomes_the_spare(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write, "exchange_paths", lambda first, second: False)
    site = tmp_path / "site"
    write_site({"index.html": b"1", "old.html": b"o"}, site)
    write_site({"index.html": b"2", "old.html": b"o"}, site)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]
    write_site({"index.html": b"3"}, site)
    assert files_of(site) == {"index.html": b"3"}
    assert files_of(spare_path_for(site)) == {"index.html": b"2", "old.html": b"o"}


def test_a_file_that_cannot_be_cleared_fails_the_build_and_keeps_the_site(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    write_site({"index.html": b"1"}, site)
    write_site({"index.html": b"2"}, site)

    def failing(target: Path) -> None:
        raise OSError(30, "Read-only file system", str(target))

    monkeypatch.setattr(write, "clear_path", failing)
    with pytest.raises(BuildError, match="could not write index.html"):
        write_site({"index.html": b"3"}, site)
    assert files_of(site) == {"index.html": b"2"}


names = st.sampled_from(["a", "b", "c.html"])
paths = st.lists(names, min_size=1, max_size=3).map("/".join)
contents = st.sampled_from([b"1", b"2", b"33"])
sites = st.dictionaries(paths, contents, max_size=6).filter(
    lambda files: not folders_needed(files) & set(files))  # no path is both a file and a folder


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(sites, min_size=1, max_size=5), pieces=st.booleans())
def test_any_sequence_of_sites_publishes_exactly_each_site(tmp_path_factory: pytest.TempPathFactory,
                                                           sequence: list[dict[str, bytes]], pieces: bool) -> None:
    """Each publish gives exactly the files it was given, and the live site never changes before the swap."""
    site = tmp_path_factory.mktemp("spare") / "site"
    for files in sequence:
        before = files_of(site) if site.exists() else None
        with SiteStaging(site) as staging:
            for relative in sorted(files):
                staging.add(relative, iter([files[relative][:1], files[relative][1:]]) if pieces else files[relative])
            assert (files_of(site) if site.exists() else None) == before
            staging.publish()
        assert files_of(site) == files
        assert folders_of(site) == folders_needed(files)


@pytest.mark.parametrize("order", [("a/b.html", "a"), ("a", "a/b.html")])
def test_a_file_and_a_folder_of_one_build_at_the_same_path_are_refused(tmp_path: Path, order: tuple[str, str]) -> None:
    site = tmp_path / "site"
    write_site({"index.html": b"1"}, site)
    write_site({"index.html": b"2"}, site)
    with pytest.raises(BuildError, match="two outputs would be written to a"), SiteStaging(site) as staging:
        for relative in order:
            staging.add(relative, b"x")
    assert files_of(site) == {"index.html": b"2"}


def test_a_worker_that_finds_the_blocking_file_already_made_a_folder_goes_on(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers need the folder 'p' where the spare has a file 'p': the second one's unlink meets the folder."""
    root = tmp_path / "tree"
    root.mkdir()
    (root / "p").write_bytes(b"old")
    unlink = Path.unlink

    def raced(self: Path, missing_ok: bool = False) -> None:
        if self == root / "p" and self.is_file():  # the other worker clears the file and makes the folder first
            unlink(self)
            self.mkdir()
        unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", raced)
    write.stage_file(root, None, "p/k.html", b"k")
    assert (root / "p" / "k.html").read_bytes() == b"k"


def test_spare_folders_get_the_mode_of_new_folders(tmp_path: Path) -> None:
    site = tmp_path / "site"
    files = {"parks/a/index.html": b"1", "index.html": b"1"}
    mask = os.umask(0o077)
    try:
        write_site(files, site)
        write_site({**files, "index.html": b"2"}, site)  # the spare now holds folders made under umask 077
    finally:
        os.umask(mask)
    write_site({**files, "index.html": b"3"}, site)
    assert all((p.stat().st_mode & 0o7777) == 0o777 & ~mask for p in site.rglob("*") if p.is_dir())


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder away needs root")
def test_a_spare_with_a_folder_of_another_user_is_not_used(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"parks/a/index.html": b"1"}, site)
    write_site({"parks/a/index.html": b"2"}, site)
    os.chown(spare_path_for(site) / "parks", 12345, 12345)
    write_site({"parks/a/index.html": b"3"}, site)
    assert files_of(site) == {"parks/a/index.html": b"3"}
    assert all(p.stat().st_uid == os.geteuid() for p in site.rglob("*"))


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_a_spare_that_is_not_a_folder_is_replaced(tmp_path: Path, kind: str) -> None:
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_site({"index.html": b"1"}, site)
    if kind == "file":
        spare_path_for(site).write_bytes(b"not a tree")
    else:
        spare_path_for(site).symlink_to(elsewhere, target_is_directory=True)
    write_site({"index.html": b"2"}, site)
    write_site({"index.html": b"3"}, site)
    assert spare_path_for(site).is_dir() and not spare_path_for(site).is_symlink()
    assert files_of(spare_path_for(site)) == {"index.html": b"2"}
    assert list(elsewhere.iterdir()) == []


def test_a_leftover_whose_name_differs_only_in_case_is_removed_where_case_matters(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"Index.html": b"1", "a.html": b"1"}, site)
    write_site({"Index.html": b"1", "a.html": b"2"}, site)
    write_site({"index.html": b"3", "a.html": b"2"}, site)
    assert files_of(site) == {"index.html": b"3", "a.html": b"2"}


@pytest.mark.parametrize("given_stat", [False, True])
def test_keeping_a_file_the_staging_tree_already_holds_touches_nothing(tmp_path: Path, given_stat: bool) -> None:
    previous, staging = tmp_path / "site", tmp_path / "staging"
    (previous / "a").mkdir(parents=True)
    (previous / "a" / "index.html").write_bytes(b"page")
    (staging / "a").mkdir(parents=True)
    os.link(previous / "a" / "index.html", staging / "a" / "index.html")
    info = os.lstat(previous / "a" / "index.html")
    ctime = os.lstat(staging / "a" / "index.html").st_ctime_ns
    staged = write.keep_previous_file(staging, previous, "a/index.html", info if given_stat else None)
    assert staged is not None and not staged.written
    assert staged.stamp == (info.st_size, info.st_mtime_ns)
    assert os.lstat(staging / "a" / "index.html").st_ctime_ns == ctime  # not linked again


@pytest.mark.parametrize("held", ["copy", "symlink", "folder", "nothing"])
def test_keeping_a_file_replaces_whatever_else_the_staging_tree_holds_there(tmp_path: Path, held: str) -> None:
    previous, staging = tmp_path / "site", tmp_path / "staging"
    (previous / "a").mkdir(parents=True)
    (previous / "a" / "index.html").write_bytes(b"page")
    (staging / "a").mkdir(parents=True)
    target = staging / "a" / "index.html"
    if held == "copy":  # the same bytes, another file
        target.write_bytes(b"page")
    elif held == "symlink":
        target.symlink_to(previous / "a" / "index.html")
    elif held == "folder":
        (target / "x").mkdir(parents=True)
    info = os.lstat(previous / "a" / "index.html")
    staged = write.keep_previous_file(staging, previous, "a/index.html", info)
    assert staged is not None and not staged.written
    assert not target.is_symlink()
    assert os.path.samestat(os.lstat(target), info)


def test_keeping_a_file_that_is_gone_or_has_an_unsafe_name_fails(tmp_path: Path) -> None:
    previous, staging = tmp_path / "site", tmp_path / "staging"
    previous.mkdir()
    staging.mkdir()
    assert write.keep_previous_file(staging, previous, "gone/index.html") is None
    with pytest.raises(BuildError):
        write.keep_previous_file(staging, previous, "../outside.html")
