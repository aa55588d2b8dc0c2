"""Message catalogs and the t() look-up (parkreport.i18n)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment
from jinja2.exceptions import TemplateRuntimeError

from parkreport.errors import BuildError
from parkreport.i18n import (
    LOCALES_DIR,
    Catalog,
    available_languages,
    flatten,
    load_catalog,
)
from parkreport.render import THEME_DIR

TEMPLATES = THEME_DIR / "templates"
# t("id") or t('id', name=...), as the theme's templates call it
_T_CALL = re.compile(r"""\bt\(\s*(["'])([\w.]+)\1(?!\s*~)""")
# t("issues." ~ issue.severity): ids made from a fixed prefix and a value
_T_PREFIX = re.compile(r"""\bt\(\s*(["'])([\w.]+)\1\s*~""")
_CHINESE = re.compile(r"[\u3400-\u9fff]")


def template_keys() -> dict[str, set[str]]:
    """Every message id a theme template asks for, with the templates asking."""
    keys: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in _T_CALL.finditer(path.read_text(encoding="utf-8")):
            keys.setdefault(match.group(2), set()).add(path.relative_to(TEMPLATES).as_posix())
    return keys


def test_the_theme_ships_a_chinese_and_an_english_catalog() -> None:
    assert available_languages() == ("en", "zh-CN")


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_message_the_templates_use_exists_in_each_catalog(language: str) -> None:
    keys = template_keys()
    assert len(keys) > 100  # the parser finds the templates' calls
    catalog = load_catalog(language)
    missing = {key: sorted(where) for key, where in keys.items() if key not in catalog}
    assert not missing, f"missing from {language}.yaml: {missing}"


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_prefix_of_a_composed_id_has_messages_in_each_catalog(language: str) -> None:
    catalog = load_catalog(language)
    prefixes = {match.group(2) for path in TEMPLATES.rglob("*.html") for match in _T_PREFIX.finditer(path.read_text(encoding="utf-8"))}
    assert "issues." in prefixes
    assert {"issues.error", "issues.warning", "issues.info"} <= set(catalog.messages)
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in catalog.messages), prefix


def test_both_catalogs_have_the_same_ids() -> None:
    chinese, english = load_catalog("zh-CN"), load_catalog("en")
    # the formatting words of the English filters have no Chinese twin: labels.py holds those
    english_only = {key for key in english.messages if key.split(".")[0] in
                    ("value", "qualifier", "status", "status_hint", "stage", "outcome", "report_kind",
                     "fact_kind", "level", "format",
                     "download", "chart_words")}  # their Chinese lives in export.py and charts/words.py
    def ids(keys: set[str]) -> set[str]:  # plural forms (.one, .other) count as their message
        return {re.sub(r"\.(zero|one|two|few|many|other)$", "", key) for key in keys}

    assert ids(set(chinese.messages)) == ids(set(english.messages) - english_only)


def test_the_english_catalog_holds_no_chinese() -> None:
    english = load_catalog("en")
    # Chinese words may appear as examples in brackets, search for (濮阳); the
    # methods page explains the Chinese units 亿 and 万 by name.
    explained = {"edition.name", "methods.units"}
    leaks = {key: text for key, text in english.messages.items()
             if _CHINESE.search(re.sub(r"\([^)]*\)", "", text)) and key not in explained}
    assert not leaks


def test_templates_hold_no_chinese_outside_the_catalog() -> None:
    """Interface text lives in the catalogs; Chinese in a template would show on English pages."""
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        code = re.sub(r"{#.*?#}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)  # comments may explain in Chinese
        lines = [line.strip() for line in code.splitlines() if _CHINESE.search(line)]
        if lines:
            found[path.relative_to(TEMPLATES).as_posix()] = lines[:3]
    assert not found


def test_gettext_fills_in_placeholders_and_names_a_missing_id() -> None:
    catalog = Catalog("en", {"home.lead": "{parks} parks, {reports} reports"})
    assert catalog.gettext("home.lead", parks=4, reports=5) == "4 parks, 5 reports"
    with pytest.raises(TemplateRuntimeError, match="no message 'home.nothing' in the en catalog"):
        catalog.gettext("home.nothing")
    with pytest.raises(TemplateRuntimeError, match="cannot fill in 'reports'"):
        catalog.gettext("home.lead", parks=4)


def test_a_message_with_plural_forms_is_chosen_by_count() -> None:
    english = Catalog("en", {"count.reports.one": "{count} report", "count.reports.other": "{count} reports"})
    assert english.gettext("count.reports", count=1) == "1 report"
    assert english.gettext("count.reports", count=0) == "0 reports"
    assert english.gettext("count.reports", count=12) == "12 reports"
    assert "count.reports" in english
    chinese = Catalog("zh-CN", {"count.reports.other": "{count} 份报告"})
    assert chinese.gettext("count.reports", count=1) == "1 份报告"


def test_a_missing_message_fails_the_render_naming_the_template_line() -> None:
    env = Environment()
    env.globals["t"] = Catalog("en", {}).gettext
    with pytest.raises(TemplateRuntimeError, match="no message 'nav.home'"):
        env.from_string("<p>\n{{ t('nav.home') }}</p>").render()


def test_nested_keys_join_with_dots_and_non_text_is_refused() -> None:
    assert flatten({"nav": {"home": "Home", "deep": {"er": "x"}}}) == {"nav.home": "Home", "nav.deep.er": "x"}
    with pytest.raises(BuildError, match="'nav.count' must be text"):
        flatten({"nav": {"count": 3}})


def test_a_project_catalog_overrides_the_theme_key_by_key(tmp_path: Path) -> None:
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "en.yaml").write_text("nav:\n  projects: Investments\n", encoding="utf-8")
    catalog = load_catalog("en", tmp_path)
    assert catalog.gettext("nav.projects") == "Investments"
    assert catalog.gettext("nav.reports") == "Reports"  # the rest still comes from the theme


def test_a_broken_catalog_or_unknown_language_is_a_build_error(tmp_path: Path) -> None:
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "en.yaml").write_text("nav: [unclosed\n", encoding="utf-8")
    with pytest.raises(BuildError, match="message catalog .*en.yaml"):
        load_catalog("en", tmp_path)
    with pytest.raises(BuildError, match="no message catalog for language 'fr'"):
        load_catalog("fr")
    assert (LOCALES_DIR / "en.yaml").is_file()
