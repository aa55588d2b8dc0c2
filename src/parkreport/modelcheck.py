"""Check one YAML document against the content model, with located problems.

pydantic's errors become messages a content author can act on (what was
expected, 'did you mean' for misspelt keys), each placed at its line and
column. A document whose only faults sit inside entries of its lists, in
unknown keys or in optional fields is kept without those parts
(:func:`validate_entries`), so the rest of the file still gets cross-checked.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import Problem
from .fieldtypes import describe
from .yamlreader import YamlDocument, dotted


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Names of the fields allowed at ``loc`` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Keep the parts of a pydantic error location that address the data."""
    out: list[Any] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            out.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and not part.startswith(("function-", "union[", "nullable", "literal[")):
            out.append(part)  # a missing or extra key
            current = None
    return tuple(out)


def _message(error: ErrorDetails, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "parkreport":
        return str(error["msg"])
    if kind == "missing":
        return f"required field '{loc[-1]}' is missing"
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        return f"unknown field '{loc[-1]}'{hint}; allowed fields: {', '.join(allowed)}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, got {describe(value)}"
    if kind == "string_type":
        return f"expected text, got {describe(value)}; quote it if it is meant as text"
    if kind == "bool_type":
        return f"expected true or false, got {describe(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {describe(value)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {describe(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of fields ('name: value' lines indented under it), got {describe(value)}"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return f"{error['msg']} (got {describe(value)})"


def _problems(error: ValidationError, document: YamlDocument, model: type[BaseModel], shown: str) -> list[Problem]:
    details = [(_data_loc(document.data, tuple(d["loc"])), d) for d in error.errors(include_url=False)]
    misspelt = _misspelt_fields(details)
    problems = []
    for loc, detail in details:
        if detail["type"] == "missing" and loc in misspelt:
            continue  # reported once, as the unknown field that was meant to be it
        line, column = document.locate(loc, key=detail["type"] == "extra_forbidden")
        problems.append(Problem(shown, line, column, dotted(loc), _message(detail, model, loc)))
    return problems


def _misspelt_fields(details: list[tuple[tuple[Any, ...], ErrorDetails]]) -> set[tuple[Any, ...]]:
    """Locations of missing fields for which an unknown field beside them is a likely typo."""
    extra: dict[tuple[Any, ...], list[str]] = {}
    for loc, detail in details:
        if detail["type"] == "extra_forbidden" and loc:
            extra.setdefault(loc[:-1], []).append(str(loc[-1]))
    return {
        loc for loc, detail in details
        if detail["type"] == "missing" and loc
        and difflib.get_close_matches(str(loc[-1]), extra.get(loc[:-1], []), n=1)
    }


@functools.cache
def _entry_lists(model: type[BaseModel]) -> frozenset[str]:
    """Top-level fields holding a list of entries that can be dropped one by one."""
    return frozenset(name for name, info in model.model_fields.items()
                     if getattr(info.annotation, "__origin__", None) is list and _model_in(info.annotation) is not None)


# Dropping a bad 'source' would make the default file name stand in for it.
_KEEP_WHEN_BAD = frozenset({"source"})


@dataclass
class _BadParts:
    """What to drop from a document so that the rest of it validates."""

    entries: dict[str, set[int]] = field(default_factory=dict)  # list field -> bad indexes
    keys: set[str] = field(default_factory=set)  # unknown keys, and optional fields with bad values


def _bad_parts(error: ValidationError, data: dict[str, Any], model: type[BaseModel], lists: frozenset[str]) -> _BadParts | None:
    """The entries and optional keys holding every error, or None if an error lies elsewhere."""
    bad = _BadParts()
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        name = loc[0] if loc else None
        if len(loc) >= 2 and name in lists and isinstance(loc[1], int) and isinstance(data.get(str(name)), list):
            bad.entries.setdefault(str(name), set()).add(loc[1])
        elif not isinstance(name, str) or name in _KEEP_WHEN_BAD or name not in data:
            return None
        elif name not in model.model_fields or not model.model_fields[name].is_required():
            bad.keys.add(name)
        else:
            return None
    return bad


def _failed_ids(data: Any, lists: frozenset[str]) -> set[str]:
    """The ids a file that failed would have declared (its own and its entries')."""
    if not isinstance(data, dict):
        return set()
    ids = {data["id"]} if isinstance(data.get("id"), str) else set()
    for name in lists:
        entries = data.get(name)
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                ids.add(entry["id"])
    return ids


@dataclass
class Validated:
    """What validating one document gave: a model (maybe partial) and problems."""

    model: Any
    problems: list[Problem]
    kept: dict[str, list[int]] = field(default_factory=dict)
    failed_ids: set[str] = field(default_factory=set)


def validate_document(document: YamlDocument, model: type[BaseModel], shown: str) -> tuple[Any, list[Problem]]:
    """Validate a parsed YAML document against ``model``; locate every error.

    Returns the model, or None and every problem.
    """
    result = validate_entries(document, model, shown)
    return (None, result.problems) if result.problems else (result.model, [])


def validate_entries(document: YamlDocument, model: type[BaseModel], shown: str) -> Validated:
    """Like :func:`validate_document`, but keeps what is good in a file with bad parts.

    When every error lies inside entries of a top-level list, in an unknown
    key or in an optional field, the model is built again without those
    parts, so the rest of the file is still cross-checked.
    """
    data = document.data
    if not isinstance(data, dict):
        what = "nothing (the file is empty)" if data is None else describe(data)
        message = f"expected a mapping of fields ('name: value' lines) at the top of the file, got {what}"
        return Validated(None, [Problem(shown, 1, 1, "", message)])
    lists = _entry_lists(model)
    try:
        return Validated(model.model_validate(data), [])
    except ValidationError as error:
        problems = _problems(error, document, model, shown)
        bad = _bad_parts(error, data, model, lists)
    if bad is None:
        return Validated(None, problems, failed_ids=_failed_ids(data, lists))
    kept = {name: [i for i in range(len(data[name])) if i not in indexes] for name, indexes in bad.entries.items()}
    pruned = {key: value for key, value in data.items() if key not in bad.keys}
    pruned.update({name: [data[name][i] for i in indexes] for name, indexes in kept.items()})
    dropped = {name: [data[name][i] for i in sorted(indexes)] for name, indexes in bad.entries.items()}
    dropped.update({key: data[key] for key in bad.keys})
    try:
        partial = model.model_validate(pruned)
    except ValidationError:  # pragma: no cover - dropping parts does not break the others
        return Validated(None, problems, failed_ids=_failed_ids(data, lists))
    return Validated(partial, problems, kept, _failed_ids(dropped, lists))
