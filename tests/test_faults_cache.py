"""The incremental cache (``.parkreport-cache/``) is checked, never trusted blindly.

A cache that is garbage, cut short, of the wrong shape, lying about pages or
about the published site, or not even a file, must give the same site as a
clean build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from parkreport.build import build_site
from parkreport.cache import (
    PAGES_MAGIC,
    RECORD_MAGIC,
    SCANS_MAGIC,
    DownloadBlocks,
    added_scans_file,
    blocks_dir,
    cache_file,
    pages_file,
    scans_file,
)
from parkreport.contentcache import read_sealed, write_sealed
from tests.faults import snapshot


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xff not json at all")


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _magic(path: Path) -> bytes:
    return {".record": RECORD_MAGIC, ".pages": PAGES_MAGIC, ".scans": SCANS_MAGIC}[path.suffix]


def _resealed(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """The sealed file at ``path`` read, changed and sealed again: damage its seal cannot show."""
    data = read_sealed(path, _magic(path))
    change(data)
    write_sealed(path, _magic(path), data)


def _wrong_shape(path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        for name in ("pages", "outputs", "inputs"):
            if name in data:
                data[name] = ["not", "a", "mapping"]

    _resealed(path, change)


def _row_damage(damage: Callable[[dict[Any, Any], Any], None]) -> Callable[[Path], None]:
    """``damage`` done to the first row (by name) of each table of a sealed file."""
    def change(data: dict[str, Any]) -> None:
        for name in ("pages", "outputs", "inputs"):
            if name in data:
                damage(data[name], min(data[name]))

    return lambda path: _resealed(path, change)


def _first_value_retyped(rows: dict[Any, Any], name: str) -> None:
    first, *rest = rows[name]
    rows[name] = (str(first) if isinstance(first, int) else 0, *rest)


def _with_int_key(rows: dict[Any, Any], name: str) -> None:
    rows[7] = rows.pop(name)


# A row of another shape: each must be refused on its own (one working check must not hide another's absence).
_ROW_DAMAGE: dict[str, Callable[[Path], None]] = {
    "row a list": _row_damage(lambda rows, name: rows.__setitem__(name, list(rows[name]))),
    "row a column short": _row_damage(lambda rows, name: rows.__setitem__(name, rows[name][:-1])),
    "row a column more": _row_damage(lambda rows, name: rows.__setitem__(name, (*rows[name], 0))),
    "row a value of another type": _row_damage(_first_value_retyped),
    "row a key not a name": _row_damage(_with_int_key),
}


def _pages_swapped(path: Path) -> None:
    """Each page's record (context digest, output hash) moved to another page."""
    def change(data: dict[str, Any]) -> None:
        names = sorted(data["pages"])
        records = [data["pages"][name] for name in names]
        data["pages"] = dict(zip(names, records[1:] + records[:1]))

    _resealed(path, change)


def _outputs_lie(path: Path) -> None:
    """The output hashes recorded for every page are wrong."""
    def change(data: dict[str, Any]) -> None:
        data["pages"] = {name: (digest, "0" * 64, scope) for name, (digest, _, scope) in data["pages"].items()}

    _resealed(path, change)


def _inputs_lie(path: Path) -> None:
    """The content hashes recorded are wrong, with sizes and times that match the files."""
    def change(data: dict[str, Any]) -> None:
        data["inputs"] = {name: (size, mtime, "f" * 64) for name, (size, mtime, _) in data["inputs"].items()}

    _resealed(path, change)


def _deeply_nested(path: Path) -> None:
    """Well sealed, and a list nested 100,000 deep."""
    depth = 100_000
    payload = b"\x80\x05" + b"]" * depth + b"a" * (depth - 1) + b"."
    path.write_bytes(_magic(path) + hashlib.sha256(payload).digest() + payload)


def _a_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "x").write_text("x")


def _byte_flipped(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x01
    path.write_bytes(bytes(data))


def _sealed_wrong_shape(path: Path) -> None:
    """A well-sealed scans file whose scans are not scans."""
    data = read_sealed(path, SCANS_MAGIC)
    data["pages"] = {sha: ["not", "a", "scan"] for sha in data["pages"]}
    write_sealed(path, SCANS_MAGIC, data)


# Damage done to either cache file: the build's record, or its pages' (read only when there is work).
_EITHER_FILE: dict[str, Callable[[Path], None]] = {
    "garbage": _garbage,
    "truncated": _truncated,
    "wrong shape": _wrong_shape,
    **_ROW_DAMAGE,
    "byte flipped": _byte_flipped,
    "deeply nested": _deeply_nested,
    "a directory": _a_directory,
}
# Each corruption, and the cache file it is done to.
CORRUPTIONS: dict[str, tuple[Callable[[Path], Path], Callable[[Path], None]]] = {
    **{name: (cache_file, damage) for name, damage in _EITHER_FILE.items()},
    **{f"pages {name}": (pages_file, damage) for name, damage in _EITHER_FILE.items()},
    **{f"scans {name}": (scans_file, damage)
       for name, damage in {"garbage": _garbage, "truncated": _truncated, "a directory": _a_directory,
                            "byte flipped": _byte_flipped, "wrong shape": _sealed_wrong_shape}.items()},
    "pages swapped": (pages_file, _pages_swapped),
    "output hashes lie": (pages_file, _outputs_lie),
    "input hashes lie": (cache_file, _inputs_lie),
}


CASES = [(name, corrupt, False) for name, corrupt in CORRUPTIONS.items()] + [
    (f"{name}, content edited", CORRUPTIONS[name], True)
    for name in ("pages garbage", "pages deeply nested", "pages swapped", "output hashes lie", "input hashes lie", "pages a directory",
                 "scans garbage", "scans byte flipped", "scans wrong shape", "scans a directory")
]
_CLEAN: dict[bool, dict[str, str]] = {}


def _edit(content: Path) -> None:
    park = content / "parks" / "alpha.yaml"
    park.write_text(park.read_text(encoding="utf-8").replace("一个用于测试的园区。", "一个改过的园区。"), encoding="utf-8")


def _clean_build(content: Path, edited: bool, scratch: Path) -> dict[str, str]:
    if edited not in _CLEAN:
        build_site(content, scratch / "clean" / "site", search=False, incremental=False)
        _CLEAN[edited] = snapshot(scratch / "clean" / "site")
    return _CLEAN[edited]


@pytest.mark.parametrize(("corrupt", "edit_content"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_faults_cache_corruption_gives_a_clean_build(mini_content: Path, tmp_path: Path,
                                                     corrupt: tuple[Callable[[Path], Path], Callable[[Path], None]],
                                                     edit_content: bool) -> None:
    output = tmp_path / "out" / "site"
    build_site(mini_content, output, search=False)
    file_of, damage = corrupt
    cache = file_of(output)
    assert cache.is_file()
    damage(cache)
    if edit_content:
        _edit(mini_content)
    build_site(mini_content, output, search=False)
    assert snapshot(output) == _clean_build(mini_content, edit_content, tmp_path)


@pytest.mark.parametrize("damage", [_garbage, _truncated, _byte_flipped, _a_directory, _sealed_wrong_shape],
                         ids=["garbage", "truncated", "byte flipped", "a directory", "wrong shape"])
def test_faults_cache_damaged_added_scans_give_a_clean_build(mini_content: Path, tmp_path: Path,
                                                            damage: Callable[[Path], None]) -> None:
    """An edit adds its pages' scans beside the whole file; damaged, they are not trusted, and the next edit is right."""
    output = tmp_path / "out" / "site"
    build_site(mini_content, output, search=False)
    whole = scans_file(output).read_bytes()
    _edit(mini_content)
    build_site(mini_content, output, search=False)
    assert scans_file(output).read_bytes() == whole and added_scans_file(output).is_file()
    damage(added_scans_file(output))
    park = mini_content / "parks" / "alpha.yaml"
    park.write_text(park.read_text(encoding="utf-8").replace("一个改过的园区。", "又改过一次的园区。"), encoding="utf-8")
    build_site(mini_content, output, search=False)
    build_site(mini_content, tmp_path / "clean" / "site", search=False, incremental=False)
    assert snapshot(output) == snapshot(tmp_path / "clean" / "site")


def test_faults_cache_does_not_hide_a_damaged_site(mini_content: Path, tmp_path: Path) -> None:
    """A page of the published site changed behind the cache's back is rebuilt, even with nothing else changed."""
    output = tmp_path / "site"
    build_site(mini_content, output, search=False)
    good = snapshot(output)
    page = output / "parks" / "alpha" / "index.html"
    page.write_bytes(page.read_bytes().replace("阿尔法".encode(), "贝塔".encode(), 1))
    build_site(mini_content, output, search=False)
    assert snapshot(output) == good



def _sealed_not_bytes(path: Path) -> None:
    write_sealed(path, DownloadBlocks.MAGIC, ["not", "bytes"])


@pytest.mark.parametrize("damage", [_garbage, _truncated, _byte_flipped, _a_directory, _sealed_not_bytes],
                         ids=["garbage", "truncated", "byte flipped", "a directory", "not bytes"])
def test_faults_cache_damaged_download_blocks_give_a_clean_build(example_content: Path, tmp_path: Path,
                                                                  damage: Callable[[Path], None]) -> None:
    """Every park's kept download rows damaged alike, then one park's report edited: the others' rows are made again."""
    content = example_content
    output = tmp_path / "out" / "site"
    build_site(content, output, search=False)
    kept = sorted(blocks_dir(output).iterdir())
    assert len(kept) == 2 * len(list((content / "parks").glob("*.yaml")))
    for path in kept:
        damage(path)
    report = content / "reports" / "puyang-2023-h1.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    build_site(content, output, search=False)
    build_site(content, tmp_path / "clean" / "site", search=False, incremental=False)
    assert snapshot(output) == snapshot(tmp_path / "clean" / "site")
