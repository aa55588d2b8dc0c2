"""Random and mutated input never crashes or hangs the loader.

Whatever bytes a content file holds, ``load_raw`` + ``check_raw`` return:
either a corpus or located problems, never a traceback. ``deadline`` makes
hypothesis fail an example that takes too long.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkreport.errors import ContentError
from parkreport.load import load_raw
from parkreport.validate import check_raw
from parkreport.yamlreader import read_yaml_bytes

from .conftest import FIXTURES

MINI_FILES = ("metrics.yaml", "parks/alpha.yaml", "reports/alpha-2022-m1-4.yaml")
FUZZ = settings(max_examples=60, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])

# YAML-ish building blocks: indicators, punctuation and fragments of real content.
TOKENS = st.sampled_from(
    [
        "\n", " ", "  ", "- ", ": ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!x ", "'", '"', "|", ">",
        "#", "---", "...", "%YAML 1.1", "\t", "\\", "no", "yes", "0123", "1:30", "0x1F", ".inf", "~", "null",
        "id", "parks", "indicators", "quote", "value", "unit", "period", "2022M1-4", "2022M13", "65.18", "亿元",
        "96.1亿元", "濮阳", "规上工业总产值", "alpha", "\ufeff", "\x00", "\x07", "\u2028", "\ud7ff", "é",
    ]
)
YAMLISH = st.lists(TOKENS, max_size=60).map("".join)


def _check_problems(root: Path) -> None:
    raw = load_raw(root)
    corpus, problems = check_raw(raw)
    assert (corpus is None) == bool(problems)
    for problem in problems:
        assert problem.path
        assert problem.line >= 0 and problem.column >= 0
        assert problem.message


def _with_file(rel: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        shutil.copytree(FIXTURES / "mini", root)
        (root / rel).write_bytes(data)
        _check_problems(root)


def _read_or_located(data: bytes) -> None:
    try:
        read_yaml_bytes(data, "f.yaml")
    except ContentError as error:
        assert error.problems
        assert all(p.line >= 1 and p.column >= 1 for p in error.problems)


@FUZZ
@given(st.binary(max_size=400))
def test_load_fuzz_random_bytes_give_data_or_located_problems(data: bytes) -> None:
    _read_or_located(data)


@FUZZ
@given(YAMLISH)
def test_load_fuzz_yamlish_text_gives_data_or_located_problems(text: str) -> None:
    _read_or_located(text.encode("utf-8", errors="surrogatepass"))


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[str, bytes]:
    """A fixture file with characters or lines deleted, inserted or duplicated."""
    rel = draw(st.sampled_from(MINI_FILES))
    text = (FIXTURES / "mini" / rel).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["delete-char", "insert", "duplicate-char", "delete-line", "duplicate-line", "swap-lines"]))
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        line = draw(st.integers(0, len(lines) - 1))
        if kind == "delete-char":
            text = text[:at] + text[at + 1:]
        elif kind == "insert":
            text = text[:at] + draw(TOKENS) + text[at:]
        elif kind == "duplicate-char":
            text = text[:at] + text[at:at + 1] + text[at:]
        elif kind == "delete-line":
            text = "\n".join(lines[:line] + lines[line + 1:])
        elif kind == "duplicate-line":
            text = "\n".join(lines[:line + 1] + lines[line:])
        else:
            other = draw(st.integers(0, len(lines) - 1))
            lines[line], lines[other] = lines[other], lines[line]
            text = "\n".join(lines)
    return rel, text.encode("utf-8", errors="surrogatepass")


@FUZZ
@given(mutated_fixture())
def test_load_fuzz_mutated_fixture_files_give_a_corpus_or_located_problems(case: tuple[str, bytes]) -> None:
    _with_file(*case)


@FUZZ
@given(st.sampled_from(MINI_FILES), st.binary(max_size=300))
def test_load_fuzz_random_bytes_as_a_content_file_give_located_problems(rel: str, data: bytes) -> None:
    _with_file(rel, data)
