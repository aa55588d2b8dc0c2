"""Regenerate the reference output of the fixture site: ``python -m tests.regen_golden``.

The golden tests (tests/test_build_golden.py) build ``tests/fixtures/mini``
and compare every output file byte for byte with ``tests/golden/mini/``.
After an intended change to templates, pages or downloads, run this (or
``pytest --regen-golden``), read the diff in git, and commit it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from parkreport.build import build_site

TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden" / "mini"
FIXTURE = TESTS / "fixtures" / "mini"
BASE_URL = "https://example.org/parks/"
IGNORED = ("static/", "pagefind/")  # copied theme assets and the search bundle: not ours to pin byte for byte


def build_fixture(output: Path) -> None:
    """The build whose output the golden files record (the theme only, a full base URL)."""
    build_site(FIXTURE, output, base_url=BASE_URL)


def regenerate() -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "site"
        build_fixture(output)
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        shutil.copytree(output, GOLDEN, ignore=lambda folder, names: [n for n in names if Path(folder) == output and f"{n}/" in IGNORED])
    return GOLDEN


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()  # --help explains instead of rewriting
    print(f"wrote {regenerate()}")
