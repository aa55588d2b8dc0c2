"""Highlighting quotes in a source text: every fact anchored, the text intact."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parkreport.highlight import QuoteAnchor, highlight
from parkreport.quotes import SourceText


def test_overlapping_and_shared_quotes_each_get_an_anchor() -> None:
    text = "预计上半年，规上工业总产值完成96.1亿元，同比增长21.4%。"
    anchors = [
        QuoteAnchor("indicators-0", "规上工业总产值完成96.1亿元，同比增长21.4%"),
        QuoteAnchor("indicators-1", "同比增长21.4%"),
        QuoteAnchor("facts-0", "规上工业总产值完成96.1亿元，同比增长21.4%"),
        QuoteAnchor("targets-0", "不在原文中"),
    ]
    result = highlight(SourceText(text), anchors)
    assert "".join(s.text for s in result.segments) == text
    starts = [anchor for s in result.segments for anchor in s.starts]
    assert sorted(starts) == ["facts-0", "indicators-0", "indicators-1"]
    assert result.missing == ("targets-0",)
    marked = "".join(s.text for s in result.segments if s.marked)
    assert marked == "规上工业总产值完成96.1亿元，同比增长21.4%"
    nested = next(s for s in result.segments if "indicators-1" in s.starts)
    assert set(nested.covered_by) == {"indicators-0", "indicators-1", "facts-0"}


def test_quotes_match_across_line_breaks_and_spaces() -> None:
    text = "规上工业企业总产值完\n成 96.1 亿元, 同比增长 21.4%"
    result = highlight(SourceText(text), [QuoteAnchor("indicators-0", "总产值完成96.1亿元")])
    assert [s.text for s in result.segments if s.marked] == ["总产值完\n成 96.1 亿元"]


@given(
    text=st.text(alphabet="产值亿元增长 \n1.%", min_size=1, max_size=60),
    spans=st.lists(st.tuples(st.integers(0, 59), st.integers(1, 20)), max_size=8),
)
def test_segments_always_rebuild_the_text_and_anchor_every_found_quote(text: str, spans: list[tuple[int, int]]) -> None:
    quotes = [QuoteAnchor(f"facts-{i}", text[start:start + length]) for i, (start, length) in enumerate(spans)]
    result = highlight(SourceText(text), quotes)
    assert "".join(s.text for s in result.segments) == text
    anchored = {anchor for s in result.segments for anchor in s.starts}
    assert anchored | set(result.missing) == {q.anchor for q in quotes}
    assert not anchored & set(result.missing)
    for segment in result.segments:
        assert set(segment.starts) <= set(segment.covered_by) or not segment.text
