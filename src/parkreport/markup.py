"""Markdown from content, rendered and sanitized.

Descriptions and summaries in content are Markdown written by people who are
not all trusted equally, so the HTML the ``markdown`` package makes is passed
through ``nh3`` (the Rust ``ammonia`` sanitizer): a small set of tags survives,
links may only point to http(s) or relative URLs, and links leaving the site
get ``rel="noopener nofollow"``.
"""

from __future__ import annotations

import functools
import re
import threading

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "hr",
        "a",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "sup",
        "sub",
        "abbr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}

URL_SCHEMES: frozenset[str] = frozenset({"http", "https"})

EXTERNAL_REL = "noopener nofollow"

_MARKDOWN_EXTENSIONS = ["tables", "sane_lists"]
_EXTERNAL_LINK = re.compile(r'<a href="(https?://[^"]*)"')
_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.DOTALL)


def _is_allowed_url(value: str) -> bool:
    """http(s) or relative; nothing with another scheme, nor protocol-relative."""
    url = value.strip()
    if url.startswith("//"):
        return False
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return scheme is None or scheme.group(1).lower() in URL_SCHEMES


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not _is_allowed_url(value):
        return None
    return value


def sanitize_html(html: str) -> str:
    """Keep the allowed tags and safe links; drop scripts, styles, handlers."""
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        attribute_filter=_filter_attribute,
        link_rel=None,
        strip_comments=True,
    )
    return _EXTERNAL_LINK.sub(rf'<a href="\1" rel="{EXTERNAL_REL}"', clean)


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str | None) -> Markup:
    """Markdown to sanitized HTML, safe to insert under autoescape (remembered: a report's summary is shown on several pages)."""
    if not text or not text.strip():
        return Markup("")
    html = _converter().reset().convert(text)
    return Markup(sanitize_html(html))


_CONVERTERS = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown converter: setting one up (its extensions) costs more than most conversions."""
    converter = getattr(_CONVERTERS, "markdown", None)
    if converter is None:
        converter = _CONVERTERS.markdown = markdown.Markdown(extensions=_MARKDOWN_EXTENSIONS, output_format="html")
    return converter


def render_markdown_inline(text: str | None) -> Markup:
    """A one-paragraph Markdown text without its ``<p>`` wrapper (for table cells)."""
    html = str(render_markdown(text)).strip()
    match = _PARAGRAPH.match(html)
    if match and "<p>" not in match.group(1):
        html = match.group(1)
    return Markup(html)


FILTERS = {"markdown": render_markdown, "markdown_inline": render_markdown_inline}
"""Jinja filters provided by this module."""
