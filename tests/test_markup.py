"""Markdown rendering and sanitizing of content text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from parkreport.markup import render_markdown, render_markdown_inline, sanitize_html


def test_markdown_renders_basic_formatting() -> None:
    html = render_markdown("园区以**化工新材料**为主导产业。\n\n- 航民\n- 保立佳")
    assert isinstance(html, Markup)
    assert "<strong>化工新材料</strong>" in html
    assert "<li>航民</li>" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example"></iframe>',
        '<img src=x onerror="alert(1)">',
        '<p onclick="alert(1)">点我</p>',
        "[点我](javascript:alert(1))",
        '<a href="javascript:alert(1)">点我</a>',
        '<a href="JaVaScRiPt:alert(1)">点我</a>',
        "[数据](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="vbscript:msgbox(1)">x</a>',
        '<object data="x.swf"></object><embed src="x.swf">',
        '<form action="https://evil.example"><input name="q"></form>',
        '<svg onload="alert(1)"><circle r="1"/></svg>',
    ],
)
def test_hostile_markup_is_removed(hostile: str) -> None:
    html = render_markdown(f"说明\n\n{hostile}\n\n结束").lower()
    for banned in (
        "<script",
        "alert(1)</script",
        "<style",
        "<iframe",
        "<img",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "data:",
        "vbscript:",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<svg",
    ):
        assert banned not in html
    assert "结束" in html


def test_script_content_is_dropped_not_shown_as_text() -> None:
    assert "alert" not in render_markdown("<script>alert(1)</script>")


def test_relative_and_https_links_are_kept_external_ones_get_rel() -> None:
    html = render_markdown("见[来源](/reports/puyang-2023-h1/#indicators-0)与[官网](https://www.example.gov.cn/)。")
    assert '<a href="/reports/puyang-2023-h1/#indicators-0">来源</a>' in html
    assert '<a href="https://www.example.gov.cn/" rel="noopener nofollow">官网</a>' in html


def test_protocol_relative_and_mailto_links_lose_their_href() -> None:
    html = render_markdown("[a](//evil.example/x) [b](mailto:x@example.com) [c](../parks/puyang/)")
    assert "evil.example" not in html
    assert "mailto:" not in html
    assert 'href="../parks/puyang/"' in html


def test_empty_text_renders_nothing() -> None:
    assert render_markdown("") == Markup("")
    assert render_markdown(None) == Markup("")
    assert render_markdown_inline("   ") == Markup("")


def test_inline_drops_the_paragraph_wrapper_only_for_one_paragraph() -> None:
    assert render_markdown_inline("一段*强调*文字") == Markup("一段<em>强调</em>文字")
    assert render_markdown_inline("一段\n\n两段").count("<p>") == 2


def test_tables_survive() -> None:
    html = render_markdown("| 指标 | 数值 |\n| --- | --- |\n| 产值 | 96.1 |")
    assert "<table>" in html and "<td>96.1</td>" in html


@given(st.text(max_size=200))
def test_sanitizer_output_never_contains_active_content(text: str) -> None:
    html = sanitize_html(text + "<script>x</script><a href='javascript:y'>z</a>").lower()
    assert "<script" not in html  # text that merely reads "<script" comes out escaped
    assert not re.search(r"href=\"\s*javascript:", html)
    assert not re.search(r"<[^>]*\son[a-z]+=", html)  # no event handler inside any tag
