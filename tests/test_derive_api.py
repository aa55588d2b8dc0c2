"""The derive API on the small fixture corpus: types, determinism, as_of."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from parkreport import load_corpus
from parkreport.derive import Derived, SourceRef, derive

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_derive_mini_returns_observations_with_refs() -> None:
    derived = derive(load_corpus(FIXTURES / "mini"))
    assert isinstance(derived, Derived)
    assert derived.as_of == dt.date(2022, 6, 13)
    first = derived.observations[0]
    assert first.ref == ("alpha-2022-m1-4", "indicators", 0)
    assert first.ref.href == "/reports/alpha-2022-m1-4/#indicators-0"
    assert first.value is not None and first.value.value == 65.18 and first.value.estimate


def test_derive_is_deterministic_and_as_of_overrides() -> None:
    corpus = load_corpus(FIXTURES / "mini")
    assert derive(corpus) == derive(corpus)
    assert derive(corpus, as_of=dt.date(2030, 1, 1)).as_of == dt.date(2030, 1, 1)


def test_source_ref_is_a_plain_tuple() -> None:
    assert SourceRef("r", "targets", 2) == ("r", "targets", 2)
    assert SourceRef("r", "targets", 2).anchor == "targets-2"


def test_every_rule_is_described_in_both_languages() -> None:
    from typing import get_args

    from parkreport.derive import RULE_DESCRIPTIONS, Rule

    assert set(RULE_DESCRIPTIONS) == set(get_args(Rule))
    assert all(zh and en for zh, en in RULE_DESCRIPTIONS.values())


def test_derive_package_does_no_io_and_knows_nothing_of_rendering() -> None:
    import ast
    import importlib

    package = importlib.import_module("parkreport.derive")  # the attribute parkreport.derive is the function

    forbidden_modules = {"os", "pathlib", "io", "shutil", "jinja2", "markupsafe", "time", "random"}
    forbidden_calls = {"open", "print", "input", "now", "today", "utcnow"}
    for path in sorted(Path(package.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not {a.name.split(".")[0] for a in node.names} & forbidden_modules, path.name
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                assert module.split(".")[0] not in forbidden_modules, path.name
                assert not any(part in module for part in ("render", "write", "pages", "views", "build")), path.name
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                assert name not in forbidden_calls, f"{path.name}:{node.lineno} calls {name}"
