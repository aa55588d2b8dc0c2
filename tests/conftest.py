from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def mini_content(tmp_path: Path) -> Path:
    """A writable copy of the small, valid fixture corpus."""
    import shutil

    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", target)
    return target
