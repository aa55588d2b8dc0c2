"""Message catalogs: every string of the site's interface, per language.

The theme ships one catalog per edition in ``parkreport/theme/locales``
(``zh-CN.yaml``, ``en.yaml``). A catalog is a YAML mapping whose nested keys
join with dots into message ids::

    nav:
      projects: Projects          # t("nav.projects")
    home:
      lead: "{parks} parks, {reports} reports"   # t("home.lead", parks=3, reports=5)

Templates call ``t("id", name=value)``; placeholders use Python's
``str.format`` syntax. A message that depends on a number is a mapping of
plural forms, chosen by the ``count`` value (CLDR names; English uses
``one`` and ``other``, Chinese only ``other``)::

    reports:
      count:
        one: "{count} report"
        other: "{count} reports"     # t("reports.count", count=3)
 A project changes or adds messages with its own
``templates/locales/<language>.yaml``: its keys win over the theme's, key by
key (the same lookup order as templates). A message id missing from the
catalog fails the build, naming the template and line, like a misspelt
variable does under the strict environment.

Content (quotes, source texts, descriptions) is never translated; the
English edition shows it as written, beside English interface strings, the
metrics' English names and the parks' ``name_en``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2.exceptions import TemplateRuntimeError

from .errors import BuildError

LOCALES_DIR = Path(__file__).resolve().parent / "theme" / "locales"
LOCALES = "locales"  # the folder of catalogs, in the theme and in a project's templates/


@dataclass(frozen=True)
class Catalog:
    """The messages of one language, by dotted id."""

    language: str
    messages: Mapping[str, str]

    def __contains__(self, key: str) -> bool:
        return key in self.messages or f"{key}.other" in self.messages

    def _message(self, key: str, count: object) -> str:
        if key in self.messages:
            return self.messages[key]
        if f"{key}.other" in self.messages:
            form = "one" if count == 1 and f"{key}.one" in self.messages else "other"
            return self.messages[f"{key}.{form}"]
        raise TemplateRuntimeError(f"no message '{key}' in the {self.language} catalog")

    def gettext(self, key: str, /, **params: Any) -> str:
        """The message ``key`` with its ``{placeholders}`` filled in.

        Raises a Jinja ``TemplateRuntimeError`` for an unknown id or a missing
        placeholder, so the build names the template and line that asked.
        """
        message = self._message(key, params.get("count"))
        if not params:
            return message
        try:
            return message.format_map(params)
        except (KeyError, IndexError, ValueError) as exc:
            raise TemplateRuntimeError(f"message '{key}' ({self.language}): cannot fill in {exc}") from None

    def table(self, prefix: str) -> dict[str, str]:
        """The messages under ``prefix`` by their last part: ``table("status")`` -> {"actual": ...}."""
        start = prefix + "."
        return {key[len(start):]: text for key, text in self.messages.items() if key.startswith(start)}


def flatten(tree: Mapping[str, Any], where: str = "") -> dict[str, str]:
    """Nested mappings of strings as one mapping of dotted ids; anything else is refused."""
    flat: dict[str, str] = {}
    for name, value in tree.items():
        key = f"{where}.{name}" if where else str(name)
        if isinstance(value, Mapping):
            flat.update(flatten(value, key))
        elif isinstance(value, str):
            flat[key] = value
        else:
            raise BuildError(f"message '{key}' must be text, got {type(value).__name__}")
    return flat


def read_catalog_file(path: Path) -> dict[str, str]:
    """The messages of one catalog file; a broken file is a :class:`BuildError` naming it."""
    try:
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BuildError(f"message catalog {path}: {exc}") from None
    if tree is None:
        return {}
    if not isinstance(tree, Mapping):
        raise BuildError(f"message catalog {path}: expected a mapping of message ids to texts")
    try:
        return flatten(tree)
    except BuildError as exc:
        raise BuildError(f"message catalog {path}: {exc}") from None


def load_catalog(language: str, templates_dir: Path | None = None) -> Catalog:
    """The theme's catalog of ``language``, overridden key by key by the project's own."""
    theme_file = LOCALES_DIR / f"{language}.yaml"
    if not theme_file.is_file():
        raise BuildError(f"no message catalog for language '{language}' (expected {theme_file.name})")
    messages = read_catalog_file(theme_file)
    if templates_dir is not None:
        project_file = Path(templates_dir) / LOCALES / f"{language}.yaml"
        if project_file.is_file():
            messages.update(read_catalog_file(project_file))
    return Catalog(language, dict(sorted(messages.items())))


def available_languages() -> tuple[str, ...]:
    """The languages the theme has catalogs for."""
    return tuple(sorted(path.stem for path in LOCALES_DIR.glob("*.yaml")))
