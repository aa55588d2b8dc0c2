"""Periods from context: span words, years, and the report's own year."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkreport.extract import Vocabulary, extract
from parkreport.extract.periods import find_spans, find_years, report_year
from parkreport.extract.text import matching_view
from parkreport.model import Metric


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("1-4月份", (1, 4, False)),
        ("1 - 4 月", (1, 4, False)),
        ("1—4月", (1, 4, False)),
        ("１－４月", (1, 4, False)),
        ("一至四月", (1, 4, False)),
        ("十至十二月", (10, 12, False)),
        ("一季度", (1, 3, False)),
        ("第二季度", (4, 6, False)),
        ("上半年", (1, 6, False)),
        ("下半年", (7, 12, False)),
        ("前三季度", (1, 9, False)),
        ("全年", (1, 12, False)),
        ("全年度", (1, 12, False)),
        ("今年以来", (1, 12, True)),
        ("截至目前", (1, 12, True)),
        ("截止目前", (1, 12, True)),
        ("5月份", (5, 5, False)),
        ("5 月初疫情以来", (5, 5, False)),
    ],
)
def test_span_words(text: str, span: tuple[int, int, bool]) -> None:
    (found,) = find_spans(matching_view(text))
    assert (found.first, found.last, found.to_date) == span


def test_dates_are_not_spans() -> None:
    assert find_spans(matching_view("原定5月5日复工")) == []


def test_years() -> None:
    mentions = find_years(matching_view("2023年上半年,去年同期,今年以来,202x年,90年代"))
    assert [(m.year, m.label, m.offset) for m in mentions] == [
        (2023, "", None), (None, "", -1), (None, "", 0), (None, "202x", None),
    ]


def test_report_year_sources() -> None:
    assert report_year("", 2022).year == 2022
    assert report_year(matching_view("发布时间:2022-06-13 09:53")).year == 2022
    assert report_year(matching_view("2021年度工作总结,2022年重点工作")).year == 2022
    withheld = report_year(matching_view("202x年上半年工作讲话"))
    assert (withheld.year, withheld.label, withheld.source) == (None, "202x", "withheld")
    assert report_year("没有年份").source == "unknown"


VOCABULARY = Vocabulary(metrics={
    "industrial-output": Metric(id="industrial-output", zh="规模以上工业总产值", zh_short="规上工业总产值", en="Output", unit="亿元"),
    "new-urban-jobs": Metric(id="new-urban-jobs", zh="城镇新增就业", en="Jobs", unit="人"),
})


def test_period_carries_over_a_sentence_list_only() -> None:
    text = "预计上半年,规上工业总产值完成9.6亿元;城镇新增就业1594人。城镇新增就业200人。"
    found = [(i.period.code, i.status) for i in extract(text, VOCABULARY, 2023).indicators]
    assert found == [("2023H1", "estimated"), ("2023H1", "estimated"), ("2023YTD", "actual")]


def test_unknown_year_is_marked() -> None:
    (found,) = extract("上半年,规上工业总产值完成9.6亿元。", VOCABULARY).indicators
    assert found.period.code == "20xxH1"
    assert found.confidence < 0.6


@pytest.mark.parametrize(
    ("rider", "yoy"),
    [("同比增长21.4%", 21.4), ("增长21.4%", 21.4), ("增速为21.4%", 21.4), ("比上年同期增长21.4%", 21.4),
     ("同比下降3%", -3.0), ("减少3%", -3.0)],
)
def test_growth_riders(rider: str, yoy: float) -> None:
    (found,) = extract(f"规上工业总产值完成96.1亿元,{rider}。", VOCABULARY, 2023).indicators
    assert found.yoy_pct == yoy


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=12), st.integers(2000, 2030))
def test_any_month_range(first: int, last: int, year: int) -> None:
    text = f"{year}年{first}-{last}月,规上工业总产值完成9.6亿元。"
    found = extract(text, VOCABULARY, None).indicators
    if first <= last:
        (indicator,) = found
        assert (indicator.period.year, indicator.period.first, indicator.period.last) == (year, first, last)


def test_review_published_next_year_dates_unmarked_figures_by_its_title() -> None:
    """A 2023 work summary published in January 2024: its unmarked figures are 2023, the full year."""
    text = (
        "开发区2023年工作总结\n\n2023年,开发区各项工作取得新成效。\n\n"
        "全年实现规上工业总产值386.5亿元。一季度,规上工业总产值完成86.2亿元。"
        "2024年,力争规上工业总产值突破420亿元。"
    )
    extraction = extract(text, VOCABULARY, 2024)
    found = [(i.period.code, i.status, i.value) for i in extraction.indicators]
    assert found == [("2023", "actual", 386.5), ("2023Q1", "actual", 86.2)]
    assert [t.by.code for t in extraction.targets if t.by] == ["2024"]


def test_report_naming_its_own_year_keeps_relative_words() -> None:
    """去年 in a review held after its year is still counted from the publication year."""
    text = "2021年度工作总结暨表彰大会\n\n去年,规上工业总产值完成9.6亿元。上半年,规上工业总产值完成5亿元。"
    found = [i.period.code for i in extract(text, VOCABULARY, 2022).indicators]
    assert found == ["2021", "2021H1"]


@pytest.mark.parametrize("verb", ["经核实修正为", "修订为", "调整为", "核实后为"])
def test_corrected_earlier_figure_is_revised(verb: str) -> None:
    text = f"此前公布的2023年全年规上工业总产值{verb}389.2亿元。1-6月,预计完成规上工业总产值205.6亿元。"
    found = [(i.period.code, i.status) for i in extract(text, VOCABULARY, 2024).indicators]
    assert found == [("2023", "revised"), ("2024H1", "estimated")]


def test_elided_subject_carries_over_a_semicolon() -> None:
    """"一季度,规上工业总产值完成86.2亿元;前三季度完成284.1亿元": the same metric, its own span."""
    text = "一季度,规上工业总产值完成86.2亿元;前三季度完成284.1亿元,同比增长7.4%。上半年完成9亿元。"
    found = [(i.metric, i.period.code, i.value) for i in extract(text, VOCABULARY, 2023).indicators]
    assert found[:2] == [("industrial-output", "2023Q1", 86.2), ("industrial-output", "2023Q1-3", 284.1)]
    assert found[2][0] == "unknown-metric"  # a new sentence carries nothing over


def test_elided_subject_needs_the_same_kind_of_unit() -> None:
    text = "一季度,规上工业总产值完成86.2亿元;全年完成1594人。"
    found = [i.metric for i in extract(text, VOCABULARY, 2023).indicators]
    assert "new-urban-jobs" not in found and found[0] == "industrial-output"
