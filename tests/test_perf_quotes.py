"""The regex-compacted SourceText finds exactly what the per-character reference finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parkreport.quotes import SourceText

ALPHABET = st.sampled_from(list("规上工业产值65.18亿元%,。 \t\n\u3000\u00a0\x1c"))


def reference_find(text: str, quote: str, start: int = 0) -> tuple[int, int] | None:
    kept = [(index, char) for index, char in enumerate(text) if not char.isspace()]
    compact = "".join(char for _, char in kept)
    needle = "".join(char for char in quote if not char.isspace())
    if not needle:
        return None
    begin = next((i for i, (offset, _) in enumerate(kept) if offset >= start), len(kept))
    found = compact.find(needle, begin)
    if found < 0:
        return None
    return kept[found][0], kept[found + len(needle) - 1][0] + 1


@settings(max_examples=200)
@given(st.text(ALPHABET, max_size=40), st.text(ALPHABET, max_size=6), st.integers(0, 45))
def test_perf_find_matches_reference(text: str, quote: str, start: int) -> None:
    source = SourceText(text)
    assert source.find(quote, start) == reference_find(text, quote, start)
    assert (quote in source) == (reference_find(text, quote) is not None)


def test_perf_find_ignores_unicode_spaces() -> None:
    source = SourceText("完成65.18\u3000亿元,\n同比增长29.2%")
    assert source.find("65.18亿元,同比") == (2, 14)
    assert "增长 29.2 %" in source


def test_perf_find_keeps_a_pair_of_integers_per_run_not_an_integer_per_character() -> None:
    """A worker highlights every report it renders; what it keeps per source must not grow with each character."""
    text = ("规上工业总产值完成65.18亿元，同比增长29.2%。" * 400 + "\n") * 20  # 20 runs of 10,800 characters
    source = SourceText(text)
    begin, end = source.find("同比增长29.2%", 150_000) or (0, 0)
    assert text[begin:end] == "同比增长29.2%" and begin >= 150_000
    assert source._runs is not None
    assert len(source._runs.compact_starts) == len(source._runs.text_starts) == 20
