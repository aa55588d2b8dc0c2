"""The site configuration: one optional ``parkreport.yaml`` beside ``content/``.

Like ``mkdocs.yml``, the file sits at the project root::

    parkreport.yaml      this file (optional: every field has a default)
    content/             the content (see :mod:`parkreport.load`)
    templates/           template overrides (optional)

It is read with the same strict, located YAML reader as the content, so a
mistake is reported as ``parkreport.yaml:3:5: base_url: ...``. Command-line
options override the file (see :meth:`SiteConfig.with_overrides`).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from .corpus import Corpus
from .errors import ContentError, Problem
from .fieldtypes import Slug, Text, Url
from .load import MAX_YAML_BYTES
from .model import MetricsFile
from .modelcheck import validate_document
from .yamlreader import YamlDocument, YamlProblems, read_yaml_bytes

CONFIG_FILE = "parkreport.yaml"

_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_RELATIVE_DIR = re.compile(r"[^/\\\x00][^\\\x00]*")


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("parkreport", message)


def _base_url(value: Any) -> str:
    """A public URL (``https://example.org/parks/``) or a path (``/parks/``), ending in '/'."""
    if not isinstance(value, str) or not value.strip():
        raise _fail("expected the public address of the site, e.g. https://example.org/parks/ or /parks/")
    text = value.strip()
    if text.startswith("/"):
        if text.startswith("//") or any(c in text for c in "?# \\"):
            raise _fail(f"'{text}' is not a plain path; write a path such as /parks/ or a full https:// address")
    else:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise _fail(f"'{text}' is neither a path starting with '/' nor an http(s) address such as https://example.org/parks/")
        if parts.query or parts.fragment:
            raise _fail(f"'{text}' has a query or fragment; give only the address of the site's root")
    return text if text.endswith("/") else text + "/"


def _language(value: Any) -> str:
    if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
        raise _fail(f"expected a language tag such as zh-CN or en, got {value!r}")
    return value


def _relative_dir(value: Any) -> str:
    if not isinstance(value, str) or not _RELATIVE_DIR.fullmatch(value) or ".." in Path(value).parts:
        raise _fail(f"expected a folder relative to the project root (e.g. content), got {value!r}")
    return value


BaseUrl = Annotated[str, BeforeValidator(_base_url), WithJsonSchema({"type": "string", "pattern": r"^(/|https?://)"})]
Language = Annotated[str, BeforeValidator(_language), WithJsonSchema({"type": "string", "pattern": _LANGUAGE.pattern})]
RelativeDir = Annotated[str, BeforeValidator(_relative_dir), WithJsonSchema({"type": "string"})]


class _ConfigModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Edition(_ConfigModel):
    """Another edition of the same site (another language), linked as an alternate."""

    language: Language = Field(description="Language tag of that edition, e.g. en.")
    url: Url = Field(description="Its public address, e.g. https://example.org/en/.")
    title: str = Field(default="", description="Its title, shown in the language switcher.")


class SiteConfig(_ConfigModel):
    """The file parkreport.yaml at the project root."""

    title: Text = Field(default="园区经济报告", description="Site title, shown in the header and the browser tab.")
    description: str = Field(default="", description="One-sentence description, for search engines and link previews.")
    base_url: BaseUrl = Field(
        default="/", description="Public address, e.g. https://example.org/parks/; its path part is the sub-path the site is served from."
    )
    language: Language = Field(default="zh-CN", description="Language of the site's pages (an IETF tag such as zh-CN).")
    headline_metrics: list[Slug] = Field(
        default_factory=list,
        description="Metric ids shown as a park's headline figures, in order; empty: the metrics marked headline in metrics.yaml.",
    )
    stall_months: int = Field(default=12, ge=1, le=120, description="Months without news after which a project is flagged as possibly stalled.")
    parks_per_page: int = Field(
        default=20, ge=1, le=10000,
        description="Parks per page on the pages that show every park (a metric, a year, data quality, "
                    "projects, reports); "
                    "the rest follow on /page/2/, /page/3/ and so on.",
    )
    feed_entries: int = Field(
        default=50, ge=1, le=1_000_000,
        description="Reports in the Atom feed (feed.xml), the newest first; readers fetch the feed often, so keep it short.",
    )
    author: str = Field(default="", description="Who compiles the site (a person or team); used in the feed and citations.")
    publisher: str = Field(default="", description="Organisation publishing the site; used in citations.")
    license: str = Field(default="", description="Licence of the data, e.g. CC BY 4.0; shown beside the downloads.")
    footer: str = Field(default="", description="Footer text in Markdown (contact, licence, acknowledgements).")
    editions: list[Edition] = Field(default_factory=list, description="Other language editions of the site.")
    content_dir: RelativeDir = Field(default="content", description="Folder of the content, relative to this file.")
    templates_dir: RelativeDir = Field(default="templates", description="Folder of template overrides, relative to this file.")
    output_dir: RelativeDir = Field(default="site", description="Folder the site is built into, relative to this file.")

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``: '/' for a site at a domain's root."""
        return urlsplit(self.base_url).path or "/"

    def site_fields(self) -> dict[str, str]:
        """The fields every page shows (title, description, language, author, licence)."""
        return {"title": self.title, "description": self.description, "language": self.language,
                "author": self.author, "license": self.license}

    def with_overrides(self, **overrides: Any) -> SiteConfig:
        """A copy with the given fields replaced (command-line options win); ``None`` values are ignored."""
        changes = {name: value for name, value in overrides.items() if value is not None}
        if not changes:
            return self
        return SiteConfig.model_validate({**self.model_dump(), **changes})


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_config(path: Path) -> tuple[SiteConfig, YamlDocument | None]:
    """Read one configuration file; a missing file gives the defaults.

    Raises :class:`ContentError` with every located problem.
    """
    if not path.exists():
        return SiteConfig(), None
    shown = _shown(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(shown, 0, 0, "", f"cannot be read: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_YAML_BYTES:
        raise ContentError([Problem(shown, 0, 0, "", f"is {len(raw):,} bytes, over the limit of {MAX_YAML_BYTES:,}")])
    try:
        document = read_yaml_bytes(raw, shown)
    except YamlProblems as exc:
        raise ContentError(exc.problems) from None
    if document.data is None:  # an empty or all-comments file means "defaults"
        return SiteConfig(), document
    config, problems = validate_document(document, SiteConfig, shown)
    if problems:
        raise ContentError(problems)
    return config, document


def load_config(project_dir: Path | str = ".") -> SiteConfig:
    """Read and check ``parkreport.yaml`` in ``project_dir`` (defaults if there is none).

    Headline metric ids are checked against the content's ``metrics.yaml``;
    a missing or broken vocabulary is left for the content check to report.
    Raises :class:`ContentError` with every located problem.
    """
    path = Path(project_dir) / CONFIG_FILE
    config, document = read_config(path)
    metric_ids = _metric_ids(Path(project_dir) / config.content_dir / "metrics.yaml")
    if metric_ids is not None:
        problems = check_headline_metrics(config, metric_ids, document, _shown(path))
        if problems:
            raise ContentError(problems)
    return config


def _metric_ids(path: Path) -> set[str] | None:
    try:
        document = read_yaml_bytes(path.read_bytes(), _shown(path))
    except (OSError, YamlProblems):
        return None
    metrics, problems = validate_document(document, MetricsFile, _shown(path))
    return None if problems else {metric.id for metric in metrics.metrics}


def check_headline_metrics(
    config: SiteConfig, metric_ids: set[str], document: YamlDocument | None = None, shown: str = CONFIG_FILE
) -> list[Problem]:
    """Problems for headline metric ids that metrics.yaml does not declare, located by ``document``."""
    problems = []
    for index, metric in enumerate(config.headline_metrics):
        if metric in metric_ids:
            continue
        line, column = document.locate(("headline_metrics", index)) if document else (0, 0)
        problems.append(
            Problem(shown, line, column, f"headline_metrics[{index}]",
                    f"unknown metric '{metric}'{_guess(metric, metric_ids)}; declare it in content/metrics.yaml or fix the id")
        )
    return problems


def apply_headline_metrics(config: SiteConfig, corpus: Corpus) -> Corpus:
    """The corpus with exactly the site's headline metrics flagged ``headline`` (pure).

    Unchanged when the configuration names none: metrics.yaml's flags stand.
    """
    if not config.headline_metrics:
        return corpus
    chosen = set(config.headline_metrics)
    metrics = {metric_id: metric.model_copy(update={"headline": metric_id in chosen}) for metric_id, metric in corpus.metrics.items()}
    return dataclasses.replace(corpus, metrics=metrics)


def _guess(name: str, known: set[str]) -> str:
    import difflib

    found = difflib.get_close_matches(name, sorted(known), n=1)
    return f" (did you mean '{found[0]}'?)" if found else ""


__all__ = ["CONFIG_FILE", "Edition", "SiteConfig", "apply_headline_metrics", "check_headline_metrics", "load_config", "read_config"]
