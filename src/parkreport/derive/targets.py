"""Targets and the later evidence that settles them.

Statuses and the rules that give them:

* ``unknown``: the target value is hidden ('redacted', 'unknown': never read
  as 0), the target is qualitative and no later fact names it in
  ``fulfils`` (then it is ``met``), or the horizon has passed without
  comparable evidence.
* ``open``: no evidence settles it yet and its horizon has not ended
  (judged against ``as_of``, never the clock).
* ``met``: comparable later evidence reaches the target. A range ("2至3个")
  is met at its minimum; the top of a range is the aspiration.
* ``partly_met``: for targets counting items (a unit such as 个 or 家, or a
  threshold such as "2至3个百亿级产业"): some items, but fewer than the
  minimum, once the horizon has ended (for a threshold target) or on the
  figure for the horizon period (for a count).
* ``missed``: comparable evidence for the horizon period falls short.

A target in percent on a metric that is an amount ("固定资产投资增长8%以上")
is a growth target: the growth a later report states for the horizon period
settles it, never the amount itself.

Evidence is comparable only when it is for the same park, metric and scope
and exactly the horizon period (an H1 figure never settles a full-year
target), and comes from a report other than the one setting the target.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from ..corpus import Corpus
from ..model import Report, Target
from ..periods import Period, period_words, period_words_en
from ..units import UnitError
from .progress import STAGES, stage_rank
from .quantities import Quantity, same_kind
from .results import DerivedNumber, Observation, ProjectTimeline, SourceRef, TargetAssessment, TargetStatus
from .yoy import preference_key

_AT_MOST = ("at_most", "less_than")
_EPSILON = 1e-9


class _Context:
    """What every target assessment consults, passed explicitly."""

    def __init__(self, corpus: Corpus, observations: Iterable[Observation],
                 timelines: Iterable[ProjectTimeline], dates: dict[str, dt.date | None], as_of: dt.date) -> None:
        self.corpus = corpus
        self.by_park: dict[str, list[Observation]] = defaultdict(list)
        for o in observations:
            if o.status != "target" and o.value is not None:
                self.by_park[o.park].append(o)
        self.timelines = {t.project: t for t in timelines}
        self.as_of = as_of
        self.fulfilments: dict[str, list[tuple[SourceRef, dt.date | None]]] = {}
        for report_id, report in sorted(corpus.reports.items()):
            for index, fact in enumerate(report.facts):
                if fact.fulfils:
                    self.fulfilments.setdefault(fact.fulfils, []).append(
                        (SourceRef(report_id, "facts", index), dates.get(report_id)))


def _later(observation_date: dt.date | None, observation_report: str, report: Report,
           set_on: dt.date | None) -> bool:
    """Evidence must come from another report, not dated before the target."""
    if observation_report == report.id:
        return False
    return set_on is None or observation_date is None or observation_date >= set_on


def _pending(horizon_end: dt.date | None, as_of: dt.date) -> bool:
    return horizon_end is not None and as_of < horizon_end


def _no_evidence(horizon_end: dt.date | None, as_of: dt.date) -> tuple[TargetStatus, str, str]:
    if _pending(horizon_end, as_of):
        return "open", "期限未到，尚无后续数据", "horizon not reached; no later evidence yet"
    return "unknown", "后续报告中没有可比数据", "no comparable evidence in later reports"


def _compare_value(target: Target, achieved: float) -> TargetStatus:
    if target.range is not None:
        return "met" if achieved >= target.range.min - _EPSILON else "missed"
    assert isinstance(target.value, float)
    if target.qualifier in _AT_MOST:
        return "met" if achieved <= target.value + _EPSILON else "missed"
    return "met" if achieved >= target.value - _EPSILON else "missed"


def _counts_items(target: Target, corpus: Corpus) -> bool:
    try:
        return target.threshold is not None or corpus.units.parse(target.unit).kind.startswith("count:")
    except UnitError:
        return False


def _metric_target(ctx: _Context, report: Report, target: Target, park: str, horizon: Period | None,
                   horizon_end: dt.date | None, set_on: dt.date | None) -> tuple[TargetStatus, str, str, DerivedNumber | None]:
    if horizon is None or horizon.year is None:
        return "unknown", "目标未给出可判断的期限", "the target has no usable horizon", None
    evidence = [
        o for o in ctx.by_park.get(park, ())
        if o.metric == target.metric and o.scope == target.scope
        and o.period.comparable_with(horizon) and o.period.year == horizon.year
        and _later(o.report_date, o.ref.report, report, set_on)
    ]
    if not evidence:
        status, zh, en = _no_evidence(horizon_end, ctx.as_of)
        return status, zh, en, None
    best = max(evidence, key=preference_key)
    assert best.value is not None
    unit = target.unit or best.value.unit
    if _is_growth_target(target, best.value.unit, ctx.corpus):
        return _growth_status(target, [o for o in evidence if o.yoy_pct is not None], horizon_end, ctx.as_of)
    if not same_kind(best.value.unit, unit, ctx.corpus.units):
        return "unknown", f"后续数据单位（{best.value.unit}）与目标单位不可比", "later evidence is in a unit of another kind", None
    achieved = Quantity(best.value.value, best.value.unit).to(unit, ctx.corpus.units).value
    status = _compare_value(target, achieved)
    if status == "missed" and _counts_items(target, ctx.corpus) and achieved > 0:
        status = "partly_met"
    number = DerivedNumber(
        achieved, unit, "reported" if unit == best.value.unit else "converted",
        f"{period_words(best.period)}的报告数值", f"figure reported for {period_words_en(best.period)}", (best.ref,),
        approximate=best.approximate, estimate=best.status == "estimated",
        period=best.period,
    )
    estimate_zh = "（依据预计数）" if number.estimate else ""
    estimate_en = " (based on an estimate)" if number.estimate else ""
    return (
        status,
        f"{period_words(best.period)}为{achieved:g}{unit}{estimate_zh}",
        f"{best.period.code}: {achieved:g} {unit}{estimate_en}",
        number,
    )


def _is_growth_target(target: Target, evidence_unit: str, corpus: Corpus) -> bool:
    """"固定资产投资增长8%以上": a target in percent on a metric that is an amount."""
    return (bool(target.unit) and same_kind(target.unit, "%", corpus.units)
            and not same_kind(evidence_unit, "%", corpus.units))


def _growth_status(target: Target, evidence: list[Observation], horizon_end: dt.date | None,
                   as_of: dt.date) -> tuple[TargetStatus, str, str, DerivedNumber | None]:
    """A growth target settled by the growth a later report states for the horizon period."""
    if not evidence:
        status, zh, en = _no_evidence(horizon_end, as_of)
        return status, zh, en, None
    best = max(evidence, key=preference_key)
    assert best.yoy_pct is not None
    status = _compare_value(target, best.yoy_pct)
    estimate = best.status == "estimated"
    number = DerivedNumber(
        best.yoy_pct, "%", "reported", f"{period_words(best.period)}的同比增速",
        f"year-on-year growth reported for {period_words_en(best.period)}", (best.ref,),
        estimate=estimate, period=best.period,
    )
    change = f"同比下降{-best.yoy_pct:g}%" if best.yoy_pct < 0 else f"同比增长{best.yoy_pct:g}%"
    return (
        status,
        f"{period_words(best.period)}{change}{'（依据预计数）' if estimate else ''}",
        f"{best.period.code}: growth {best.yoy_pct:+g}%{' (based on an estimate)' if estimate else ''}",
        number,
    )


def _threshold_target(ctx: _Context, report: Report, target: Target, park: str, horizon: Period | None,
                      horizon_end: dt.date | None, set_on: dt.date | None) -> tuple[TargetStatus, str, str, DerivedNumber | None]:
    """Count the items (scopes) whose full-year figure reaches the threshold."""
    threshold = target.threshold
    assert threshold is not None
    first_year = target.from_year or (set_on.year if set_on else None)
    last_year = horizon.year if horizon is not None else None
    reached: dict[str, Observation] = {}
    for o in ctx.by_park.get(park, ()):
        if (not o.scope or not o.period.is_full_year or o.period.year is None
                or (target.metric and o.metric != target.metric)
                or (first_year and o.period.year < first_year) or (last_year and o.period.year > last_year)
                or not _later(o.report_date, o.ref.report, report, set_on)):
            continue
        assert o.value is not None
        if not same_kind(o.value.unit, threshold.unit, ctx.corpus.units):
            continue
        value = Quantity(o.value.value, o.value.unit).to(threshold.unit, ctx.corpus.units).value
        if value >= threshold.value - _EPSILON:
            reached.setdefault(o.scope, o)
    needed = target.range.min if target.range else target.value if isinstance(target.value, float) else 1.0
    count = len(reached)
    refs = tuple(reached[scope].ref for scope in sorted(reached))
    number = DerivedNumber(
        float(count), target.unit or "个", "count_stated",
        f"后续报告中达到{threshold.value:g}{threshold.unit}的项数", f"items reported at or above {threshold.value:g} {threshold.unit}",
        refs,
    ) if count else None
    if count >= needed:
        return "met", f"已有{count}项达到门槛", f"{count} item(s) reached the threshold", number
    if _pending(horizon_end, ctx.as_of):
        return "open", f"期限未到，目前{count}项达到门槛", f"horizon not reached; {count} item(s) so far", number
    if count:
        return "partly_met", f"仅{count}项达到门槛（目标至少{needed:g}项）", f"only {count} of at least {needed:g}", number
    status, zh, en = _no_evidence(horizon_end, ctx.as_of)
    return status, zh, en, None


def _project_target(ctx: _Context, target: Target, report: Report, horizon_end: dt.date | None,
                    set_on: dt.date | None) -> tuple[TargetStatus, str, str, tuple[SourceRef, ...]]:
    timeline = ctx.timelines.get(target.project or "")
    if target.stage not in STAGES:
        return "unknown", "目标阶段无法识别", "the target stage is not a known stage", ()
    aimed = stage_rank(target.stage)
    later = [] if timeline is None else [
        c for c in timeline.claims
        if c.rank is not None and _later(c.report_date, c.ref.report, report, set_on)
    ]
    reached = [c for c in later if c.rank is not None and c.rank >= aimed]
    if reached:
        first = reached[0]
        # A report published after the deadline may describe what happened before
        # it; only a stated event date after the deadline shows the stage came late.
        if horizon_end is not None and first.event_date is not None and first.event_date > horizon_end:
            return "missed", "达到该阶段晚于期限", "the stage was reached after the deadline", (first.ref,)
        return "met", "后续报告确认已达到该阶段", "a later report confirms the stage", (first.ref,)
    if _pending(horizon_end, ctx.as_of):
        return "open", "期限未到", "horizon not reached", tuple(c.ref for c in later)
    if later and horizon_end is not None:
        return "missed", "期限已过，后续报告显示尚未达到该阶段", "deadline passed; later reports show an earlier stage", tuple(c.ref for c in later)
    if horizon_end is None:
        return "unknown", "目标没有期限，后续报告也未确认", "no deadline, and no later report confirms the stage", ()
    status, zh, en = _no_evidence(horizon_end, ctx.as_of)
    return status, zh, en, ()


def assess(ctx: _Context, report: Report, index: int, target: Target, set_on: dt.date | None) -> TargetAssessment:
    horizon = target.by
    base = TargetAssessment(
        ref=SourceRef(report.id, "targets", index), park=ctx.corpus.park_of(report, target.park),
        what=target.what, metric=target.metric, project=target.project, status="unknown",
        reason_zh="", reason_en="", horizon=horizon,
        horizon_end=horizon.end_date() if horizon is not None and horizon.year is not None else None,
        set_on=set_on,
    )
    if target.project and target.stage:
        status, zh, en, refs = _project_target(ctx, target, report, base.horizon_end, set_on)
        return replace(base, status=status, reason_zh=zh, reason_en=en, evidence=refs)
    if isinstance(target.value, str):
        return replace(base, reason_zh="目标值在来源中被隐去或未知，不视为0",
                       reason_en="the target value is hidden or unknown in the source (never read as 0)")
    if target.kind == "qualitative":
        linked = tuple(
            ref for ref, date in ctx.fulfilments.get(target.id or "", [])
            if _later(date, ref.report, report, set_on)
        )
        if linked:
            return replace(base, status="met", reason_zh="后续报告的事实表明已实现",
                           reason_en="a later report states it was achieved", evidence=linked)
        status, zh, en = ("open", "定性目标，期限未到", "qualitative target; horizon not reached") \
            if _pending(base.horizon_end, ctx.as_of) else \
            ("unknown", "定性目标，尚无后续报告明确对应", "qualitative target; no later fact is linked to it")
        return replace(base, status=status, reason_zh=zh, reason_en=en)
    number: DerivedNumber | None = None
    if target.threshold is not None:
        status, zh, en, number = _threshold_target(ctx, report, target, base.park, horizon, base.horizon_end, set_on)
    elif target.metric:
        status, zh, en, number = _metric_target(ctx, report, target, base.park, horizon, base.horizon_end, set_on)
    else:
        status, zh, en = _no_evidence(base.horizon_end, ctx.as_of)
    evidence = number.inputs if number is not None else ()
    return replace(base, status=status, reason_zh=zh, reason_en=en, evidence=evidence, achieved=number)


def assess_targets(corpus: Corpus, observations: Iterable[Observation], timelines: Iterable[ProjectTimeline],
                   dates: dict[str, dt.date | None], as_of: dt.date) -> tuple[TargetAssessment, ...]:
    ctx = _Context(corpus, observations, timelines, dates, as_of)
    return tuple(
        assess(ctx, report, index, target, dates.get(report.id))
        for report_id, report in sorted(corpus.reports.items())
        for index, target in enumerate(report.targets)
    )
