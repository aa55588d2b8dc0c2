"""The data-quality list: everything a reader should be warned about.

Disagreeing growth rates, revised estimates, project regressions and stalls,
hidden values, estimates never confirmed, qualified figures (近/余/约),
undated reports and vague project claims, each with a severity, a message in
Chinese and English and the facts it concerns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..corpus import Corpus
from ..periods import period_words, period_words_en
from .observations import date_key
from .progress import STAGE_WORDS_ZH, STAGES, stage_rank
from .quantities import half_unit
from .results import (
    Observation,
    ProjectTimeline,
    QualityIssue,
    Series,
    SeriesPoint,
    ShareCheck,
    SourceRef,
    TargetAssessment,
)

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_STATUS_ZH = {"actual": "实际数", "estimated": "预计数", "revised": "核实数", "target": "目标"}
_QUALIFIER_ZH = {"about": "约", "nearly": "近", "more_than": "余/多", "at_least": "以上", "less_than": "不足", "at_most": "以内"}


def _name(corpus: Corpus, metric: str) -> str:
    found = corpus.metrics.get(metric)
    return (found.zh_short or found.zh) if found else metric


def _disagreements(corpus: Corpus, series: Iterable[Series]) -> list[QualityIssue]:
    issues = []
    for s in series:
        for point in s.points:
            comparison = point.comparison
            if comparison is None or not comparison.disagrees:
                continue
            computed = comparison.computed.value
            real_prices = corpus.metrics[s.metric].comparable_prices
            note_zh = "（官方增速按可比价计算，差异可能来自价格因素）" if real_prices else ""
            note_en = " (official rates are at comparable prices, which may explain it)" if real_prices else ""
            issues.append(QualityIssue(
                "yoy_disagreement", "info" if real_prices else "warning", s.park,
                f"{_name(corpus, s.metric)}{period_words(point.period)}：报告同比增长{comparison.reported_pct:g}%，"
                f"按两年数值计算为{computed:.1f}%{note_zh}",
                f"{corpus.metrics[s.metric].en}, {period_words_en(point.period)}: reported growth "
                f"{comparison.reported_pct:g}%, computed from the two years' figures {computed:.1f}%{note_en}",
                comparison.computed.inputs, metric=s.metric, numbers=(comparison.computed,),
            ))
    return issues


def _differs(first: Observation, second: Observation) -> bool:
    assert first.value is not None and second.value is not None and first.reported_value is not None
    assert second.reported_value is not None
    scale = first.value.value / first.reported_value if first.reported_value else 1.0
    allowed = (half_unit(first.reported_value) + half_unit(second.reported_value)) * abs(scale)
    return first.value.unit == second.value.unit and abs(first.value.value - second.value.value) > allowed + 1e-9


def _point_issues(corpus: Corpus, s: Series, point: SeriesPoint) -> list[QualityIssue]:
    issues = []
    best = point.observation
    name = _name(corpus, s.metric)
    for other in point.alternatives:
        if best.value is None or other.value is None or not _differs(best, other):
            continue
        issues.append(QualityIssue(
            "revision", "warning", s.park,
            f"{name}{period_words(point.period)}有不同数值：{other.value.value:g}{other.value.unit}"
            f"（{_STATUS_ZH[other.status]}）与{best.value.value:g}{best.value.unit}（{_STATUS_ZH[best.status]}，采用）",
            f"{corpus.metrics[s.metric].en}, {period_words_en(point.period)}: {other.value.value:g} ({other.status}) "
            f"differs from {best.value.value:g} ({best.status}, used)",
            (best.ref, other.ref), metric=s.metric,
        ))
    if best.status == "estimated" and best.value is not None:
        issues.append(QualityIssue(
            "unconfirmed_estimate", "info", s.park,
            f"{name}{period_words(point.period)}仅有预计数，尚无实际数确认",
            f"{corpus.metrics[s.metric].en}, {period_words_en(point.period)}: only an estimate, not yet confirmed",
            (best.ref,), metric=s.metric,
        ))
    return issues


def _observation_issues(corpus: Corpus, observations: Iterable[Observation]) -> list[QualityIssue]:
    issues = []
    for o in observations:
        name = _name(corpus, o.metric)
        if o.hidden:
            issues.append(QualityIssue(
                "hidden_value", "info", o.park,
                f"{name}（{o.period.code}）的数值在来源中{'被隐去' if o.hidden == 'redacted' else '未知'}，不作为0处理",
                f"{corpus.metrics[o.metric].en} ({o.period.code}) is {o.hidden} in the source; never read as 0",
                (o.ref,), metric=o.metric,
            ))
        elif o.qualifier != "exact":
            issues.append(QualityIssue(
                "qualified_figure", "info", o.park,
                f"{name}（{o.period.code}）为约数（{_QUALIFIER_ZH.get(o.qualifier, o.qualifier)}），比较结果仅为近似",
                f"{corpus.metrics[o.metric].en} ({o.period.code}) is qualified ({o.qualifier}); comparisons are approximate",
                (o.ref,), metric=o.metric,
            ))
    return issues


def _project_issues(corpus: Corpus, timelines: Iterable[ProjectTimeline], as_of: dt.date) -> list[QualityIssue]:
    issues = []
    for t in timelines:
        for change in t.regressions:
            assert change.before is not None
            before, after = change.before.stage or "", change.after.stage or ""
            issues.append(QualityIssue(
                "regression", "warning", t.park,
                f"项目{t.name}：后续报告称处于{STAGE_WORDS_ZH[after]}，早前报告已称{STAGE_WORDS_ZH[before]}",
                f"project {t.name}: a later report says {after.replace('_', ' ')} after an earlier one said "
                f"{before.replace('_', ' ')}",
                (change.before.ref, change.after.ref), project=t.project,
            ))
        if t.stalled and t.last_claim_date is not None:
            issues.append(QualityIssue(
                "stall", "warning" if (t.current_claim and (t.current_claim.rank or 0) >= stage_rank("signed")) else "info",
                t.park,
                f"项目{t.name}自{t.last_claim_date.isoformat()}以来超过{t.stall_months}个月无新进展报道，园区仍在发布报告",
                f"project {t.name}: no claim since {t.last_claim_date.isoformat()} (over {t.stall_months} months) "
                "while the park kept reporting",
                (t.claims[-1].ref,), project=t.project,
            ))
        for claim in t.vague_claims:
            kind_zh = "笼统表述" if claim.kind == "vague" else "计划表述"
            issues.append(QualityIssue(
                "vague_claim", "info", t.park,
                f"项目{t.name}：{kind_zh}，未说明具体阶段",
                f"project {t.name}: a {'vague' if claim.kind == 'vague' else 'planned'} claim that names no stage reached",
                (claim.ref,), project=t.project,
            ))
    return issues


_PLANNED_WORDS_ZH = {
    "in_talks": "洽谈", "signed": "签约", "landed": "落地", "under_construction": "开工建设", "completed": "建成",
    "trial_production": "试生产", "in_production": "投产", "full_capacity": "达产",
}


def _latest_report(corpus: Corpus, dates: dict[str, dt.date | None]) -> dict[str, dt.date]:
    latest: dict[str, dt.date] = {}
    for report_id, report in corpus.reports.items():
        date = dates.get(report_id)
        for park in report.parks:
            if date is not None and (park not in latest or date > latest[park]):
                latest[park] = date
    return latest


def _plan_issues(corpus: Corpus, timelines: Iterable[ProjectTimeline], dates: dict[str, dt.date | None],
                 as_of: dt.date) -> list[QualityIssue]:
    """Plans ("下半年将全面开工建设") whose deadline passed while the park kept
    reporting, without a report confirming the stage: a warning when later
    claims show a lower stage, info when the project is not mentioned again."""
    latest = _latest_report(corpus, dates)
    issues = []
    for t in timelines:
        for claim in t.claims:
            by, stage = claim.planned_by, claim.planned_stage
            if by is None or by.year is None or stage not in STAGES or as_of <= by.end_date():
                continue
            if t.park not in latest or latest[t.park] <= by.end_date():
                continue  # no report after the deadline: nothing to say yet
            later = [c for c in t.claims if c.rank is not None and date_key(c.report_date) > date_key(claim.report_date)]
            if any(c.rank is not None and c.rank >= stage_rank(stage) for c in later):
                continue
            when = f"{by.year}年内" if by.is_full_year else period_words(by)
            issues.append(QualityIssue(
                "plan_overdue", "warning" if later else "info", t.park,
                f"项目{t.name}原计划{when}{_PLANNED_WORDS_ZH[stage]}，期限已过，此后的报告未见确认",
                f"project {t.name} was to reach {stage.replace('_', ' ')} by {period_words_en(by)}; "
                "the deadline passed and no later report confirms it",
                (claim.ref, *(c.ref for c in later)), project=t.project,
            ))
    return issues


def _share_issues(corpus: Corpus, shares: Iterable[ShareCheck]) -> list[QualityIssue]:
    return [
        QualityIssue(
            "share_disagreement", "warning", check.part.park,
            f"{_name(corpus, check.part.metric)}{period_words(check.part.period)}：报告称占"
            f"{_name(corpus, check.whole.metric)}的{check.reported_pct:g}%，按两项数值计算为{check.computed.value:.1f}%",
            f"{corpus.metrics[check.part.metric].en}, {period_words_en(check.part.period)}: reported as "
            f"{check.reported_pct:g}% of {corpus.metrics[check.whole.metric].en}, computed {check.computed.value:.1f}%",
            check.computed.inputs, metric=check.part.metric, numbers=(check.computed,),
        )
        for check in shares if check.disagrees
    ]


def _target_issues(targets: Iterable[TargetAssessment]) -> list[QualityIssue]:
    return [
        QualityIssue(
            "hidden_value", "info", t.park, f"目标“{t.what}”的数值在来源中被隐去或未知，状态记为未知",
            f"target '{t.what}': its value is hidden or unknown in the source, so its status is unknown",
            (t.ref,), metric=t.metric,
        )
        for t in targets
        if t.status == "unknown" and t.reason_en.startswith("the target value is hidden")
    ]


def _hidden_amounts(corpus: Corpus) -> list[QualityIssue]:
    """Project investment or output amounts the source hides: never summed as 0."""
    issues = []
    for report_id, report in sorted(corpus.reports.items()):
        for index, event in enumerate(report.project_events):
            for amount in (event.investment, event.output_value):
                if amount is None or not isinstance(amount.value, str):
                    continue
                project = corpus.projects.get(event.project)
                name = project.name if project else event.project
                issues.append(QualityIssue(
                    "hidden_value", "info", corpus.project_park.get(event.project, report.parks[0]),
                    f"项目{name}的金额在来源中{'被隐去' if amount.value == 'redacted' else '未知'}，不计入合计",
                    f"project {name}: an amount is {amount.value} in the source and is left out of totals",
                    (SourceRef(report_id, "project_events", index),), project=event.project,
                ))
    return issues


def _undated(corpus: Corpus, dates: dict[str, dt.date | None]) -> list[QualityIssue]:
    return [
        QualityIssue(
            "undated_report", "warning", corpus.reports[rid].parks[0],
            f"报告“{corpus.reports[rid].title}”没有可确定的日期，无法排入时间顺序",
            f"report {rid} has no usable date, so it cannot be placed in time",
            (), reports=(rid,))
        for rid, date in sorted(dates.items()) if date is None
    ]


def quality_issues(corpus: Corpus, observations: Iterable[Observation], series: Iterable[Series],
                   targets: Iterable[TargetAssessment], timelines: Iterable[ProjectTimeline],
                   dates: dict[str, dt.date | None], as_of: dt.date,
                   shares: Iterable[ShareCheck] = ()) -> tuple[QualityIssue, ...]:
    series = tuple(series)
    issues = _disagreements(corpus, series)
    for s in series:
        for point in s.points:
            issues.extend(_point_issues(corpus, s, point))
    issues.extend(_observation_issues(corpus, observations))
    timelines = tuple(timelines)
    issues.extend(_project_issues(corpus, timelines, as_of))
    issues.extend(_plan_issues(corpus, timelines, dates, as_of))
    issues.extend(_target_issues(targets))
    issues.extend(_share_issues(corpus, shares))
    issues.extend(_undated(corpus, dates))
    issues.extend(_hidden_amounts(corpus))
    return tuple(sorted(issues, key=lambda i: (
        _SEVERITY_ORDER[i.severity], i.park or "", i.kind, i.refs, i.message_en,
    )))
