"""Lines into paragraphs: joining hard line breaks, and where spaces belong.

Joining a line break. OCR and e-mail copies break sentences across lines and
sometimes across blank lines ("中国特\\n\\n色社会主义"). A break after line A,
before line B, is joined only when all of these hold:

* A does not end a sentence (。！？；：…” and the like);
* A is not a heading, title or byline, and B is not a heading, a byline, a
  list item ("一是", "二、", "（三）", "1.") or an image caption ("图①");
* for a break inside a block of lines, A is a wrapped line: it holds some
  punctuation, or it is nearly as long as the longest line of its block
  (a short line without punctuation is a heading), or the break could be
  joined across a blank line (below);
* for a break across a blank line, the paragraph so far is at most
  ``MAX_SPLIT_LINE`` characters and holds punctuation: a line that a column
  or page break split. A long paragraph that stops mid-sentence more likely
  lost text to the OCR; it is left apart, so the gap shows.

The first paragraph of a document is its title when it is short and does not
end a sentence; it is never joined across a blank line, nor to a line much
longer than itself.

Spaces. Whitespace next to a CJK character or CJK punctuation is an artefact
("65.18 亿元", "完 成", "以来, 工业园区") and is removed; a space between a
digit and % too. Spaces between Latin words stay. Spaces between two
characters stay in headline-like paragraphs ("靶向开方 力促...") and in credits
("(记者 杨鸣宇 整理)"), where they separate words and names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SENTENCE_END = frozenset("。！？；：…”’』」!?;:")
SENTENCE_STOP = frozenset("。！？；…!?;")
CLAUSE_PUNCTUATION = frozenset("，。、；：！？,;:!?")
MAX_SPLIT_LINE = 40
MAX_TITLE = 60
WRAPPED_SHARE = 0.8

_CJK_CHAR = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u25a1"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014"
_CJK = re.compile(rf"[{_CJK_CHAR}{_CJK_PUNCT}]")
_IDEOGRAPH = re.compile(rf"[{_CJK_CHAR}]")
_HEADING_MARK = re.compile(r"^(#{1,6})(?:\s+|$)|^>\s?")
_BYLINE = re.compile(r"^(?:本报记者|本报通讯员|记者|通讯员|特约记者|特约通讯员|实习生|文/图|文图|摄影|图/|图文)")
_LIST_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、是要]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．]\D|第[一二三四五六七八九十\d]+[、,，条章节]|[①-⑳]|图[①-⑳\d])"
)
_LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[、.．](?=\D)|第[一二三四五六七八九十\d]+[、,，])")
_CREDIT = re.compile(
    r"[（(][^()（）]{0,30}(?:记者|通讯员|整理|摄影|摄|供图|编辑|报道|撰稿|作者)[^()（）]{0,30}[)）]"
)
_INSIDE_NUMBER = re.compile(r"(?<=\d)[:,](?=\d)")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_ASCII_PUNCTUATION = frozenset('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')


@dataclass
class Line:
    """One non-empty line of the source, as read."""

    text: str
    gap_before: bool  # a blank line (or removed chrome) came before it
    heading: bool = False  # marked up as a heading ("# ...")
    block_width: int = 0  # length of the longest line of its block


@dataclass
class Paragraph:
    lines: list[Line] = field(default_factory=list)
    text: str = ""


def _length(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


def ends_sentence(text: str) -> bool:
    return bool(text) and text.rstrip()[-1] in SENTENCE_END


def has_punctuation(text: str) -> bool:
    """Clause punctuation, not counting a list marker ("一、"), the colon of 18:00 or the comma of 1,234."""
    text = _LIST_MARKER.sub("", text, count=1)
    return any(char in CLAUSE_PUNCTUATION for char in _INSIDE_NUMBER.sub("", text))


def strip_markup(text: str) -> tuple[str, bool]:
    """Remove Markdown heading and quote markers ("# ", "> > "); say whether it was a heading."""
    heading = False
    match = _HEADING_MARK.match(text)
    while match is not None:
        heading = heading or match.group(1) is not None
        text = text[match.end():].strip()
        match = _HEADING_MARK.match(text)
    return text, heading


def measure_blocks(lines: list[Line]) -> None:
    """Record on each line the width of its block (lines between blank lines)."""
    start = 0
    for index in range(1, len(lines) + 1):
        if index == len(lines) or lines[index].gap_before:
            width = max(_length(line.text) for line in lines[start:index])
            for line in lines[start:index]:
                line.block_width = width
            start = index


def _is_heading_line(line: Line) -> bool:
    if line.heading:
        return True
    return not has_punctuation(line.text) and _length(line.text) < WRAPPED_SHARE * line.block_width


def _starts_new_paragraph(line: Line) -> bool:
    return line.heading or bool(_BYLINE.match(line.text) or _LIST_ITEM.match(line.text))


def is_title(paragraph: Paragraph) -> bool:
    """Short, and not ending with a full stop (judged on the first paragraph only).

    A closing quote may end a title: 濮阳工业园区:能力提升换“新颜”.
    """
    text = paragraph.text.rstrip()
    return _length(text) <= MAX_TITLE and text[-1:] not in SENTENCE_STOP


def is_split_line(paragraph: Paragraph) -> bool:
    """Short, with some punctuation, not ending a sentence: a line a column break split."""
    text = paragraph.text
    return _length(text) <= MAX_SPLIT_LINE and has_punctuation(text) and not ends_sentence(text)


def continues(paragraph: Paragraph, line: Line, first: bool) -> bool:
    """Whether ``line`` continues ``paragraph`` across a hard line break.

    Whatever may be joined across a blank line may be joined across a single
    line break too; that keeps cleaning idempotent, since the cleaned text
    separates every paragraph with a blank line.
    """
    last = paragraph.lines[-1]
    if last.heading or _starts_new_paragraph(line) or ends_sentence(paragraph.text) or _BYLINE.match(paragraph.text):
        return False
    if not _IDEOGRAPH.match(line.text[0]) and not line.text[0].isdigit():
        return False
    if first and is_title(paragraph) and (line.gap_before or _length(last.text) < WRAPPED_SHARE * last.block_width):
        return False
    if line.gap_before:
        return is_split_line(paragraph)
    return is_split_line(paragraph) or not _is_heading_line(last)


def _glue(left: str, right: str) -> str:
    if _CJK.match(left[-1]) or _CJK.match(right[0]):
        return left + right
    return f"{left} {right}"


def assemble(lines: list[Line]) -> tuple[list[Paragraph], int]:
    """Group lines into paragraphs; return them and the number of breaks joined."""
    measure_blocks(lines)
    paragraphs: list[Paragraph] = []
    joined = 0
    for line in lines:
        if paragraphs and continues(paragraphs[-1], line, first=len(paragraphs) == 1):
            current = paragraphs[-1]
            current.lines.append(line)
            current.text = _glue(current.text, line.text)
            joined += 1
        else:
            paragraphs.append(Paragraph([line], line.text))
    return paragraphs, joined


def _protected_spans(text: str, headline: bool) -> list[tuple[int, int]]:
    if headline:
        return [(0, len(text))]
    return [match.span() for match in _CREDIT.finditer(text)]


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character from ``index`` on that is neither a space nor ASCII punctuation."""
    while 0 <= index < len(text):
        char = text[index]
        if not char.isspace() and char not in _ASCII_PUNCTUATION:
            return char
        index += step
    return ""


def tidy_spaces(text: str, headline: bool) -> tuple[str, int]:
    """Remove artefact whitespace (see the module docstring); count removed characters."""
    protected = _protected_spans(text, headline)
    removed = 0
    pieces: list[str] = []
    position = 0
    for match in _SPACES.finditer(text):
        start, end = match.span()
        before, after = text[start - 1: start], text[end: end + 1]
        keep = " "
        if not before or not after:
            keep = ""
        elif _IDEOGRAPH.match(before) and _IDEOGRAPH.match(after):
            inside = any(low <= start and end <= high for low, high in protected)
            keep = " " if inside else ""
        elif _CJK.match(before) or _CJK.match(after) or (before.isdigit() and after in "%‰"):
            keep = ""
        elif _CJK.match(_neighbour(text, start - 1, -1) or " ") or _CJK.match(_neighbour(text, end, 1) or " "):
            keep = ""  # "完成, \"五星\"": ASCII punctuation used in Chinese text
        pieces.append(text[position:start] + keep)
        removed += (end - start) - len(keep)
        position = end
    pieces.append(text[position:])
    return "".join(pieces), removed


def is_headline_like(paragraph: Paragraph) -> bool:
    """A one-line paragraph without clause punctuation, short: a title, heading or byline."""
    text = paragraph.text
    return len(paragraph.lines) == 1 and _length(text) <= MAX_SPLIT_LINE and not any(
        char in "，。；！？,;!?" for char in text
    )
