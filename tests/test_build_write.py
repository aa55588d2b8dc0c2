"""Atomic output: staging beside the output, unchanged files kept, the lock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parkreport import write
from parkreport.errors import BuildError, BuildLockedError
from parkreport.write import SiteStaging, lock_path_for, output_lock, write_site


def test_files_are_staged_one_by_one_and_published_in_one_swap(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"index.html": b"old", "gone.html": b"x"}, site)
    with SiteStaging(site) as staging:
        staging.add("index.html", b"new")
        staging.add("parks/a/index.html", b"a")
        assert (site / "index.html").read_bytes() == b"old"  # nothing visible before publishing
        stats = staging.publish()
    assert (stats.written, stats.unchanged, stats.removed) == (2, 0, 1)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == ["index.html", "parks/a/index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]  # the retired tree, for the next build


def test_leaving_the_staging_block_without_publishing_changes_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"index.html": b"old"}, site)
    with pytest.raises(RuntimeError), SiteStaging(site) as staging:
        staging.add("index.html", b"new")
        raise RuntimeError("render failed")
    assert (site / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_paths_escaping_the_site_and_duplicates_are_refused(tmp_path: Path) -> None:
    with SiteStaging(tmp_path / "site") as staging:
        for bad in ("../evil.html", "/etc/passwd", "a//b.html", ""):
            with pytest.raises(BuildError):
                staging.add(bad, b"x")
        staging.add("a.html", b"x")
        with pytest.raises(BuildError, match="two outputs"):
            staging.add("a.html", b"y")


def test_identical_files_keep_their_inode_and_mtime(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"same.html": b"same", "changed.html": b"v1"}, site)
    same_inode = (site / "same.html").stat().st_ino
    stats = write_site({"same.html": b"same", "changed.html": b"v2"}, site)
    assert (stats.written, stats.unchanged) == (1, 1)
    assert (site / "same.html").stat().st_ino == same_inode
    assert (site / "changed.html").read_bytes() == b"v2"


@pytest.mark.parametrize(("pieces", "kept"), [
    ([b"ab", b"cd", b"ef"], True),  # the same bytes, cut elsewhere
    ([b"abcdef"], True),
    ([b"ab", b"cd", b"eX"], False),  # differs in the last piece
    ([b"ab", b"cd"], False),  # shorter
    ([b"ab", b"cd", b"ef", b"g"], False),  # longer
    ([b"", b"abcdef", b""], True),
    ([], False),
])
def test_a_file_written_in_pieces_is_compared_with_the_previous_one(tmp_path: Path, pieces: list[bytes], kept: bool) -> None:
    site = tmp_path / "site"
    write_site({"data/big.json": b"abcdef"}, site)
    inode = (site / "data" / "big.json").stat().st_ino
    with SiteStaging(site) as staging:
        staging.add("data/big.json", iter(pieces))
        stats = staging.publish()
    assert (site / "data" / "big.json").read_bytes() == b"".join(pieces)
    assert ((site / "data" / "big.json").stat().st_ino == inode) == kept
    assert (stats.written, stats.unchanged) == ((0, 1) if kept else (1, 0))


def test_a_file_in_pieces_is_written_when_the_previous_one_is_missing_or_not_a_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site({"a.csv": b"x"}, site)
    (site / "b.csv").mkdir()
    (site / "c.csv").symlink_to(site / "a.csv")
    with SiteStaging(site) as staging:
        for name in ("a.csv", "b.csv", "c.csv", "d.csv"):
            staging.add(name, iter([b"x"]))
        stats = staging.publish()
    assert (stats.written, stats.unchanged) == (3, 1)
    assert all((site / name).read_bytes() == b"x" and not (site / name).is_symlink() for name in ("a.csv", "b.csv", "c.csv", "d.csv"))


@pytest.mark.parametrize(("failure", "raised"), [(ValueError("a bug"), ValueError), (OSError(28, "No space left"), BuildError)])
def test_a_file_whose_pieces_fail_midway_leaves_the_previous_site(tmp_path: Path, failure: Exception,
                                                                  raised: type[Exception]) -> None:
    site = tmp_path / "site"
    write_site({"data/big.json": b"abcdef"}, site)
    inode = (site / "data" / "big.json").stat().st_ino

    def pieces() -> Iterator[bytes]:
        yield b"abc"
        raise failure

    with pytest.raises(raised), SiteStaging(site) as staging:
        staging.add("data/big.json", pieces())
    assert (site / "data" / "big.json").read_bytes() == b"abcdef"
    assert (site / "data" / "big.json").stat().st_ino == inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_previous_file_is_closed_when_the_new_one_cannot_be_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    write_site({"data/big.json": b"abcdef"}, site)
    opened: list[Any] = []

    def tracked(path: Path | None) -> Any:
        handle = original(path)
        opened.append(handle)
        return handle

    original = write._open_regular
    monkeypatch.setattr(write, "_open_regular", tracked)
    monkeypatch.setattr(write, "clear_path", lambda target: None)  # so the folder below stays where the file goes
    with SiteStaging(site) as staging:
        staging.add("data/big.json/inner.html", b"x")  # the file's name is now a folder of the staging tree
        with pytest.raises(BuildError, match="could not write data/big.json"):
            staging.add("data/big.json", iter([b"abcdef"]))
    assert opened and opened[0] is not None and opened[0].closed


def test_the_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with output_lock(site) as lock:
        assert lock == lock_path_for(site)
        with pytest.raises(BuildLockedError, match="another build"), output_lock(site):
            pass
    assert not lock_path_for(site).exists()
    with output_lock(site):
        pass


def test_write_passes_over_a_folder_of_the_old_site_it_cannot_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable folder in the output (say a root-owned .well-known) does not stop publishing."""
    site = tmp_path / "site"
    write_site({"index.html": b"old", "locked/a.txt": b"a"}, site)
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if isinstance(path, str) and os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    stats = write_site({"index.html": b"new"}, site)
    assert (site / "index.html").read_bytes() == b"new" and not (site / "locked").exists()
    assert stats.written == 1
