"""Plain text out of an HTML fragment, with paragraph breaks where blocks end.

Uses the standard library's HTML parser, so tags are never matched with
regular expressions. Inline tags vanish without leaving a space
(``2<span>021年`` → ``2021年``); block tags and ``<br>`` become paragraph
breaks; headings become Markdown headings ("# "); entities are decoded and
counted.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul"]
)
_SKIPPED_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "iframe", "object"])
_KNOWN_TAGS = _BLOCK_TAGS | _SKIPPED_TAGS | frozenset(
    ["a", "abbr", "b", "body", "em", "font", "head", "html", "i", "img", "span", "strong", "sub", "sup", "title", "u"]
)
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
PARAGRAPH_BREAK = "\n\n"
# <h1>..<h6> are passed on as Markdown headings, so they are never joined to text.
HEADING_MARK = "# "
_HEADING_TAGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])


def looks_like_html(raw: str) -> bool:
    """True when ``raw`` holds at least one tag of a known HTML element."""
    return any(match.group(1).lower() in _KNOWN_TAGS for match in _TAG.finditer(raw))


@dataclass
class HtmlText:
    """The text of an HTML fragment and what was stripped from it."""

    text: str
    tags_stripped: int = 0
    entities_decoded: int = 0
    head_items: list[str] = field(default_factory=list)  # e.g. the <title>, kept as chrome


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.tags = 0
        self.entities = 0
        self.head_items: list[str] = []
        self._skipping: list[str] = []
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag in _SKIPPED_TAGS:
            self._skipping.append(tag)
        elif tag == "title":
            self._in_title = True
        elif tag in _BLOCK_TAGS:
            self.parts.append(PARAGRAPH_BREAK)
            if tag in _HEADING_TAGS:
                self.parts.append(HEADING_MARK)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        if tag in _BLOCK_TAGS:
            self.parts.append(PARAGRAPH_BREAK)

    def handle_endtag(self, tag: str) -> None:
        self.tags += 1
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()
        elif tag == "title" and self._in_title:
            self._in_title = False
            title = "".join(self._title).strip()
            if title:
                self.head_items.append(title)
            self._title = []
        elif tag in _BLOCK_TAGS:
            self.parts.append(PARAGRAPH_BREAK)

    def _add(self, text: str) -> None:
        if self._skipping:
            return
        (self._title if self._in_title else self.parts).append(text)

    def handle_data(self, data: str) -> None:
        self._add(_HTML_SPACE.sub(" ", data))

    def handle_entityref(self, name: str) -> None:
        self.entities += 1
        self._add(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.entities += 1
        self._add(html.unescape(f"&#{name};"))


def html_to_text(raw: str) -> HtmlText:
    """The text of ``raw``: tags removed, blocks as paragraphs, entities decoded."""
    collector = _TextCollector()
    collector.feed(raw)
    collector.close()
    text = "".join(collector.parts).replace("\u00a0", " ")
    return HtmlText(text, collector.tags, collector.entities, collector.head_items)


def decode_entities(text: str) -> tuple[str, int]:
    """Decode complete entities (``&amp;``, ``&#12288;``) left in plain text."""
    count = 0

    def decode(match: re.Match[str]) -> str:
        nonlocal count
        decoded = html.unescape(match.group(0))
        if decoded == match.group(0):
            return decoded
        count += 1
        return decoded

    return _ENTITY.sub(decode, text), count
