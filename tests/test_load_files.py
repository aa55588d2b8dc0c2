"""Which files the loader reads, and how it treats odd ones."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from parkreport.load import MAX_SOURCE_BYTES, _rel, load_raw

from .test_load_rejections import PARK, REPORT, content, problems  # noqa: F401 - fixture


def test_load_reads_yml_files_and_skips_hidden_and_other_files(content: Path) -> None:
    (content / PARK).rename(content / "parks" / "alpha.yml")
    (content / "parks" / ".alpha.yaml.swp").write_bytes(b"\x00\xff")
    (content / "parks" / "README.md").write_text("notes", encoding="utf-8")
    assert problems(content) == []


def test_load_directory_linked_from_outside_is_refused(content: Path) -> None:
    outside = content.parent / "shared-parks"
    shutil.move(content / "parks", outside)
    (content / "parks").symlink_to(outside, target_is_directory=True)
    assert problems(content) == [f"content/{PARK}: is a link to a file outside the content directory; copy the file in instead"]


def test_load_fifo_is_refused_without_blocking(content: Path) -> None:
    os.mkfifo(content / "parks" / "pipe.yaml")
    assert problems(content) == ["content/parks/pipe.yaml: is not a regular file; content files must be plain files"]


def test_load_oversized_source_text_is_refused_once(content: Path) -> None:
    source = content / "sources" / "alpha-2022-m1-4.txt"
    with source.open("a", encoding="utf-8") as stream:
        stream.write("园" * (MAX_SOURCE_BYTES // 3 + 1))
    size = source.stat().st_size
    assert problems(content) == [
        f"content/sources/alpha-2022-m1-4.txt: is {size:,} bytes, over the limit of {MAX_SOURCE_BYTES:,}; split it into smaller files"
    ]


def test_load_broken_file_does_not_stop_the_others(content: Path) -> None:
    (content / "reports" / "aaa-broken.yaml").write_text("id: [\n", encoding="utf-8")
    raw = load_raw(content)
    assert [loaded.path for loaded in raw.reports] == [REPORT]
    assert raw.broken == {"reports/aaa-broken.yaml"}
    assert raw.problems[0].path == "content/reports/aaa-broken.yaml"


def test_load_crlf_source_text_matches_quotes(content: Path) -> None:
    source = content / "sources" / "alpha-2022-m1-4.txt"
    source.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    raw = load_raw(content)
    assert "\r" not in raw.sources["alpha-2022-m1-4.txt"]
    assert problems(content) == []


def test_load_missing_metric_vocabulary_is_reported_without_cascades(content: Path) -> None:
    (content / "metrics.yaml").unlink()
    assert problems(content) == [
        "content/metrics.yaml: missing: the metric vocabulary is required; copy the standard one that 'parkreport new site' writes"
    ]


def test_load_unreadable_folder_is_a_located_problem(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_iterdir = Path.iterdir

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self.name == "reports":
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    assert problems(content) == ["content/reports: folder cannot be read: Permission denied"]


@pytest.mark.parametrize(("root", "path"), [
    ("content", "content/parks/a.yaml"),
    ("/srv/site/content", "/srv/site/content/sources/a.orig.txt"),
    (".", "parks/a.yaml"),
    ("/", "/parks/a.yaml"),
    ("content/", "content/reports/x.yml"),
    ("con", "content/parks/a.yaml"),  # a root whose name begins another folder's: not inside it
    ("/srv/c", "/srv/c/parks"),
])
def test_relative_paths_are_those_of_relative_to(root: str, path: str) -> None:
    joined = Path(root) / Path(path).relative_to(root) if Path(path).is_relative_to(root) else Path(path)
    if joined.is_relative_to(Path(root)):
        assert _rel(Path(root), joined) == joined.relative_to(Path(root)).as_posix()
    else:
        with pytest.raises(ValueError):
            _rel(Path(root), joined)
