"""Figures in Chinese text: numbers, units, qualifiers, and what is never a figure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkreport.extract.numbers import (
    find_quantities,
    mask_non_figures,
    parse_chinese_numeral,
    parse_number,
)
from parkreport.extract.text import matching_view, to_ascii_width


def figures(text: str) -> list[tuple[object, str, str]]:
    return [(q.value, q.unit, q.qualifier) for q in find_quantities(matching_view(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("规上工业总产值完成 96.1 亿元,同比增长 21.4%", [(96.1, "亿元", "exact"), (21.4, "%", "exact")]),
        ("签约项目20个,总投资110.3亿元", [(20.0, "个", "exact"), (110.3, "亿元", "exact")]),
        ("技术改造专项资金2517 万元", [(2517.0, "万元", "exact")]),
        ("平均每月货物运输量达 8.2万吨", [(8.2, "万吨", "exact")]),
        ("实际利用外资3.5亿美元", [(3.5, "亿美元", "exact")]),
        ("天能 3200 万 KVAh 动力电池生产线", [(3200.0, "万KVAh", "exact")]),
        ("收割面积 11900.28 亩", [(11900.28, "亩", "exact")]),
        ("占比提高2个百分点", [(2.0, "个百分点", "exact")]),
    ],
)
def test_numbers_with_units(text: str, expected: list[tuple[object, str, str]]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("总投资额近 150 亿元", [(150.0, "亿元", "nearly")]),
        ("总投资约200亿元", [(200.0, "亿元", "about")]),
        ("拜访企业20余家", [(20.0, "家", "more_than")]),
        ("招商 10 多批次", [(10.0, "批次", "more_than")]),
        ("产值占全区 80%以上", [(80.0, "%", "more_than")]),
        ("产值100亿元左右", [(100.0, "亿元", "about")]),
        ("超过50亿元", [(50.0, "亿元", "more_than")]),
    ],
)
def test_qualifiers(text: str, expected: list[tuple[object, str, str]]) -> None:
    assert figures(text) == expected


def test_sign_words_are_not_qualifiers() -> None:
    # 约 in 签约 and 近 in 最近 qualify nothing.
    assert figures("成功签约7个项目") == [(7.0, "个", "exact")]
    assert figures("最近3个项目") == [(3.0, "个", "exact")]


def test_full_width_digits_and_punctuation() -> None:
    assert figures("总投资额４０．６亿元，增长１５％") == [(40.6, "亿元", "exact"), (15.0, "%", "exact")]
    assert to_ascii_width("１－４月") == "1-4月"


@pytest.mark.parametrize(
    ("text", "value"),
    [("65.18 亿元", 65.18), ("65. 18亿元", 65.18), ("65 .18亿元", 65.18), ("1,594人", 1594.0), ("２５１７ 万元", 2517.0)],
)
def test_numbers_split_by_spaces(text: str, value: float) -> None:
    assert [q.value for q in find_quantities(matching_view(text))] == [value]


def test_range() -> None:
    (quantity,) = find_quantities(matching_view("力争未来五年打造2至3个百亿级产业"))
    assert (quantity.value, quantity.upper, quantity.unit) == (2.0, 3.0, "个")
    assert quantity.is_range


def test_redacted_placeholder() -> None:
    (quantity,) = find_quantities(matching_view("202x年力争完成×亿元的产值"))
    assert (quantity.value, quantity.unit) == ("redacted", "亿元")


def test_chinese_numerals() -> None:
    assert parse_chinese_numeral("二十") == 20
    assert parse_chinese_numeral("三百五十") == 350
    assert parse_chinese_numeral("两") == 2
    assert parse_chinese_numeral("十五") == 15
    assert parse_chinese_numeral("一二") is None
    assert parse_chinese_numeral("十十") is None
    (quantity,) = find_quantities(matching_view("签约项目二十个"))
    assert (quantity.value, quantity.arabic) == (20.0, False)


@pytest.mark.parametrize(
    "text",
    [
        "1月30日,南乐县产业集聚区召开2021年度工作总结",  # dates and years
        "原定 5 月 5 日复工复产",  # a date split by spaces
        "发布时间:2022-06-13 09:53:45",  # an ISO date and a time
        "成功举办2021中国(濮阳·南乐)生物降解材料产业发展大会",  # a year in a name
        "第一议题,第二次会议",  # ordinals
        "一是做大可降解材料产业。二是做优食品加工产业",  # list markers in words
        "1、加强领导\n2. 落实责任",  # numbered list markers
        "联系电话:0393-4412345,手机13812345678",  # phone numbers
        "x工业园铝电产业集群202x年",  # a withheld name and year
        "国家 AAA 级物流企业",  # letters
        "5年时间",  # a duration, not a count
        "不到1个月",  # 个月 is a duration
    ],
)
def test_never_a_figure(text: str) -> None:
    assert find_quantities(matching_view(text)) == []


def test_masking_keeps_length() -> None:
    text = "2022年1-4月份,电话0393-4412345"
    assert len(mask_non_figures(text)) == len(text)


def test_parse_number_forms() -> None:
    assert parse_number("×") == "redacted"
    assert parse_number("1,594") == 1594.0
    assert parse_number("abc") is None


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["亿元", "万元", "万吨", "%", "个", "家", "亩"]),
       st.sampled_from(["", " ", "  "]))
def test_any_plain_figure_round_trips(value: object, unit: str, gap: str) -> None:
    text = f"完成{value}{gap}{unit},"
    (quantity,) = find_quantities(matching_view(text))
    assert quantity.value == float(str(value))
    assert quantity.unit == unit
    assert text[quantity.start:quantity.end].replace(" ", "") == f"{value}{unit}"


@given(st.text(alphabet="0123456789年月日第一二三是、.,-×x个亿元% \n规上产值", max_size=40))
def test_never_crashes_and_offsets_are_in_range(text: str) -> None:
    for quantity in find_quantities(matching_view(text)):
        assert 0 <= quantity.start < quantity.end <= len(text)
