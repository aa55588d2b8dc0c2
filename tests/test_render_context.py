"""PageContext calls plain functions directly and everything else as Jinja does."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import pass_context, pass_environment, pass_eval_context
from jinja2.exceptions import UndefinedError
from jinja2.runtime import Context

from parkreport.errors import BuildError
from parkreport.render import PageContext, SiteUrls, make_environment, render_template


class Greeter:
    def __init__(self, word: str) -> None:
        self.word = word

    def greet(self, name: str) -> str:
        return f"{self.word} {name}"


class Callable_:
    @pass_context
    def __call__(self, context: object, name: str) -> str:
        return f"{type(context).__name__}:{name}"


def _env():  # type: ignore[no-untyped-def]
    return make_environment(None, SiteUrls("/sub/"))


def test_render_context_is_the_page_context() -> None:
    env = _env()
    assert env.context_class is PageContext
    assert env.from_string("{{ url('/a/') }}").render() == "/sub/a/"


def test_render_context_passes_what_each_callable_asks_for() -> None:
    env = _env()
    env.globals.update(
        plain=lambda x, y=1: f"{x}-{y}",
        ctx=pass_context(lambda context, x: f"{context['who']}{x}"),
        envf=pass_environment(lambda environment, x: f"{environment is env}{x}"),
        evalf=pass_eval_context(lambda eval_ctx, x: f"{eval_ctx.autoescape}{x}"),
        greeter=Greeter("hi"),
        callable_=Callable_(),
    )
    source = ("{{ plain(1, y=2) }} {{ ctx('!') }} {{ envf('?') }} {{ evalf('.') }} {{ greeter.greet('you') }} {{ callable_('x') }}"
              "{% for who in ['L'] %} {{ ctx(who) }} {{ plain(who) }}{% endfor %}")
    expected = "1-2 W! True? True. hi you PageContext:x WL L-1"  # what Jinja's own Context gives
    assert env.from_string(source).render(who="W") == expected
    env.context_class = Context
    assert env.from_string(source).render(who="W") == expected.replace("PageContext", "Context")


def test_render_context_calls_macros_and_keeps_loop_variables_out_of_them() -> None:
    env = _env()
    source = "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}{% for i in [1, 2] %}{{ twice(i) }}{% endfor %}"
    assert env.from_string(source).render() == "1122"


def test_render_context_stop_iteration_is_undefined() -> None:
    env = _env()

    def stop() -> str:
        raise StopIteration

    env.globals["stop"] = stop
    with pytest.raises(UndefinedError):
        env.from_string("{{ stop() }}").render()


def test_render_context_errors_still_name_the_template_line(tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text("line one\n{{ boom(1) }}\n", encoding="utf-8")
    env = make_environment(tmp_path, SiteUrls("/"))

    def boom(x: int) -> str:
        raise ZeroDivisionError(x)

    env.globals["boom"] = boom
    with pytest.raises(ZeroDivisionError):
        render_template(env, "broken.html", {})
    env.globals["boom"] = lambda: "no arguments"
    with pytest.raises((BuildError, TypeError)):
        render_template(env, "broken.html", {})
