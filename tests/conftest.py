from __future__ import annotations

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
