"""The words a chart writes (labels, tooltips, descriptions, table heads), per language.

A chart is drawn in one language: :data:`CHINESE` by default; the English
edition passes an English :class:`ChartWords` built from its catalog (see
:func:`parkreport.format_en.english_filters`). Formatting itself comes in
as functions, so the chart modules hold no language of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..format import format_number, format_period, format_quantity
from ..labels import STAGE_LABELS, STATUS_LABELS
from ..periods import span_words

CHINESE_TEXTS: dict[str, str] = {
    "value": "数值",
    "item": "项目",
    "status": "性质",
    "no_data": "暂无数据",
    "colon": "：",
    "semicolon": "；",
    "comma": "，",
    "end": "。",
    "paren": "（{text}）",
    "year_span": "{year}年{span}",
    "year_value": "{year}年{value}",
    "key_note": "空心＝预计　◇＝推算",
    "separate_lines": "不同统计期分别成线，互不相连。",
    "subject_unit": "{subject}（单位：{unit}）",
    "value_unit": "数值（{unit}）",
    "period": "统计期",
    "yoy": "同比",
    "metric": "指标",
    "stage": "阶段",
    "projects": "项目数",
    "project_unit": "个",
    "yoy_computed": "由两期数值计算",
    "stage_unclear": "阶段不明",
    "stage_unclear_note": "只有“取得进展”或计划类表述",
    "growth_title": "同比增长",
    "pipeline_title": "项目进度",
}


@dataclass(frozen=True)
class ChartWords:
    """How a chart writes periods, quantities, statuses, stages and its fixed texts."""

    period: Callable[[Any], str]  # 2023H1 -> 2023年上半年 / H1 2023
    span: Callable[[Any], str]  # a period's span alone: 上半年 / H1
    quantity: Callable[..., str]  # (value, unit, qualifier, decimals) -> 65.18亿元
    number: Callable[..., str]  # (value, decimals) -> 65.18; 'unknown' -> 未知
    statuses: Mapping[str, str]
    stages: Mapping[str, str]
    texts: Mapping[str, str]
    unit_name: Callable[[str], str] = str  # a unit as the chart's table head names it: 亿元 / 100 million yuan

    def text(self, key: str, **values: Any) -> str:
        text = self.texts[key]
        return text.format(**values) if values else text


CHINESE = ChartWords(format_period, span_words, format_quantity, format_number, STATUS_LABELS, STAGE_LABELS, CHINESE_TEXTS)
