"""Each park's download rows are kept between builds and made again only when what they are made of changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parkreport.build import build_site
from parkreport.cache import blocks_dir
from tests.faults import snapshot


@pytest.fixture
def made(made_parks: list[str]) -> list[str]:
    """The parks whose indicator rows a build makes (rather than reads back)."""
    return made_parks


def _parks(content: Path) -> list[str]:
    return sorted(path.stem for path in (content / "parks").glob("*.yaml"))


def _clean(content: Path, scratch: Path) -> dict[str, str]:
    shutil.rmtree(scratch, ignore_errors=True)
    build_site(content, scratch / "site", search=False, incremental=False)
    return snapshot(scratch / "site")


def test_an_edit_of_one_parks_report_makes_only_that_parks_rows(example_content: Path, tmp_path: Path, made: list[str]) -> None:
    content, output = example_content, tmp_path / "out" / "site"
    build_site(content, output, search=False)
    assert sorted(made) == _parks(content)
    first = sorted(path.name for path in blocks_dir(output).iterdir())
    assert len(first) == 2 * len(_parks(content))
    made.clear()
    report = content / "reports" / "puyang-2023-h1.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("value: 96.1", "value: 96.2").replace("96.1亿元", "96.2亿元"),
                      encoding="utf-8")
    source = content / "sources" / "puyang-2023-h1.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("96.1亿元", "96.2亿元"), encoding="utf-8")
    build_site(content, output, search=False)
    assert made == ["puyang"]
    assert snapshot(output) == _clean(content, tmp_path / "clean")
    second = sorted(path.name for path in blocks_dir(output).iterdir())
    assert len(second) == len(first) and len(set(first) - set(second)) == 2  # the park's old blocks went


def test_a_shared_file_edit_or_another_site_url_makes_every_parks_rows_again(example_content: Path, tmp_path: Path,
                                                                            made: list[str]) -> None:
    content, output = example_content, tmp_path / "out" / "site"
    build_site(content, output, search=False)
    made.clear()
    metrics = content / "metrics.yaml"
    metrics.write_text(metrics.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    build_site(content, output, search=False)
    assert sorted(made) == _parks(content)
    assert snapshot(output) == _clean(content, tmp_path / "clean")
    made.clear()
    build_site(content, output, base_url="/sub/", search=False)  # rows carry links: another site URL, other rows
    assert sorted(made) == _parks(content)
    assert len(list(blocks_dir(output).iterdir())) == 2 * len(_parks(content))


def test_without_the_cache_no_blocks_are_kept(example_content: Path, tmp_path: Path) -> None:
    content, output = example_content, tmp_path / "out" / "site"
    build_site(content, output, search=False)
    assert blocks_dir(output).is_dir()
    build_site(content, output, search=False, incremental=False)
    assert not blocks_dir(output).exists()


def _touch_report(content: Path, report: str) -> None:
    path = content / "reports" / f"{report}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")


def test_a_folder_where_a_block_goes_is_replaced_by_the_block(example_content: Path, tmp_path: Path, made: list[str]) -> None:
    content, output = example_content, tmp_path / "out" / "site"
    build_site(content, output, search=False)
    for path in blocks_dir(output).iterdir():
        path.unlink()
        path.mkdir()
        (path / "x").write_text("x", encoding="utf-8")
    (blocks_dir(output) / "leftover-folder").mkdir()
    made.clear()
    _touch_report(content, "puyang-2023-h1")
    build_site(content, output, search=False)
    assert sorted(made) == _parks(content)  # every block was a folder
    assert all(path.is_file() for path in blocks_dir(output).iterdir())
    assert len(list(blocks_dir(output).iterdir())) == 2 * len(_parks(content))
    made.clear()
    _touch_report(content, "puyang-2023-h1")
    build_site(content, output, search=False)
    assert made == ["puyang"]
