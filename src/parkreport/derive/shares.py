"""Reported shares checked against the figures they relate.

"工业投资完成6.65亿元,占固定资产投资的81.1%": when the same report period
also states the whole (固定资产投资 8.2亿元), the share can be computed
(6.65 / 8.2 = 81.1%) and checked within the rounding of the printed figures.
A qualified share ("80%以上") is checked as a bound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..corpus import Corpus
from ..periods import Period, period_words, period_words_en
from .quantities import growth_tolerance, half_unit
from .results import DerivedNumber, Observation, ShareCheck
from .yoy import preference_key

_LOWER_BOUNDS = ("more_than", "at_least")
_UPPER_BOUNDS = ("nearly", "less_than", "at_most")


def _rounding(observation: Observation) -> float:
    assert observation.value is not None and observation.reported_value
    return half_unit(observation.reported_value) * abs(observation.value.value / observation.reported_value)


def _verdict(computed: float, reported: float, qualifier: str, tolerance: float) -> bool | None:
    """True when the computed share contradicts the reported one."""
    if qualifier in _LOWER_BOUNDS:
        return computed < reported - tolerance - 1e-9
    if qualifier in _UPPER_BOUNDS:
        return computed > reported + tolerance + 1e-9
    if qualifier == "exact":
        return abs(computed - reported) > tolerance + 1e-9
    return None  # 约: no bound to check


def _whole(part: Observation, candidates: Iterable[Observation]) -> Observation | None:
    """The whole-park figure of the same period the share relates to."""
    fitting = [
        o for o in candidates
        if not o.scope and o.value is not None and o.reported_value and part.value is not None
        and o.value.unit == part.value.unit and o.status != "target"
    ]
    return max(fitting, key=preference_key) if fitting else None


def share_checks(corpus: Corpus, observations: tuple[Observation, ...]) -> tuple[ShareCheck, ...]:
    """Every reported share whose whole is stated for the same park and period."""
    checks: list[ShareCheck] = []
    by_figure: dict[tuple[str, str, Period], list[Observation]] = defaultdict(list)
    for observation in observations:
        by_figure[(observation.park, observation.metric, observation.period)].append(observation)
    for part in observations:
        share = corpus.reports[part.ref.report].indicators[part.ref.index].share
        if share is None or share.of not in corpus.metrics or part.value is None or not part.reported_value:
            continue
        whole = _whole(part, by_figure.get((part.park, share.of, part.period), ()))
        if whole is None or whole.value is None or whole.value.value == 0:
            continue
        computed = part.value.value / whole.value.value * 100
        tolerance = growth_tolerance(part.value.value, whole.value.value, _rounding(part), _rounding(whole))
        tolerance += half_unit(share.pct)
        number = DerivedNumber(
            computed, "%", "computed_share",
            f"由{period_words(part.period)}两个数值计算的占比",
            f"share computed from the two {period_words_en(part.period)} figures",
            (part.ref, whole.ref),
            approximate=part.approximate or whole.approximate,
            estimate=part.value.estimate or whole.value.estimate,
            period=part.period,
        )
        disagrees = None if number.approximate else _verdict(computed, share.pct, share.qualifier, tolerance)
        checks.append(ShareCheck(part, whole, number, share.pct, share.qualifier, tolerance, disagrees))
    return tuple(checks)
