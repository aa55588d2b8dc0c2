"""The site's vocabulary in Simplified Chinese: statuses, stages, kinds, levels.

Every label a filter prints comes from these dictionaries, keyed by the
content model's ids, so an English edition needs only a second set.
"""

from __future__ import annotations

VALUE_WORDS: dict[str, str] = {"unknown": "未知", "redacted": "未公开"}

STATUS_LABELS: dict[str, str] = {
    "actual": "实际",
    "estimated": "预计",
    "target": "目标",
    "revised": "修订",
    "derived": "推算",
}

STATUS_HINTS: dict[str, str] = {
    "actual": "报告所述的实际完成数",
    "estimated": "预计数：报告发布时统计期尚未结束或数据未核实，之后可能修订",
    "target": "目标数：报告提出的目标，不是完成数",
    "revised": "修订数：后续报告更正了先前的数字",
    "derived": "推算数：由报告中的其他数字计算得出，并非报告原文所载",
}

STAGE_LABELS: dict[str, str] = {
    "in_talks": "洽谈",
    "signed": "签约",
    "landed": "落地",
    "under_construction": "在建",
    "completed": "竣工",
    "trial_production": "试生产",
    "in_production": "投产",
    "full_capacity": "达产",
    "progress": "有进展",
    "planned": "计划",
}

OUTCOME_LABELS: dict[str, str] = {
    "met": "已完成",
    "partly_met": "部分完成",
    "partly": "部分完成",
    "missed": "未完成",
    "open": "进行中",
    "unknown": "待核实",
}

REPORT_KIND_LABELS: dict[str, str] = {
    "news": "新闻报道",
    "work_summary": "工作总结",
    "speech": "讲话",
    "interview": "访谈",
    "plan": "规划",
    "other": "其他",
}

FACT_KIND_LABELS: dict[str, str] = {
    "award": "荣誉",
    "event": "活动",
    "policy": "政策",
    "platform": "平台",
    "promotion": "招商",
    "agreement": "协议",
    "other": "其他",
}

LEVEL_LABELS: dict[str, str] = {
    "national": "国家级",
    "provincial": "省级",
    "city": "市级",
    "county": "县级",
    "unknown": "级别不详",
}
