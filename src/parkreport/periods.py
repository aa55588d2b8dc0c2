"""Statistical periods: a year plus a cumulative span of months.

Chinese statistics are cumulative from January (1-4月, 一季度, 上半年, 前三季度,
全年), so a period is a year and a month range. Two periods are comparable
year over year only when their month ranges are equal.

Written in content as compact strings:

==========  ================================  =============
text        meaning                           shown as
==========  ================================  =============
2022        full year (also ``2022FY``)       2022年全年
2022M1-4    January to April                  2022年1-4月
2022M5      May alone                         2022年5月
2022Q1      first quarter (Jan-Mar)           2022年一季度
2022Q2      second quarter alone (Apr-Jun)    2022年二季度
2022Q1-3    first three quarters (Jan-Sep)    2022年前三季度
2022H1      first half (Jan-Jun)              2022年上半年
2022H2      second half alone (Jul-Dec)       2022年下半年
2022YTD     from January to the report date   2022年年初至报道时
202xH1      year withheld by the source       202x年上半年
==========  ================================  =============
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

_PATTERN = re.compile(
    r"(?P<year>\d{4}|\d{3}x|\d{2}xx)"
    r"(?:(?P<fy>FY)|(?P<ytd>YTD)|H(?P<half>[12])|Q(?P<q1>[1-4])(?:-(?P<q2>[1-4]))?"
    r"|M(?P<m1>1[0-2]|[1-9])(?:-(?P<m2>1[0-2]|[1-9]))?)?"
)

_CN_NUM = "〇一二三四"


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """A year (None when the source withholds it) and months ``first``..``last``.

    ``to_date`` marks a "so far this year" span whose end is the report date;
    such a span is never comparable with another.
    """

    year: int | None
    first: int = 1
    last: int = 12
    to_date: bool = False
    year_label: str = ""

    @property
    def span(self) -> str:
        """The span alone, e.g. ``M1-4``, ``H1``, ``FY``: the key for comparisons."""
        return span_code(self.first, self.last, self.to_date)

    @property
    def code(self) -> str:
        """The compact text form, as written in content."""
        year = self.year_label or str(self.year)
        return f"{year}{'' if self.span == 'FY' else self.span}"

    @property
    def is_full_year(self) -> bool:
        return self.first == 1 and self.last == 12 and not self.to_date

    @property
    def is_cumulative(self) -> bool:
        """True when the span runs from January, as most Chinese statistics do."""
        return self.first == 1

    def comparable_with(self, other: Period) -> bool:
        """Same span (and neither open-ended): a fair year-over-year pairing."""
        return (
            not self.to_date
            and not other.to_date
            and self.first == other.first
            and self.last == other.last
        )

    def start_date(self) -> dt.date:
        """The first day of the span; raises ValueError when the year is withheld."""
        if self.year is None:
            raise ValueError(f"period {self.code} has no known year")
        return dt.date(self.year, self.first, 1)

    def end_date(self) -> dt.date:
        """The last day of the span; raises ValueError when the year is withheld."""
        if self.year is None:
            raise ValueError(f"period {self.code} has no known year")
        return dt.date(self.year, self.last, calendar.monthrange(self.year, self.last)[1])

    def previous_year(self) -> Period:
        if self.year is None:
            raise ValueError("a period with an unknown year has no previous year")
        return Period(self.year - 1, self.first, self.last, self.to_date)

    def __str__(self) -> str:
        return self.code


def partial_date_start(text: str) -> dt.date:
    """The first day a partial date (``2023``, ``2023-07``, ``2023-07-15``) can mean.

    Partial dates sort by their start, so a report dated ``2023`` sorts
    before one dated ``2023-03``.
    """
    parts = [int(part) for part in text.strip().split("-")]
    year, month, day = (parts + [1, 1])[:3]
    return dt.date(year, month, day)


@functools.lru_cache(maxsize=4096)
def span_code(first: int, last: int, to_date: bool = False) -> str:
    if to_date:
        return "YTD"
    if (first, last) == (1, 12):
        return "FY"
    if (first, last) == (1, 6):
        return "H1"
    if (first, last) == (7, 12):
        return "H2"
    if (first, last) == (1, 9):
        return "Q1-3"
    if first % 3 == 1 and last == first + 2:
        return f"Q{(first + 2) // 3}"
    if first == last:
        return f"M{first}"
    return f"M{first}-{last}"


@functools.lru_cache(maxsize=4096)
def parse_period(text: str | int) -> Period:
    """Parse a period written in content; raise ValueError with a helpful message."""
    raw = str(text).strip()
    match = _PATTERN.fullmatch(raw)
    if not match:
        raise ValueError(
            f"'{raw}' is not a period; write e.g. 2022 (full year), 2022M1-4 (Jan-Apr), "
            "2022Q1, 2022H1, 2022Q1-3 (Jan-Sep) or 2022YTD (so far this year)"
        )
    year_text = match["year"]
    year = None if "x" in year_text else int(year_text)
    label = year_text if year is None else ""
    if year is not None and not 1949 <= year <= 2100:
        raise ValueError(f"'{raw}': year {year} is out of range (1949-2100)")
    if match["ytd"]:
        return Period(year, 1, 12, True, label)
    if match["half"]:
        half = int(match["half"])
        return Period(year, 1 if half == 1 else 7, 6 if half == 1 else 12, False, label)
    if match["q1"]:
        q1 = int(match["q1"])
        q2 = int(match["q2"]) if match["q2"] else q1
        if match["q2"] and q1 != 1:
            raise ValueError(f"'{raw}': a quarter range must start at Q1 (e.g. 2022Q1-3)")
        if q2 < q1:
            raise ValueError(f"'{raw}': the quarter range runs backwards")
        return Period(year, 3 * q1 - 2, 3 * q2, False, label)
    if match["m1"]:
        m1 = int(match["m1"])
        m2 = int(match["m2"]) if match["m2"] else m1
        if m2 < m1:
            raise ValueError(f"'{raw}': the month range runs backwards ({m1} to {m2})")
        return Period(year, m1, m2, False, label)
    return Period(year, 1, 12, False, label)


def span_words(period: Period) -> str:
    """The span in Chinese words: 1-4月, 一季度, 上半年, 前三季度, 全年."""
    first, last = period.first, period.last
    if period.to_date:
        return "年初至报道时"
    if (first, last) == (1, 12):
        return "全年"
    if (first, last) == (1, 6):
        return "上半年"
    if (first, last) == (7, 12):
        return "下半年"
    if (first, last) == (1, 9):
        return "前三季度"
    if first % 3 == 1 and last == first + 2:
        return f"{_CN_NUM[(first + 2) // 3]}季度"
    if first == last:
        return f"{first}月"
    return f"{first}-{last}月"


@functools.lru_cache(maxsize=4096)
def period_words(period: Period) -> str:
    """The whole period in Chinese words, e.g. 2023年上半年."""
    year = period.year_label or str(period.year)
    return f"{year}年{span_words(period)}"


SPAN_WORDS_EN = {"FY": "full year", "H1": "H1", "H2": "H2", "Q1-3": "Jan–Sep", "YTD": "year to date"}
_MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@functools.lru_cache(maxsize=4096)
def period_words_en(period: Period) -> str:
    """The whole period in English words, e.g. ``H1 2023``, ``Jan–Apr 2022``."""
    year = period.year_label or str(period.year)
    span = period.span
    if span in SPAN_WORDS_EN:
        words = SPAN_WORDS_EN[span]
    elif span.startswith("Q"):
        words = span
    elif period.first == period.last:
        words = _MONTHS_EN[period.first - 1]
    else:
        words = f"{_MONTHS_EN[period.first - 1]}–{_MONTHS_EN[period.last - 1]}"
    return f"{words} {year}"
