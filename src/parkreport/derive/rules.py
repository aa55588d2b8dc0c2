"""The rules that produce derived numbers, named so pages can explain them.

A :class:`~parkreport.derive.results.DerivedNumber` names its rule; the
methods page and tooltips show the description below.
"""

from __future__ import annotations

from typing import Literal

Rule = Literal[
    "reported",  # the figure as the source states it
    "converted",  # the reported figure converted to the metric's unit
    "computed_yoy",  # (current / previous - 1) * 100 from two comparable observations
    "implied_prior",  # value / (1 + reported yoy / 100): the previous year's value
    "sum_stated",  # a sum of amounts stated by reports
    "count_stated",  # a count of items stated by reports
    "computed_share",  # part / whole * 100 from two figures of the same period
]


#: What each rule means, in Chinese and English, for a methods page and tooltips.
RULE_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "reported": ("报告原文所载数值。", "The figure as the source states it."),
    "converted": (
        "报告数值换算为该指标的常用单位（如2517万元 = 0.2517亿元），只在同类单位之间换算。",
        "The reported figure converted to the metric's usual unit (2517万元 = 0.2517亿元), only within a kind.",
    ),
    "computed_yoy": (
        "由同一园区、同一指标、同一统计期（如两年的上半年）两个数值计算的同比增速：(本期/上年同期 - 1) × 100%。",
        "Growth computed from two figures of the same park, metric and span one year apart: (current / previous - 1) × 100%.",
    ),
    "implied_prior": (
        "由报告的同比增速推算的上年同期数值：本期 ÷ (1 + 增速)。增加值增速按可比价计算，推算值仅为近似。",
        (
            "The previous year's value implied by a reported growth rate: value ÷ (1 + rate). "
            "Value-added rates are at comparable prices, so the result is approximate."
        ),
    ),
    "sum_stated": (
        "报告明确给出的金额之和，同一币种内相加，不跨币种。",
        "A sum of amounts the reports state, within one currency, never across currencies.",
    ),
    "count_stated": ("报告明确提及的项目或事项个数。", "A count of items the reports name."),
    "computed_share": (
        "由同一统计期的部分与总量两个数值计算的占比，用于核对报告所称的占比。",
        "A share computed from a part and its whole for the same period, to check a reported share.",
    ),
}
