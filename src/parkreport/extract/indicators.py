"""Indicator and numeric-target rules.

The regular form of a reported figure is a metric name, a verb, a figure and
optional riders: "规上工业总产值完成 65.18 亿元,同比增长 29.2%" or
"工业投资完成 6.65 亿元,占固定资产投资的 81.1%". A figure takes:

- its metric from the nearest vocabulary name before it in its clause (no
  earlier than the previous figure), if that metric measures the figure's
  kind of unit; otherwise ``unknown-metric`` with a low confidence;
- its period from context (:meth:`Document.period_at`);
- its status from the sentence: 预计 → estimated; 修正为/核实为/调整为 (a
  corrected earlier figure) → revised; 力争/确保/争取/目标 →
  a target instead of an indicator;
- a following "(同比)增长/下降 x%" as its year-on-year change and a following
  "占...的 x%" as its share.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..periods import Period
from .candidates import (
    UNKNOWN_METRIC,
    IndicatorCandidate,
    ShareCandidate,
    TargetCandidate,
    ThresholdCandidate,
)
from .document import Document
from .metricmatch import MetricReading, metric_for
from .numbers import Quantity
from .segments import Segment, clauses, strip_end_punctuation, subclause_start

_GROWTH = re.compile(
    r"(?:同比|比上年同期|较上年同期|比上年|较上年|较去年同期|比去年同期)?\s*"
    r"(?P<verb>增长|增加|提高|上升|提升|增速(?:为|达)?|增幅(?:为|达)?|增|下降|减少|回落|下滑|降低|减)了?\s*$"
)
_FALLING = ("下降", "减少", "回落", "下滑", "降低", "减")
_SHARE = re.compile(r"占\s*(?P<of>[^,，;；。]*?)\s*的?\s*(?:比重|比例)?(?:为|达)?\s*$")
_TARGET_WORDS = re.compile(r"力争|确保|争取|目标|计划|预期|打造")
_ESTIMATE_WORDS = re.compile(r"预计")
_REVISION_WORDS = re.compile(r"(?:修正|修订|调整|核实|核定|更正)(?:为|后)")
_PRIMARY_COMMITMENTS = ("力争", "确保", "争取")
_CN_YEARS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_THRESHOLD = re.compile(r"\s*(?P<size>[十百千万亿]+)\s*(?P<unit>元|美元)?级")
_FUTURE_VERBS = re.compile(r"实现|达到")
_THRESHOLD_SIZES = {"十亿": (10, "亿元"), "百亿": (100, "亿元"), "千亿": (1000, "亿元"), "万亿": (1, "万亿元"), "亿": (1, "亿元")}
_MONEY_OR_MEASURE = ("CNY", "USD", "EUR", "HKD", "mass", "area", "energy", "power", "apparent_energy", "volume", "length")


def extract_figures(doc: Document, claimed: set[int]) -> tuple[list[IndicatorCandidate], list[TargetCandidate]]:
    """Indicators and numeric targets; ``claimed`` figures (by start) belong to project claims."""
    indicators: list[IndicatorCandidate] = []
    targets: list[TargetCandidate] = []
    for sentence in doc.sentences:
        carried: IndicatorCandidate | None = None
        for clause in clauses(doc.text, sentence):
            count = len(indicators)
            _clause_figures(doc, sentence, clause, claimed, indicators, targets, carried)
            named = [i for i in indicators[count:] if i.metric != UNKNOWN_METRIC]
            carried = named[-1] if named else carried if len(indicators) == count else None
    return indicators, targets


# "一季度,规上工业总产值完成86.2亿元;前三季度完成284.1亿元": the subject carries over a semicolon.
_ELIDED_SUBJECT = re.compile(
    r"\s*(?:\d{1,2}\s*-\s*\d{1,2}\s*月份?|[一二三四]季度|上半年|下半年|前三季度|全年)\s*(?:累计)?\s*(?:完成|实现)\s*"
)


def _carried_metric(doc: Document, quantity: Quantity, clause: Segment,
                    carried: IndicatorCandidate | None) -> MetricReading | None:
    """The metric of the previous clause's figure, for a clause that names only a span and a verb."""
    if carried is None or not _ELIDED_SUBJECT.fullmatch(doc.view, clause.start, quantity.start):
        return None
    if doc.vocabulary.unit_kind(quantity.unit) != doc.vocabulary.metric_kind(carried.metric):
        return None
    return MetricReading(carried.metric, 0.8, clause.start)


def _clause_figures(doc: Document, sentence: Segment, clause: Segment, claimed: set[int],
                    indicators: list[IndicatorCandidate], targets: list[TargetCandidate],
                    carried: IndicatorCandidate | None = None) -> None:
    previous: IndicatorCandidate | None = None
    previous_end = clause.start
    for quantity in doc.in_segment(clause):
        lead = doc.view[subclause_start(doc.view, quantity.start, clause.start):quantity.start]
        if quantity.unit == "%" and _attach_rider(doc, quantity, lead, previous, indicators):
            previous_end = quantity.end
            previous = indicators[-1] if previous is None else previous
            continue
        name = metric_for(doc, quantity, clause, max(clause.start, previous_end))
        if name is None and previous is None:
            name = _carried_metric(doc, quantity, clause, carried)
        previous_end = quantity.end
        before = doc.view[sentence.start:quantity.start]
        if _is_target(doc, before, quantity):
            target = _target(doc, quantity, name, clause, before)
            if target is not None:
                targets.append(target)
            previous = None
            continue
        indicator = _indicator(doc, quantity, name, clause, before, claimed)
        if indicator is not None:
            indicators.append(indicator)
        previous = indicator


def _attach_rider(doc: Document, quantity: Quantity, lead: str, previous: IndicatorCandidate | None,
                  indicators: list[IndicatorCandidate]) -> bool:
    """Attach a growth rate or a share to the figure before it; True when attached.

    A share with no figure before it ("三大主导产业贡献的产值占全区工业总产值80%以上")
    becomes an indicator of the whole's metric whose own value is unknown.
    """
    growth = _GROWTH.search(lead)
    if previous is None:
        share = _SHARE.search(lead)
        if share is not None:
            return _unknown_with_share(doc, quantity, lead[: share.start()], share, indicators)
        return growth is not None and _unknown_with_growth(doc, quantity, lead, growth, indicators)
    if growth and previous.yoy_pct is None and previous.unit != "%" and isinstance(quantity.value, float):
        sign = -1 if growth["verb"] in _FALLING else 1
        updated = _replace(previous, yoy_pct=sign * quantity.value, end=quantity.end, text=doc.text)
        indicators[indicators.index(previous)] = updated
        return True
    share = _SHARE.search(lead)
    if share and previous.share is None and isinstance(quantity.value, float):
        of = _share_of(doc, re.sub(r"\s+", "", share["of"]))
        pct_qualifier = "more_than" if quantity.qualifier == "more_than" else quantity.qualifier
        updated = _replace(previous, share=ShareCandidate(of or "total", quantity.value, pct_qualifier), end=quantity.end, text=doc.text)
        indicators[indicators.index(previous)] = updated
        return True
    return False


def _share_of(doc: Document, whole: str) -> str:
    """The metric a share is of: the longest name or name head ending the phrase (全区工业总产值)."""
    readings = [(m.end - m.start, m.target) for m in doc.vocabulary.find_metrics(whole) if m.end == len(whole)]
    readings += [(len(head), metric) for _stem, head, metric in doc.vocabulary.metric_splits
                 if len(head) >= 4 and whole.endswith(head)]
    if not readings:
        return whole
    longest = max(length for length, _metric in readings)
    metrics = {metric for length, metric in readings if length == longest}
    return metrics.pop() if len(metrics) == 1 else whole


def _part_metric(doc: Document, part: str, whole: str) -> str:
    """The metric of the part in "X占Y的p%": a name ending X (产业...产值), else the whole's metric."""
    kind = doc.vocabulary.metric_kind(whole)
    names = [m for m in doc.vocabulary.find_metrics(part) if m.end == len(part) and doc.vocabulary.metric_kind(m.target) == kind]
    if names:
        return names[-1].target
    splits = sorted((len(stem) + len(head), metric) for stem, head, metric in doc.vocabulary.metric_splits
                    if part.endswith(head) and stem in part[: -len(head)] and doc.vocabulary.metric_kind(metric) == kind)
    return splits[-1][1] if splits else whole


def _unknown_with_share(doc: Document, quantity: Quantity, part: str, share: re.Match[str],
                        indicators: list[IndicatorCandidate]) -> bool:
    """"三大主导产业贡献的产值占全区工业总产值80%以上": the part's value is unknown, its share is not."""
    of = _share_of(doc, re.sub(r"\s+", "", share["of"]))
    whole = doc.vocabulary.metrics.get(of)
    if whole is None or not isinstance(quantity.value, float):
        return False
    sentence = doc.sentence_of(quantity.start)
    start = subclause_start(doc.view, quantity.start, sentence.start)
    start = subclause_start(doc.view, start - 1, sentence.start) if start > sentence.start else start
    guess = doc.period_at(quantity.start)
    indicators.append(IndicatorCandidate(
        metric=_part_metric(doc, re.sub(r"\s+", "", part), of), value="unknown", unit=whole.unit, period=guess.period,
        quote=strip_end_punctuation(doc.text, Segment(start, quantity.end)),
        confidence=round(0.5 * guess.certainty, 2),
        share=ShareCandidate(of, quantity.value, quantity.qualifier),
        note="only the share is stated; name the part in 'scope'",
    ))
    return True


def _unknown_with_growth(doc: Document, quantity: Quantity, lead: str, growth: re.Match[str],
                         indicators: list[IndicatorCandidate]) -> bool:
    """"规上工业增加值同比增长7.9%": only the growth is stated; the value is unknown, never 0."""
    before = doc.view[:quantity.start - len(lead) + growth.start()]
    named = [m for m in doc.metric_names if m.target and m.end == len(before.rstrip())
             and m.start >= quantity.start - len(lead)]
    metric = doc.vocabulary.metrics.get(named[-1].target) if named else None
    sentence_before = doc.view[doc.sentence_of(quantity.start).start:quantity.start]
    if metric is None or not isinstance(quantity.value, float) or _is_target(doc, sentence_before, quantity):
        return False
    sign = -1 if growth["verb"] in _FALLING else 1
    guess = doc.period_at(quantity.start)
    indicators.append(IndicatorCandidate(
        metric=metric.id, value="unknown", unit=metric.unit, period=guess.period,
        quote=strip_end_punctuation(doc.text, Segment(named[-1].start, quantity.end)),
        confidence=round(0.6 * guess.certainty, 2), yoy_pct=sign * quantity.value,
        status="estimated" if _ESTIMATE_WORDS.search(sentence_before) else "actual",
        note="only the growth is stated",
    ))
    return True


def _replace(candidate: IndicatorCandidate, *, end: int, text: str, **changes: object) -> IndicatorCandidate:
    quote = strip_end_punctuation(text, Segment(candidate.quote.start, max(candidate.quote.end, end)))
    return replace(candidate, quote=quote, **changes)  # type: ignore[arg-type]


def _is_target(doc: Document, before: str, quantity: Quantity) -> bool:
    if _TARGET_WORDS.search(before):
        return True
    if _ESTIMATE_WORDS.search(before) and _FUTURE_VERBS.search(before[-12:]):
        # "202x年生物医药产业预计实现产值×亿元": an expected full-year result
        # stated mid-year is a target, unlike "预计1-4月份...完成".
        guess = doc.period_at(quantity.start)
        return guess.period.is_full_year
    return False


def _quote_start(doc: Document, quantity: Quantity, name: MetricReading | None, clause: Segment) -> int:
    if name is not None:
        return subclause_start(doc.view, min(name.name_start, quantity.start), clause.start)
    return subclause_start(doc.view, quantity.start, clause.start)


def _indicator(doc: Document, quantity: Quantity, name: MetricReading | None, clause: Segment, before: str,
               claimed: set[int]) -> IndicatorCandidate | None:
    if name is None and (quantity.start in claimed or not _worth_a_candidate(doc, quantity)):
        return None
    guess = doc.period_at(quantity.start)
    end = max(quantity.end, name.name_end if name else 0)
    quote = strip_end_punctuation(doc.text, Segment(_quote_start(doc, quantity, name, clause), end))
    confidence = 0.9 * guess.certainty * name.certainty if name else 0.3
    status = "revised" if _REVISION_WORDS.search(before) else "estimated" if _ESTIMATE_WORDS.search(before) else "actual"
    scope = _subset_scope(doc, quantity, clause) if name and name.certainty < 1.0 else ""
    if scope:
        confidence *= 0.7
    return IndicatorCandidate(
        scope=scope,
        metric=name.metric if name else UNKNOWN_METRIC,
        value=quantity.value,
        unit=quantity.unit,
        period=guess.period,
        quote=quote,
        confidence=round(confidence, 2),
        qualifier="at_least" if quantity.is_range else quantity.qualifier,
        status=status,
        note="" if not quantity.is_range else f"range up to {quantity.upper:g}",
    )


def _subset_scope(doc: Document, quantity: Quantity, clause: Segment) -> str:
    """"其中亿元以上项目8个": a subset of the figure before, named by the words after 其中."""
    piece = doc.view[subclause_start(doc.view, quantity.start, clause.start):quantity.start]
    match = re.match(r"\s*其中\s*(?P<words>.+?)(?:项目|企业)?\s*$", piece)
    return re.sub(r"\s+", "", match["words"]) if match else ""


def _worth_a_candidate(doc: Document, quantity: Quantity) -> bool:
    """An unnamed figure is proposed only when it is an amount written in digits."""
    return quantity.arabic and quantity.value != "redacted" and doc.vocabulary.unit_kind(quantity.unit) in _MONEY_OR_MEASURE


def _target(doc: Document, quantity: Quantity, name: MetricReading | None, clause: Segment, before: str) -> TargetCandidate | None:
    if name is None and not quantity.arabic:
        return None  # "一张蓝图绘到底" is a figure of speech, not a target
    words = _TARGET_WORDS.findall(before) or _ESTIMATE_WORDS.findall(before) or [""]
    commitment = next((word for word in words if word in _PRIMARY_COMMITMENTS), words[-1])
    guess = doc.period_at(quantity.start)
    start = subclause_start(doc.view, quantity.start, clause.start)
    threshold = _threshold(doc.view, quantity.end)
    end = quantity.end + (threshold[1] if threshold else 0)
    end = _extend_to_object(doc.view, end, clause.end)
    quote = strip_end_punctuation(doc.text, Segment(start, end))
    what = re.sub(r"\s+", "", doc.text[start:end])
    value_range = (quantity.value, quantity.upper) if quantity.is_range and isinstance(quantity.value, float) else None
    horizon = re.search(r"未来\s*([一二两三四五六七八九十]|\d+)\s*年", doc.view[clause.start:quantity.start])
    from_year = guess.period.year if horizon else None
    by = guess.period if guess.certainty >= 1.0 or not guess.period.to_date else Period(guess.period.year, year_label=guess.period.year_label)
    if horizon and from_year is not None:
        years = int(horizon[1]) if horizon[1].isdigit() else _CN_YEARS[horizon[1]]
        by = Period(from_year + years - 1)
    growth_of = _growth_metric(doc, quantity, start) if name is None else None
    confidence = (0.7 if name else 0.6 if growth_of else 0.5) * guess.certainty
    return TargetCandidate(
        what=what or doc.text[quote.start:quote.end],
        quote=quote,
        confidence=round(confidence, 2),
        commitment=commitment,
        metric=name.metric if name else growth_of,
        value=None if value_range else quantity.value,
        range=value_range,  # type: ignore[arg-type]
        qualifier="at_least" if quantity.qualifier == "more_than" else quantity.qualifier,
        unit=quantity.unit,
        threshold=threshold[0] if threshold else None,
        by=by,
        from_year=from_year,
    )


_GROWTH_WORDS = re.compile(r"\s*(?:同比)?\s*(?:增长|增速|增幅|提高|提升)\s*(?:达到|达|为|到)?\s*")


def _growth_metric(doc: Document, quantity: Quantity, floor: int) -> str | None:
    """"固定资产投资增长8%以上": the metric whose growth a percent target sets, named right before it."""
    if doc.vocabulary.unit_kind(quantity.unit) != doc.vocabulary.unit_kind("%"):
        return None
    named = [m for m in doc.metric_names if floor <= m.start and m.end <= quantity.start and m.target
             and _GROWTH_WORDS.fullmatch(doc.view, m.end, quantity.start)]
    return max(named, key=lambda m: m.end).target if named else None


def _threshold(view: str, offset: int) -> tuple[ThresholdCandidate, int] | None:
    """A size class right after a count: 百亿级 -> at least 100亿元 each."""
    match = _THRESHOLD.match(view, offset)
    if not match or match["size"] not in _THRESHOLD_SIZES:
        return None
    value, unit = _THRESHOLD_SIZES[match["size"]]
    if match["unit"] == "美元":
        unit = unit.replace("元", "美元")
    return ThresholdCandidate(float(value), unit, "产业规模"), match.end() - offset


def _extend_to_object(view: str, end: int, limit: int) -> int:
    """Extend a target quote over the noun that follows the figure (…个百亿级产业)."""
    match = re.compile(r"[^,，;；。、]{0,12}").match(view, end, limit)
    return match.end() if match else end

