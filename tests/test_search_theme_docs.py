"""docs/templates.md against the theme and the page contexts, and overriding the theme file by file."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from parkreport import format as formatting
from parkreport import markup, pages
from parkreport.build import build_site
from parkreport.render import THEME_DIR

from .conftest import FIXTURES, ROOT

DOC = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")


def test_search_theme_docs_name_every_template_and_static_file() -> None:
    templates = sorted(p.relative_to(THEME_DIR / "templates").as_posix() for p in (THEME_DIR / "templates").rglob("*.html"))
    assert templates
    missing = [name for name in templates if f"`{name}`" not in DOC]
    assert missing == [], f"docs/templates.md does not describe {missing}"
    statics = sorted(p.name for p in (THEME_DIR / "static").iterdir() if p.is_file())
    assert [name for name in statics if f"`{name}`" not in DOC] == []


def test_search_theme_docs_list_every_context_field_of_every_page_template() -> None:
    for context in re.findall(r"\| `[\w.]+\.html` \| `[^`]+` \| `(\w+)` \|", DOC):
        line = next(line for line in DOC.splitlines() if line.startswith(f"- **{context}**"))
        for field in dataclasses.fields(getattr(pages, context)):
            assert f"`{field.name}`" in line, f"{context}.{field.name} is not documented"
    planned = {page.template for page in _planned_pages()}
    assert all(f"| `{template}` |" in DOC for template in planned)


def test_search_theme_docs_list_every_filter() -> None:
    names = set(formatting.FILTERS) | set(markup.FILTERS)
    aliases = {"period_zh", "status_zh"}  # old names kept for the first templates
    assert [name for name in sorted(names - aliases) if f"`{name}`" not in DOC] == []


def _planned_pages() -> list[pages.Page]:
    from parkreport.derive import derive
    from parkreport.validate import load_corpus

    corpus = load_corpus(FIXTURES / "mini")
    return pages.plan_pages(corpus, derive(corpus))


def test_search_theme_override_replaces_one_template_and_keeps_search(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "park.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>自定义园区页 {{ ctx.park.name }}</h1>{% endblock %}\n', encoding="utf-8")
    result = build_site(FIXTURES / "mini", tmp_path / "site", templates_dir=templates)
    park = (tmp_path / "site/parks/alpha/index.html").read_text(encoding="utf-8")
    assert "自定义园区页" in park and "data-pagefind-body" in park
    metric = (tmp_path / "site/metrics/industrial-output/index.html").read_text(encoding="utf-8")
    assert "自定义园区页" not in metric and "data-pagefind-body" in metric  # still the theme's
    assert result.search is not None and result.search.pages > 0
