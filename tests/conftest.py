from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _writable_copy(source: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "content"
    shutil.copytree(source, target)
    return target


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, for this test (private folders and Pagefind's copy of the pages go there)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def mini_content(tmp_path: Path) -> Path:
    """A writable copy of the small, valid fixture corpus."""
    return _writable_copy(FIXTURES / "mini", tmp_path)


@pytest.fixture
def example_content(tmp_path: Path) -> Path:
    """A writable copy of the example content (four parks)."""
    return _writable_copy(ROOT / "content", tmp_path)


@pytest.fixture
def made_parks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The parks whose indicator download rows are made (rather than read back), in order, while the test runs."""
    from typing import Any

    from parkreport import export

    parks: list[str] = []
    original = export._Rows.park_indicators

    def counted(self: Any, park: str) -> list[dict[str, Any]]:
        parks.append(park)
        return original(self, park)

    monkeypatch.setattr(export._Rows, "park_indicators", counted)
    return parks


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="Rewrite tests/golden/ from the current build output.")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example (content/ + templates/) built once per session."""
    from parkreport.build import build_site

    output = tmp_path_factory.mktemp("example") / "site"
    build_site(ROOT / "content", output, templates_dir=ROOT / "templates")
    return output
