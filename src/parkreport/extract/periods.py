"""Periods from context: which year and span a figure belongs to.

Chinese statistics name their span once and let it govern what follows:
"预计今年1-4月份,规上工业总产值完成65.18亿元...;固定资产投资完成8.2亿元" —
both figures are 2022M1-4. A figure takes the span of the nearest span word
before it in its sentence; without one it covers the year so far (YTD) for
今年 or no year word, and the whole year for a named or past year.

The year comes from the sentence (2023年上半年), else from a relative word
(今年, 去年, 过去的一年) against the report year, else from the report year
itself: the publication date when given, else the year the text's own dates
point to, else a withheld label such as 202x.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..periods import Period

_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_SPANS: tuple[tuple[str, tuple[int, int, bool]], ...] = (
    (r"前三季度", (1, 9, False)),
    (r"上半年|1\s*-\s*6\s*月份?", (1, 6, False)),
    (r"下半年", (7, 12, False)),
    (r"(?:今年|年初)以来|截[至止]目前|截[至止]到?目前|目前为止", (1, 12, True)),
    (r"全年度?|年度", (1, 12, False)),
)
_CN_MONTH = "十一|十二|[一二三四五六七八九十]"
_MONTHS = re.compile(
    rf"(?<![\d一二三四五六七八九十])(?P<m1>1[0-2]|0?[1-9]|{_CN_MONTH})\s*(?:-|至|到|~)\s*(?P<m2>1[0-2]|0?[1-9]|{_CN_MONTH})\s*月份?"
)
_CN_MONTHS = {name: index for index, name in enumerate(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"], start=1)}
_MONTH = re.compile(r"(?<![\d-])(?P<m>1[0-2]|0?[1-9])\s*月\s*(?:份|初|中旬|上旬|下旬|底|以来)")
_QUARTER = re.compile(r"(?:第|首)?(?P<q>[一二三四1-4])\s*季度")
_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2}|\d{3}x|\d{2}xx)\s*年(?!代)")
_RELATIVE = re.compile(r"今年|本年|当年|去年|上年|上一年|过去的?一年|明年|来年")
_RELATIVE_OFFSET = {"今年": 0, "本年": 0, "当年": 0, "明年": 1, "来年": 1}


@dataclass(frozen=True)
class SpanMention:
    """A span word (1-4月, 上半年, 全年...) at ``start`` in the text."""

    start: int
    end: int
    first: int
    last: int
    to_date: bool = False


@dataclass(frozen=True)
class YearMention:
    """A year (2023年, 202x年) or a relative one (今年 = offset 0)."""

    start: int
    end: int
    year: int | None = None
    label: str = ""
    offset: int | None = None


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _CN_MONTHS[text]


def find_spans(view: str) -> list[SpanMention]:
    """Every span word in text order; overlapping mentions keep the first found."""
    found: list[SpanMention] = []
    taken: set[int] = set()

    def add(start: int, end: int, first: int, last: int, to_date: bool = False) -> None:
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            found.append(SpanMention(start, end, first, last, to_date))

    for pattern, (first, last, to_date) in _SPANS:
        for match in re.finditer(pattern, view):
            add(match.start(), match.end(), first, last, to_date)
    for match in _MONTHS.finditer(view):
        m1, m2 = _month(match["m1"]), _month(match["m2"])
        if m1 <= m2:
            add(match.start(), match.end(), m1, m2)
    for match in _MONTH.finditer(view):
        month = int(match["m"])
        add(match.start(), match.end(), month, month)
    for match in _QUARTER.finditer(view):
        quarter = _CN_QUARTER[match["q"]]
        add(match.start(), match.end(), 3 * quarter - 2, 3 * quarter)
    return sorted(found, key=lambda mention: mention.start)


def find_years(view: str) -> list[YearMention]:
    """Every explicit or relative year mention, in text order."""
    found: list[YearMention] = []
    for match in _YEAR.finditer(view):
        text = match["year"]
        if "x" in text:
            found.append(YearMention(match.start(), match.end(), None, text))
        else:
            found.append(YearMention(match.start(), match.end(), int(text)))
    for match in _RELATIVE.finditer(view):
        found.append(YearMention(match.start(), match.end(), offset=_RELATIVE_OFFSET.get(match.group(), -1)))
    return sorted(found, key=lambda mention: mention.start)


@dataclass(frozen=True)
class ReportYear:
    """The year a report speaks from, and how it was established."""

    year: int | None
    label: str = ""  # '202x' when the source withholds the year
    source: str = "unknown"  # 'given', 'text', 'withheld', 'unknown'
    reviewed: int | None = None  # the earlier year a review's title and opening name


def report_year(view: str, given: int | None = None) -> ReportYear:
    """The given year, else the latest year the text dates itself by, else a withheld label.

    A review published after its year ("2023年工作总结" out in January 2024)
    keeps the given year for 今年/去年 but records the year its title and
    opening name as ``reviewed``: its figures with no year word belong there.
    """
    if given is not None:
        reviewed = lead_year(view)
        return ReportYear(given, source="given", reviewed=reviewed if reviewed is not None and reviewed < given else None)
    dated = [int(match[1]) for match in re.finditer(r"(?<!\d)((?:19|20)\d{2})-\d{1,2}-\d{1,2}", view)]
    if dated:
        return ReportYear(max(dated), source="text")
    years = Counter(int(match["year"]) for match in _YEAR.finditer(view) if "x" not in match["year"])
    if years:
        return ReportYear(max(years), source="text")
    withheld = re.search(r"(?<!\d)(\d{3}x|\d{2}xx)(?=\s*年)", view)
    if withheld:
        return ReportYear(None, withheld[1], "withheld")
    return ReportYear(None, source="unknown")


def lead_year(view: str, lines: int = 3) -> int | None:
    """The one year a report's title or opening names ("2023年工作总结", "2023年,..."), if exactly one.

    Only title lines (short, no sentence end) and paragraphs that open with
    their year count: a news story citing last year's figure names no year here.
    """
    leading = [line.strip() for line in view.splitlines() if line.strip()][:lines]
    named: set[int] = set()
    for line in leading:
        is_title = len(line) <= 50 and not re.search(r"[。!?！？;；]", line)
        opening = re.match(r"((?:19|20)\d{2})\s*年\s*[,，、]", line)
        if is_title:
            named.update(int(m["year"]) for m in _YEAR.finditer(line) if "x" not in m["year"])
        elif opening:
            named.add(int(opening[1]))
    return named.pop() if len(named) == 1 else None


def resolve_year(mention: YearMention | None, base: ReportYear) -> tuple[int | None, str]:
    """The year a mention stands for, as (year, withheld label)."""
    if mention is None:
        if base.reviewed is not None:
            return base.reviewed, ""
        return base.year, base.label
    if mention.offset is not None:
        if base.year is None:
            return None, base.label or "unknown"
        return base.year + mention.offset, ""
    return mention.year, mention.label


def make_period(span: SpanMention | None, year: int | None, label: str) -> Period | None:
    """A :class:`Period`, or None when no year at all is known."""
    if year is None and not label:
        return None
    if year is None and label == "unknown":
        return None
    first, last, to_date = (span.first, span.last, span.to_date) if span else (1, 12, False)
    return Period(year, first, last, to_date, "" if year is not None else label)
