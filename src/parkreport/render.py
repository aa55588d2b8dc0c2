"""Render pages: a template and a typed context in, an HTML string out.

Templates are looked up first in the project's own ``templates/`` and then
in the theme shipped with the package (``parkreport/theme/templates``), file
by file, so a project overrides exactly the templates it provides.

The environment is strict: autoescape is on for HTML and XML, undefined
variables raise instead of rendering as empty text, and content strings are
never marked safe. Every internal link goes through ``url()``, which prefixes
the site's base path, so the site works from a domain root or a sub-path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from collections.abc import Callable
from types import FunctionType, MethodType
from typing import Any
from urllib.parse import urlsplit

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)
from jinja2.runtime import Context, Macro
from jinja2.utils import internalcode

from . import format as formatting
from . import markup, snippets
from .errors import BuildError

THEME_DIR = Path(__file__).resolve().parent / "theme"


@dataclass(frozen=True)
class SiteUrls:
    """Turns site paths (``/parks/puyang/``) into links under the base URL.

    ``base_url`` is a path (``/``, ``/sub/path/``) or a full URL
    (``https://example.org/parks/``); only with a full URL can sitemap,
    feed, canonical and OpenGraph links be absolute as their formats ask.
    """

    base_url: str = "/"

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("", "http", "https") or parts.query or parts.fragment:
            raise BuildError(f"--base-url '{self.base_url}' must be a path such as /sub/path/ or an http(s) URL")
        if not parts.netloc and not self.base_url.startswith("/"):
            raise BuildError(f"--base-url '{self.base_url}' must start with '/' or be an http(s) URL")

    @cached_property
    def base_path(self) -> str:
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""

    def url(self, path: str = "/") -> str:
        """The link to a site path, e.g. ``/parks/a/`` -> ``/sub/path/parks/a/``."""
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str = "/") -> str:
        """The full URL when the base URL names a host, else the same as :meth:`url`."""
        return self.origin + self.url(path)


_PLAIN_CALLS: dict[FunctionType, bool] = {}  # function -> True when it takes no context/environment


def _plain(function: object) -> bool:
    """True for a Python function Jinja passes nothing to (no ``pass_context`` & co.), remembered per function."""
    if type(function) is not FunctionType:
        return False
    plain = _PLAIN_CALLS.get(function)
    if plain is None:
        if len(_PLAIN_CALLS) > 4096:
            _PLAIN_CALLS.clear()
        plain = _PLAIN_CALLS[function] = not hasattr(function, "jinja_pass_arg")
    return plain


class PageContext(Context):
    """Jinja's template context, calling macros and plain functions and methods directly.

    Jinja asks every callable, on every call, whether it wants the context
    or environment passed (three ``hasattr`` per call); pages make hundreds
    of thousands of calls (``t()``, ``url()``, macros) to a few functions,
    so the answer is remembered per function. Anything else takes Jinja's
    own path, with the same result.
    """

    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805,B902 (Jinja's signature)
        if type(__obj) is Macro or _plain(__obj.__func__ if type(__obj) is MethodType else __obj):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")
        return super().call(__obj, *args, **kwargs)


def theme_loader(templates_dir: Path | None) -> ChoiceLoader:
    search = []
    if templates_dir is not None and Path(templates_dir).is_dir():
        search.append(FileSystemLoader(str(templates_dir)))
    search.append(FileSystemLoader(str(THEME_DIR / "templates")))
    return ChoiceLoader(search)


def make_environment(templates_dir: Path | None, urls: SiteUrls) -> Environment:
    """The one Jinja environment of a build; templates compile once and are cached."""
    env = Environment(
        loader=theme_loader(templates_dir),
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "svg"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        cache_size=-1,
        auto_reload=False,  # templates do not change during a build: no stat() per include
    )
    env.context_class = PageContext
    env.filters.update(formatting.FILTERS)
    env.filters.update(markup.FILTERS)
    env.filters.update(snippets.FILTERS)
    env.globals["url"] = urls.url
    env.globals["absolute_url"] = urls.absolute
    return env


def render_template(env: Environment, template: str, variables: dict[str, Any]) -> str:
    """Render one template; a template mistake becomes a BuildError naming it."""
    try:
        return env.get_template(template).render(variables)
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or template
        line = getattr(exc, "lineno", None)
        located = f"{where}:{line}" if line else where
        raise BuildError(f"template {located}: {exc.message or exc}") from exc
