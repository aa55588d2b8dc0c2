"""HTML snippets a page prints hundreds of times: a figure, its value, a citation link.

They are the macros of ``macros.html`` (``figure``, ``value``,
``metric_name``, ``cite``, ``target_line``) written as Jinja filters, because a macro call
costs far more than the few spans it writes and a park or metric page
prints thousands of them. The output is the macros' to the byte; the
macros stay (now calling these filters) for templates that import them.

Each filter takes the edition's own filters and globals (``quantity``,
``period``, ``status_badge``, ``growth_html``, ``t()``, ``url()``) from the
environment it runs in, so the English edition writes English, and text is
escaped here exactly as autoescape would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup, escape

_EMPTY = Markup("")
_KEPT = 1 << 15  # links kept per environment, at most


@dataclass
class _Links:
    """What an environment's citation links repeat: its words, and the links made so far."""

    t: Callable[..., str]
    url: Callable[[str], str]
    title: str
    label: str
    made: dict[str, str] = field(default_factory=dict)

    def start(self, path: str) -> str:
        """``<a class="cite" href="..." title="...">`` of ``path``, remembered."""
        start = self.made.get(path)
        if start is None:
            if len(self.made) >= _KEPT:
                self.made.clear()
            start = self.made[path] = f'<a class="cite" href="{escape(self.url(path))}" title="{self.title}">'
        return start


def _t(env: Environment) -> Callable[..., str]:
    """The environment's message function ``t()`` (see :mod:`parkreport.i18n`)."""
    t: Callable[..., str] = env.globals["t"]  # type: ignore[assignment]  # globals are typed as objects
    return t


def _links(env: Environment) -> _Links:
    """The environment's :class:`_Links` (kept on it), made again if its ``t()`` or ``url()`` was replaced."""
    url: Callable[[str], str] = env.globals["url"]  # type: ignore[assignment]  # globals are typed as objects
    t = _t(env)
    links: _Links | None = getattr(env, "_cite_links", None)
    if links is None or links.t is not t or links.url is not url:
        links = _Links(t, url, escape(t("macros.cite_title")), escape(t("macros.cite")))
        env._cite_links = links  # type: ignore[attr-defined]
    return links


@pass_environment
def cite_link(env: Environment, path: str, label: str = "") -> Markup:
    """``{{ f.cite | cite_link }}``: the link to the highlighted quote a figure comes from (nothing without a path)."""
    if not path:
        return _EMPTY
    links = _links(env)
    return Markup(f"{links.start(path)}{escape(label) if label else links.label}</a>")


@pass_environment
def figure_value(env: Environment, figure: Any) -> Markup:
    """``{{ f | figure_value }}``: the value with its unit; a derived (computed) value is prefixed ≈."""
    text = escape(env.filters["quantity"](figure.value, figure.unit, figure.qualifier, figure.decimals))
    if figure.derived:
        return Markup(f'<span class="value value-derived">≈{text}</span>')
    return Markup(f'<span class="value">{text}</span>')


@pass_environment
def figure_metric(env: Environment, figure: Any) -> Markup:
    """``{{ f | figure_metric }}``: the metric a figure measures, with the part of the park it covers."""
    name = escape(figure.metric_name)
    if figure.scope:
        return Markup(f'{name}{escape(_t(env)("punct.paren", text=figure.scope))}')
    return name


@pass_environment
def figure_html(env: Environment, figure: Any, show_metric: bool = False, show_period: bool = True) -> Markup:
    """``{{ f | figure_html(show_metric=true) }}``: value, period in words, status badge, YoY and citation."""
    filters: dict[str, Callable[..., Any]] = env.filters
    t = _t(env)
    parts = [f'<span class="figure figure-{escape(figure.status)}">']
    if show_metric:
        parts.append(f'<span class="figure-metric">{figure_metric(env, figure)}</span> ')
    parts.append(figure_value(env, figure))
    if show_period:
        parts.append(f' <span class="figure-period">{escape(filters["period"](figure.period))}</span>')
    parts.append(f' {escape(filters["status_badge"](figure.status, figure.explanation))}')
    if figure.yoy_pct is not None:
        growth = escape(filters["growth_html"](figure.yoy_pct, figure.yoy_derived))
        parts.append(f' <span class="figure-yoy">{escape(t("macros.yoy"))}{growth}</span>')
    if figure.explanation and figure.derived:
        parts.append(f' <span class="figure-note">{escape(t("punct.paren", text=figure.explanation))}</span>')
    parts.append(f" {cite_link(env, figure.cite)}\n</span>")
    return Markup("".join(parts))


@pass_environment
def target_html(env: Environment, target: Any) -> Markup:
    """``{{ target | target_html }}``: a target's aimed-at figure and deadline, its outcome badge, reason and citation."""
    filters: dict[str, Callable[..., Any]] = env.filters
    t = _t(env)
    aim = target.target
    parts = [f'<span class="target">{escape(target.what)}']
    if aim.kind == "quantitative":
        parts.append(escape(t("macros.target_value", value=filters["target_value"](aim))))
    if aim.by:
        parts.append(escape(t("macros.deadline", by=filters["period"](aim.by))))
    parts.append(f'</span>\n<span class="badge badge-outcome-{escape(target.outcome)}">{escape(filters["outcome"](target.outcome))}</span>')
    if target.reason:
        parts.append(f' <span class="target-reason">{escape(target.reason)}</span>')
    parts.append(f" {cite_link(env, target.cite)}")
    return Markup("".join(parts))


FILTERS: dict[str, Callable[..., Any]] = {
    "cite_link": cite_link,
    "figure_value": figure_value,
    "figure_metric": figure_metric,
    "figure_html": figure_html,
    "target_html": target_html,
}
"""The snippet filters, by name; ``render.py`` registers them."""
