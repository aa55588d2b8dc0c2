"""A matching view of a source text: same length, easier to match.

Rules match against a *view* of the cleaned text in which full-width digits
and punctuation are ASCII and Traditional characters are Simplified. The view
has exactly one character per source character, so every offset found in the
view is an offset into the source, and quotes are cut from the source
verbatim.
"""

from __future__ import annotations

from functools import lru_cache

_FULL_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH.update({"\u3000": " ", "—": "-", "–": "-", "〜": "~"})
_WIDTH_TABLE = str.maketrans(_FULL_WIDTH)


def to_ascii_width(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII, one for one."""
    return text.translate(_WIDTH_TABLE)


@lru_cache(maxsize=1)
def _simplifier() -> object | None:
    try:
        import opencc
    except ImportError:  # pragma: no cover - OpenCC is a declared dependency
        return None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters as Simplified, keeping the length.

    OpenCC converts phrases, which can change the length in rare cases; then
    each character is converted on its own so offsets stay aligned.
    """
    converter = _simplifier()
    if converter is None or not text:
        return text
    converted = converter.convert(text)  # type: ignore[attr-defined]
    if len(converted) == len(text):
        return str(converted)
    singles = (str(converter.convert(char)) for char in text)  # type: ignore[attr-defined]
    return "".join(single if len(single) == 1 else char for single, char in zip(singles, text))


def matching_view(text: str) -> str:
    """The text as rules see it: ASCII-width and Simplified, same length."""
    view = to_simplified(to_ascii_width(text))
    assert len(view) == len(text)
    return view
