"""Field types shared by the content model, each with a precise error message.

Pydantic's own messages ("Input should be a valid number") do not say what to
do. These validators raise messages that name what was expected, what was
found, and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from .periods import Period, parse_period

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_NUMBER_WITH_UNIT = re.compile(r"\s*[-+]?[0-9０-９][0-9０-９.,，．]*\s*(\S+)\s*")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_URL = re.compile(r"https?://[^\s<>\"']+")
# Device names Windows refuses as file or folder names, with any extension: an id
# becomes a folder of the site and a source a file name, so neither may be one.
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))})


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("parkreport", message)


def describe(value: Any) -> str:
    """How a message names a value a user wrote."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _slug(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(f"expected an id (text), got {describe(value)}; quote it")
    if not _SLUG.fullmatch(value):
        raise _fail(
            f"'{value}' is not a valid id: use 1-64 lowercase letters, digits and hyphens, "
            "starting and ending with a letter or digit (e.g. puyang-2023-h1)"
        )
    if value in RESERVED_NAMES:
        raise _fail(f"'{value}' is a reserved device name on Windows and cannot name a page's folder; choose another id")
    return value


def _text(value: Any) -> str:
    if value is None:
        raise _fail("is empty: write the text after the colon")
    if not isinstance(value, str):
        raise _fail(f"expected text, got {describe(value)}; quote it if it is meant as text")
    if not value.strip():
        raise _fail("must not be empty")
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, str):
            match = _NUMBER_WITH_UNIT.fullmatch(value)
            if match and match.group(1) in ("%", "％"):
                raise _fail(f"expected a number, got '{value}': write it without '%' (the field is in percent)")
            if match and not match.group(1)[0].isdigit():
                raise _fail(
                    f"expected a number, got '{value}' (put the unit in 'unit' and the number here)"
                )
        raise _fail(f"expected a number, got {describe(value)}")
    if value != value or value in (float("inf"), float("-inf")):
        raise _fail("expected a finite number")
    return float(value)


def _value(value: Any) -> float | str:
    if value in ("unknown", "redacted"):
        return str(value)
    if isinstance(value, str):
        match = _NUMBER_WITH_UNIT.fullmatch(value)
        if match and not match.group(1)[0].isdigit():
            raise _fail(f"expected a number, got '{value}' (put the unit in 'unit' and the number here)")
        if "×" in value or "x" in value.lower():
            raise _fail(
                f"expected a number, 'unknown' or 'redacted', got '{value}'; "
                "a figure hidden by the source (e.g. '×亿元') is 'redacted', never 0"
            )
    try:
        return _number(value)
    except PydanticCustomError:
        raise _fail(f"expected a number, 'unknown' or 'redacted', got {describe(value)}") from None


def _period(value: Any) -> Period:
    if isinstance(value, Period):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _fail(f"expected a period such as 2022M1-4 or 2023H1, got {describe(value)}")
    try:
        return parse_period(value)
    except ValueError as exc:
        raise _fail(str(exc)) from None


def _partial_date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise _fail(f"expected a date such as 2022-06-13, 2022-06 or 2022, got {describe(value)}; quote it")
    match = _PARTIAL_DATE.fullmatch(value)
    if not match:
        raise _fail(f"'{value}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise _fail(f"'{value}' is not a real date ({exc})") from None
    if not 1949 <= year <= 2100:
        raise _fail(f"'{value}': year out of range (1949-2100)")
    return value


def _url(value: Any) -> str:
    text = _text(value)
    if not _URL.fullmatch(text):
        raise _fail(f"'{text}' is not an http(s) URL; only http:// and https:// links are allowed")
    return text


def _filename(value: Any) -> str:
    text = _text(value)
    if "/" in text or "\\" in text or text.startswith(".") or "\x00" in text or len(text) > 120:
        raise _fail(
            f"'{text}' is not a plain file name: give the name of a file in content/sources/, "
            "without directories"
        )
    if text.split(".")[0].lower() in RESERVED_NAMES:
        raise _fail(f"'{text}' is a reserved device name on Windows; rename the file in content/sources/")
    return text


# JSON Schema patterns are searched, not matched: anchor them.
Slug = Annotated[str, BeforeValidator(_slug), WithJsonSchema({"type": "string", "pattern": f"^{_SLUG.pattern}$"})]
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string", "minLength": 1, "pattern": r"\S"})]
Number = Annotated[float, BeforeValidator(_number), WithJsonSchema({"type": "number"})]
Value = Annotated[
    float | str,
    BeforeValidator(_value),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"enum": ["unknown", "redacted"]}]}),
]
PeriodField = Annotated[
    Period,
    BeforeValidator(_period),
    PlainSerializer(lambda p: p.code, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^(\d{4}|\d{3}x|\d{2}xx)(FY|YTD|H[12]|Q[1-4](-[1-4])?|M(1[0-2]|[1-9])(-(1[0-2]|[1-9]))?)?$"},
                {"type": "integer"},
            ],
            "description": "2022 | 2022M1-4 | 2022Q1 | 2022H1 | 2022Q1-3 | 2022YTD",
        }
    ),
]
PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
]
Url = Annotated[str, BeforeValidator(_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]
FileName = Annotated[
    str,
    BeforeValidator(_filename),
    WithJsonSchema({"type": "string", "pattern": r"^[^./\\\x00][^/\\\x00]{0,119}$"}),
]

Qualifier = Literal["exact", "about", "nearly", "more_than", "at_least", "less_than", "at_most"]
