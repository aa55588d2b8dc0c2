"""The snippet filters (snippets.py) write what the macros they replace wrote, byte for byte, in both editions."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, Template

from parkreport.editions import configure_environment, edition_filters, site_editions
from parkreport.periods import parse_period
from parkreport.render import SiteUrls, make_environment
from parkreport.units import UnitRegistry
from parkreport.validate import load_corpus
from parkreport.views import FigureView

FIXTURES = Path(__file__).parent / "fixtures"

# The macros as the theme wrote them before they became filters.
MACROS = """\
{% macro cite(path, label="") -%}
{% if path %}<a class="cite" href="{{ url(path) }}" title="{{ t('macros.cite_title') }}">{{ label or t("macros.cite") }}</a>{% endif %}
{%- endmacro %}
{% macro value(f) -%}
<span class="value{% if f.derived %} value-derived{% endif %}">{% if f.derived %}≈{% endif %}{{ f.value | quantity(f.unit, f.qualifier, f.decimals) }}</span>
{%- endmacro %}
{% macro metric_name(f) -%}
{{ f.metric_name }}{% if f.scope %}{{ t("punct.paren", text=f.scope) }}{% endif %}
{%- endmacro %}
{% macro figure(f, show_metric=false, show_period=true) -%}
<span class="figure figure-{{ f.status }}">
{%- if show_metric %}<span class="figure-metric">{{ metric_name(f) }}</span> {% endif -%}
{{ value(f) }}
{%- if show_period %} <span class="figure-period">{{ f.period | period }}</span>{% endif %}
 {{ f.status | status_badge(f.explanation) }}
{%- if f.yoy_pct is not none %} <span class="figure-yoy">{{ t("macros.yoy") }}{{ f.yoy_pct | growth_html(f.yoy_derived) }}</span>{% endif %}
{%- if f.explanation and f.derived %} <span class="figure-note">{{ t("punct.paren", text=f.explanation) }}</span>{% endif %}
 {{ cite(f.cite) }}
</span>
{%- endmacro %}
{% macro target_line(target) -%}
<span class="target">{{ target.what }}{% if target.target.kind == "quantitative" %}{{ t("macros.target_value", value=target.target | target_value) }}{% endif %}{% if target.target.by %}{{ t("macros.deadline", by=target.target.by | period) }}{% endif %}</span>
<span class="badge badge-outcome-{{ target.outcome }}">{{ target.outcome | outcome }}</span>
{%- if target.reason %} <span class="target-reason">{{ target.reason }}</span>{% endif %}
 {{ cite(target.cite) }}
{%- endmacro %}
"""


def _environments() -> list[Environment]:
    units: UnitRegistry = load_corpus(FIXTURES / "mini").units
    urls, editions = SiteUrls("/sub/"), site_editions()
    return [configure_environment(make_environment(None, urls), edition, editions, urls, edition_filters(edition, units))
            for edition in editions]


ENVIRONMENTS = _environments()
_COMPILED: dict[tuple[int, str], Template] = {}


def _render(env: Environment, source: str, values: dict[str, object]) -> str:
    key = (id(env), source)
    if key not in _COMPILED:
        _COMPILED[key] = env.from_string(source)
    return _COMPILED[key].render(values)

TEXT = st.text(alphabet=st.sampled_from(list("a<&\"'园区 ")), max_size=6)
FIGURES = st.builds(
    FigureView,
    metric=st.just("output"),
    metric_name=TEXT,
    value=st.one_of(st.floats(-1e6, 1e6), st.integers(-10**6, 10**6), st.sampled_from(["unknown", "redacted"])),
    unit=st.sampled_from(["亿元", "%", "", "个", "<u>"]),
    qualifier=st.sampled_from(["exact", "about", "more_than", "at_least"]),
    period=st.sampled_from([parse_period("2023H1"), parse_period("2022"), parse_period("2022M1-4")]),
    status=st.sampled_from(["actual", "estimated", "derived", "target", "odd<>"]),
    cite=st.sampled_from(["", "/reports/a/#indicators-0"]),
    report=st.just("a"),
    scope=TEXT,
    yoy_pct=st.one_of(st.none(), st.floats(-100, 100), st.integers(-5, 5)),
    yoy_derived=st.booleans(),
    explanation=TEXT,
    decimals=st.one_of(st.none(), st.integers(0, 3)),
)


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=["zh", "en"])
@settings(max_examples=60, deadline=None)
@given(figure=FIGURES, show_metric=st.booleans(), show_period=st.booleans(), label=TEXT)
def test_render_snippets_match_the_macros(env: Environment, figure: FigureView, show_metric: bool, show_period: bool, label: str) -> None:
    values = {"f": figure, "show_metric": show_metric, "show_period": show_period, "label": label}
    pairs = [
        ("{{ figure(f, show_metric=show_metric, show_period=show_period) }}", "{{ f | figure_html(show_metric=show_metric, show_period=show_period) }}"),
        ("{{ value(f) }}", "{{ f | figure_value }}"),
        ("{{ metric_name(f) }}", "{{ f | figure_metric }}"),
        ("{{ cite(f.cite) }}|{{ cite(f.cite, label) }}", "{{ f.cite | cite_link }}|{{ f.cite | cite_link(label) }}"),
    ]
    for macro, snippet in pairs:
        assert _render(env, snippet, values) == _render(env, MACROS + macro, values)


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=["zh", "en"])
def test_render_snippets_theme_macros_still_work(env: Environment) -> None:
    figure = FigureView("m", "产值", 1.5, "亿元", "about", parse_period("2023H1"), "estimated", "/reports/r/#indicators-0", "r", yoy_pct=3.0)
    theme = env.from_string('{% import "macros.html" as m %}{{ m.figure(f, show_metric=true) }}|{{ m.cite(f.cite, "x") }}')
    assert theme.render(f=figure) == env.from_string(MACROS + '{{ figure(f, show_metric=true) }}|{{ cite(f.cite, "x") }}').render(f=figure)
    assert 'href="/sub/' in theme.render(f=figure)


AIMS = st.builds(
    SimpleNamespace,
    kind=st.sampled_from(["quantitative", "qualitative"]),
    by=st.sampled_from([None, "", "2025", "2023H1"]),
    value=st.one_of(st.none(), st.floats(0, 1e4), st.integers(0, 100)),
    unit=st.sampled_from(["亿元", "个", "%"]),
    qualifier=st.sampled_from(["exact", "about", "at_least"]),
    range=st.none(),
    threshold=st.none(),
)
TARGETS = st.builds(SimpleNamespace, what=TEXT, target=AIMS, outcome=st.sampled_from(["met", "open", "missed", "<odd>"]),
                    reason=TEXT, cite=st.sampled_from(["", "/reports/a/#targets-1"]))


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=["zh", "en"])
@settings(max_examples=25, deadline=None)
@given(target=TARGETS)
def test_render_snippets_target_matches_the_macro(env: Environment, target: SimpleNamespace) -> None:
    assert _render(env, "{{ x | target_html }}", {"x": target}) == _render(env, MACROS + "{{ target_line(x) }}", {"x": target})
