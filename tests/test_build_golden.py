"""Reference-output tests: the fixture site, byte for byte.

Regenerate after an intended change with ``python -m tests.regen_golden``
or ``pytest --regen-golden``, then review the diff in git.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .regen_golden import GOLDEN, IGNORED, build_fixture, regenerate


def _files(root: Path) -> dict[str, bytes]:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    return {name: data for name, data in files.items() if not name.startswith(IGNORED)}


def test_the_fixture_site_matches_the_golden_files(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--regen-golden"):
        regenerate()
    build_fixture(tmp_path / "site")
    built, golden = _files(tmp_path / "site"), _files(GOLDEN)
    assert sorted(built) == sorted(golden), "files differ; regenerate with: python -m tests.regen_golden"
    changed = [name for name in built if built[name] != golden[name]]
    assert not changed, f"{changed} differ from tests/golden/mini; if intended: python -m tests.regen_golden"
