"""Figures in Chinese text: a number, its qualifier and its unit.

Works on a matching view (:func:`parkreport.extract.text.matching_view`), so
full-width digits are already ASCII; offsets refer to the source text.

What counts as a figure: a number (Arabic, Chinese numerals, or a "×"
placeholder) directly followed by a known unit (亿元, 万吨, %, 个, 家...),
with optional qualifiers (近, 约, 余, 多, 以上, 左右) and ranges (2至3个).
What never counts: dates (2022年, 1月30日), ordinals (第一, 一是), list
markers, phone numbers, years in names (2021中国...大会) and withheld years
(202x): none of them is followed by a unit, and the few look-alikes are
masked before matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..fieldtypes import Qualifier
from ..units import BUILTIN_UNITS, COUNT_NOUNS

#: Magnitude prefixes that may stand before a unit in running text. 十 and 百
#: are left out: "3个百亿级产业" is three items, not three hundred-million.
TEXT_PREFIXES = ("万亿", "亿", "万", "千")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SCALES = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERAL = "零〇一二两三四五六七八九十百千"

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\s?\.\s?\d+)?|\d+(?:\s?\.\s?\d+)?"
_NUMBER = rf"(?:{_ARABIC}|[{_CN_NUMERAL}]+|[×xX]+)"
# 约 in 签约/节约 and 近 in 最近/附近 are not qualifiers.
_BEFORE = r"(?:(?P<before>大约|(?<![签合节制公契预])约|(?<![最附临就])近|超过|逾|不足|不到)\s*)?"
_RANGE = r"(?:\s*(?:至|到|-|~)\s*(?P<upper>" + _NUMBER + "))?"
_INSIDE = r"\s*(?P<inside>余|多)?\s*(?:大(?=\s*[项类]))?"  # "16大项": sixteen items
_AFTER = r"(?P<after>以上|左右|以内|以下|多)?"

# Things that look like numbers but never are figures; they are blanked out
# (same length) before figures are looked for.
_MASKS = (
    re.compile(r"\d{2,3}[xX]+(?=\s*年|\b)"),  # a withheld year: 202x, 20xx
    re.compile(r"(?<!\d)(?:0\d{2,3}-)?\d{7,8}(?![\d.])"),  # phone numbers
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),  # mobile phone numbers
    re.compile(r"(?<!\d)\d{4}\s*(?:年|-\d{1,2}-\d{1,2})"),  # a year or an ISO date
    re.compile(r"\d{1,2}\s*(?:月|日|号|时|点)(?!元)"),  # months, days, times
    re.compile(r"第\s*(?:\d+|[" + _CN_NUMERAL + r"]+)"),  # ordinals
    re.compile(r"(?m)(?:^|(?<=[。;:!?]))\s*\d{1,2}\s*(?:、|\.(?!\s?\d))"),  # list markers 1、 2.
)


@dataclass(frozen=True)
class Quantity:
    """A figure found in the text; ``start``/``end`` are offsets into it."""

    start: int
    end: int
    value: float | str  # a number, or 'redacted' for "×亿元"
    unit: str
    qualifier: Qualifier = "exact"
    upper: float | None = None  # set for ranges (2至3个): value is the lower bound
    arabic: bool = True  # False when written in Chinese numerals

    @property
    def is_range(self) -> bool:
        return self.upper is not None


def parse_chinese_numeral(text: str) -> int | None:
    """二十 -> 20, 三百五十 -> 350, 两 -> 2, 一二 -> None (not a numeral)."""
    if not text or any(char not in _CN_DIGITS and char not in _CN_SCALES for char in text):
        return None
    total, digit, last_scale = 0, None, 10_000
    for char in text:
        if char in _CN_DIGITS:
            if digit is not None:
                return None  # two digits in a row: "一二" is a list, not a number
            digit = _CN_DIGITS[char]
            continue
        scale = _CN_SCALES[char]
        if scale >= last_scale:
            return None
        total += (1 if digit is None else digit) * scale
        digit, last_scale = None, scale
    return total + (digit or 0)


def parse_number(text: str) -> float | str | None:
    """One number as written: '65.18', '65. 18', '1,594', '二十', '×'."""
    compact = re.sub(r"\s+", "", text)
    if compact and set(compact) <= set("×xX"):
        return "redacted"
    if re.fullmatch(r"\d+(?:,\d{3})*(?:\.\d+)?", compact):
        return float(compact.replace(",", ""))
    numeral = parse_chinese_numeral(compact)
    return None if numeral is None else float(numeral)


def unit_names(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every base unit name, longest first (so 个百分点 wins over 个)."""
    # 家企业 is 家 followed by its noun: "65家企业" counts 家.
    names = ({unit.name for unit in BUILTIN_UNITS} | set(COUNT_NOUNS) | set(extra)) - {"家企业"}
    return tuple(sorted(names, key=lambda name: (-len(name), name)))


@lru_cache(maxsize=8)
def _figure_pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    bases = "|".join(re.escape(name) for name in unit_names(extra))
    prefixes = "|".join(TEXT_PREFIXES)
    # 个月 and 个小时 are durations, 人民币 is a currency word, not 人.
    unit = rf"(?P<unit>(?:{prefixes})?\s*(?:{bases}))(?!月|小时|工作日|民币)"
    return re.compile(_BEFORE + rf"(?P<number>{_NUMBER})" + _RANGE + _INSIDE + unit + _AFTER)


_RANK = re.compile(r"排\s*名\s*(?:第\s*)?(?P<number>\d{1,3}|[一二三四五六七八九十]{1,3})(?:\s*[位名])?")


def find_ranks(view: str, unit: str) -> list[Quantity]:
    """Ranks ("空气质量全市排名第二"), in a unit the content declares for ranks (e.g. 位)."""
    found = []
    for match in _RANK.finditer(view):
        value = parse_number(match["number"])
        if isinstance(value, float):
            found.append(Quantity(match.start("number"), match.end(), value, unit, arabic=True))
    return found


def mask_non_figures(view: str) -> str:
    """Blank out dates, years, ordinals, list markers and phone numbers."""
    masked = view
    for pattern in _MASKS:
        masked = pattern.sub(lambda match: "□" * len(match.group()), masked)
    return masked


def _qualifier(before: str | None, inside: str | None, after: str | None) -> Qualifier:
    if before == "近":
        return "nearly"
    if before in ("约", "大约") or after == "左右":
        return "about"
    if before in ("超过", "逾") or inside or after in ("以上", "多"):
        return "more_than"
    if before in ("不足", "不到"):
        return "less_than"
    if after in ("以内", "以下"):
        return "at_most"
    return "exact"


def _preceded_by_word(view: str, start: int) -> bool:
    """A number glued to letters or digits before it is part of a name (L-乳酸, AAA)."""
    return start > 0 and (view[start - 1].isascii() and (view[start - 1].isalnum() or view[start - 1] in ".-_/"))


def find_quantities(view: str, extra_units: tuple[str, ...] = ()) -> list[Quantity]:
    """Every figure in ``view``, in text order."""
    masked = mask_non_figures(view)
    found: list[Quantity] = []
    for match in _figure_pattern(tuple(sorted(extra_units))).finditer(masked):
        number_start = match.start("number")
        if _preceded_by_word(masked, number_start):
            continue
        value = parse_number(match["number"])
        if value is None:
            continue
        upper = parse_number(match["upper"]) if match["upper"] else None
        if isinstance(upper, str) or (upper is not None and isinstance(value, float) and upper < value):
            upper = None
        unit = re.sub(r"\s+", "", match["unit"])
        found.append(
            Quantity(
                start=match.start(),
                end=match.end(),
                value=value,
                unit=unit,
                qualifier=_qualifier(match["before"], match["inside"], match["after"]),
                upper=upper if isinstance(upper, float) else None,
                arabic=any(char.isdigit() for char in match["number"]) or value == "redacted",
            )
        )
    return found
