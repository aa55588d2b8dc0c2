"""Cleaning a raw source into the text that quotes refer to.

``clean_source`` is pure and deterministic: same input, same output. The
stages run in this order, each counted in :class:`CleanCounts`:

1. HTML: tags stripped, blocks and ``<br>`` become paragraph breaks, entities
   decoded (:mod:`parkreport.htmltext`); plain text only has entities decoded.
2. Pinyin annotations left by converters removed, eaten characters marked □
   (:mod:`parkreport.pinyin`). This runs before script conversion so that
   "產(chǎn)業(yè)" is seen as the phrase 產業.
3. Traditional to Simplified with OpenCC's ``t2s`` configuration.
4. Full-width digits, Latin letters and the ideographic space to ASCII (the
   NFKC forms); "．" between digits and "％" after one too. Chinese
   punctuation (，。：；（）) is kept as written.
5. Site chrome moved out, line by line (:mod:`parkreport.chrome`).
6. Lines joined into paragraphs and stray spaces removed
   (:mod:`parkreport.layout`).

Idempotence: cleaning the cleaned text again returns it unchanged (a
property test checks it). Two exceptions, pinned by tests: a Markdown or HTML heading
loses its mark, so the second time it is judged like any short line: it may
be joined to a short unfinished line before it, or, when it holds clause
punctuation ("# 一是抓项目,促发展"), to the text after it (no character
changes, only a paragraph break); and an escaped tag ("&lt;p&gt;") spells a
real tag once decoded.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field

import opencc

from .chrome import ChromeSorter, Suggestions, reporter_in
from .htmltext import decode_entities, html_to_text, looks_like_html
from .layout import (
    Line,
    Paragraph,
    assemble,
    is_headline_like,
    is_title,
    strip_markup,
    tidy_spaces,
)
from .pinyin import remove_pinyin_annotations

_FULLWIDTH = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH_IN_NUMBER = re.compile(r"(?<=[0-9０-９])．(?=[0-9０-９])|(?<=[0-9０-９])％")
SIMPLIFIED_SHARE = 0.01
_IDEOGRAPHS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class CleanCounts:
    """What cleaning changed, for the user to see."""

    tags_stripped: int = 0
    entities_decoded: int = 0
    pinyin_annotations_removed: int = 0
    garbled_characters_marked: int = 0
    characters_converted: int = 0
    fullwidth_normalized: int = 0
    line_breaks_joined: int = 0
    spaces_removed: int = 0


@dataclass(frozen=True)
class CleanResult:
    """The cleaned text, the chrome taken out of it, and what was done."""

    text: str
    removed: tuple[str, ...]
    counts: CleanCounts
    is_html: bool
    suggestions: Suggestions = field(default_factory=Suggestions)


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _changed_characters(before: str, after: str) -> int:
    """How many characters differ; line by line, since t2s keeps line breaks."""
    if len(before) == len(after):
        return sum(1 for old, new in zip(before, after) if old != new)
    old_lines, new_lines = before.split("\n"), after.split("\n")
    if len(old_lines) != len(new_lines):
        old_lines, new_lines = [before], [after]
    changed = 0
    for old, new in zip(old_lines, new_lines):
        if len(old) == len(new):
            changed += sum(1 for a, b in zip(old, new) if a != b)
            continue
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        changed += sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return changed


def to_simplified(text: str) -> tuple[str, int]:
    """Convert with OpenCC t2s; count the characters that changed.

    A text in which fewer than ``SIMPLIFIED_SHARE`` of the characters would
    change is already Simplified: what t2s would touch there is proper names
    (华昇 is a company, not 华升) or OCR noise, so it is kept as written and
    0 is returned.
    """
    converted = _t2s().convert(text)
    changed = _changed_characters(text, converted)
    ideographs = len(_IDEOGRAPHS.findall(text))
    if changed < SIMPLIFIED_SHARE * ideographs:
        return text, 0
    return converted, changed


def normalize_fullwidth(text: str) -> tuple[str, int]:
    """Full-width digits, letters and spaces to ASCII; Chinese punctuation kept."""
    count = sum(1 for char in text if ord(char) in _FULLWIDTH)
    text, in_numbers = _FULLWIDTH_IN_NUMBER.subn(lambda match: "." if match.group(0) == "．" else "%", text)
    return text.translate(_FULLWIDTH), count + in_numbers


def _read_lines(text: str, sorter: ChromeSorter, removed: list[str]) -> list[Line]:
    lines: list[Line] = []
    gap = True
    for raw_line in text.split("\n"):
        stripped = raw_line.strip()
        if not stripped:
            gap = True
            continue
        content, heading = strip_markup(stripped)
        if not content:
            continue
        if sorter.is_chrome(content):
            removed.append(stripped)
            gap = True
            continue
        lines.append(Line(content, gap_before=gap or heading, heading=heading))
        gap = heading
    return lines


def _title(paragraphs: list[Paragraph], texts: list[str]) -> str:
    """The first paragraph if it is a title; of leading headings, the last.

    Newspaper pages put the section name before the headline ("# 工业园区新闻",
    "# 向着高质量发展笃定前行"): the headline is the last heading of the run.
    """
    if not paragraphs or not is_title(paragraphs[0]):
        return ""
    chosen = 0
    while chosen + 1 < len(paragraphs) and paragraphs[chosen].lines[0].heading and paragraphs[chosen + 1].lines[0].heading:
        chosen += 1
    return texts[chosen]


def _decode(raw: str) -> tuple[str, bool, int, int, list[str]]:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        converted = html_to_text(text)
        return converted.text, True, converted.tags_stripped, converted.entities_decoded, converted.head_items
    decoded, entities = decode_entities(text)
    return decoded, False, 0, entities, []


def clean_source(raw: str) -> CleanResult:
    """Clean a raw source (plain text or an HTML fragment); see the module docstring."""
    text, is_html, tags, entities, removed = _decode(raw)
    text = _INVISIBLE.sub("", text)
    pinyin = remove_pinyin_annotations(text)
    text, converted = to_simplified(pinyin.text)
    text, fullwidth = normalize_fullwidth(text)
    suggestions = Suggestions()
    removed = [_t2s().convert(item) for item in removed]
    paragraphs, joined = assemble(_read_lines(text, ChromeSorter(suggestions), removed))
    spaces = 0
    texts: list[str] = []
    for paragraph in paragraphs:
        tidied, count = tidy_spaces(paragraph.text, headline=is_headline_like(paragraph))
        spaces += count
        if tidied:
            texts.append(tidied)
    suggestions.title = _title(paragraphs, texts)
    suggestions.author = suggestions.author or reporter_in(texts)
    counts = CleanCounts(
        tags_stripped=tags,
        entities_decoded=entities,
        pinyin_annotations_removed=pinyin.annotations_removed,
        garbled_characters_marked=pinyin.garbled_marked,
        characters_converted=converted,
        fullwidth_normalized=fullwidth,
        line_breaks_joined=joined,
        spaces_removed=spaces,
    )
    cleaned = "\n\n".join(texts) + "\n" if texts else ""
    return CleanResult(cleaned, tuple(removed), counts, is_html, suggestions)
