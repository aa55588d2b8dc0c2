"""Which metric a figure measures, from the names around it.

Three readings, in order of preference:

1. a whole vocabulary name before the figure in its clause ("固定资产投资完成
   8.2亿元"), the nearest one whose unit fits;
2. a name split around the figure or a list: a stem earlier in the clause
   and a head next to the figure ("签约浙江航民...等5个项目" → 签约项目;
   "深入对接...等20余家企业,总投资约200亿元" → 对接(项目)总投资). A split
   reading beats a whole name when its head is that name, because it uses
   more of the sentence (总投资额 alone is any total investment);
3. a whole name right after the figure ("对20余家企业开展智能化改造培训").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document
from .numbers import Quantity
from .segments import Segment, subclause_start

_IGNORED = re.compile(r"[\s\"'“”‘’「」]")
_HEAD_GAP = 4  # characters allowed between a head and its figure (完成, 约, 达到...)


@dataclass(frozen=True)
class MetricReading:
    """A metric for a figure, how sure the reading is, and where its name starts."""

    metric: str
    certainty: float
    name_start: int
    name_end: int = 0  # where the name ends when it follows the figure


def _compact(text: str, start: int, end: int) -> tuple[str, list[int]]:
    chars, offsets = [], []
    for index in range(start, end):
        if not _IGNORED.match(text[index]):
            chars.append(text[index])
            offsets.append(index)
    return "".join(chars), offsets


def metric_for(doc: Document, quantity: Quantity, clause: Segment, floor: int) -> MetricReading | None:
    """The best reading of a figure's metric, or None when no name fits its unit."""
    kind = doc.vocabulary.unit_kind(quantity.unit)
    fitting = [
        match for match in doc.metric_names
        if doc.vocabulary.metric_kind(match.target) == kind and match.target
    ]
    before = [m for m in fitting if floor <= m.start and m.end <= quantity.start]
    direct = max(before, key=lambda m: (m.end, m.end - m.start)) if before else None
    split = _split_reading(doc, quantity, clause, kind)
    if split is not None and direct is not None and _refines(split, direct.start, direct.end):
        return MetricReading(split[0], 0.85, split[1])
    limit = _subclause_end(doc.view, quantity.end, clause.end)
    after = [m for m in fitting if quantity.end <= m.start and m.end <= limit]
    own_piece = subclause_start(doc.view, quantity.start, clause.start)
    if direct is not None and not (after and direct.start < own_piece):
        return MetricReading(direct.target, 1.0, direct.start)
    if split is not None and not (after and split[1] < own_piece):
        return MetricReading(split[0], 0.85, split[1], split[2] + split[3])
    if after:
        first = min(after, key=lambda m: (m.start, -(m.end - m.start)))
        return MetricReading(first.target, 0.75, own_piece, first.end)
    return None


def _refines(split: tuple[str, int, int, int], start: int, end: int) -> bool:
    """A split reading refines a whole name that is little more than its head (总投资额)."""
    _metric, stem_at, head_at, head_length = split
    return stem_at < start and head_at >= start and head_length >= (end - start) - 1


def _split_reading(doc: Document, quantity: Quantity, clause: Segment, kind: str | None) -> tuple[str, int, int, int] | None:
    """(metric, stem offset, head offset, head length) of the best split name, the stem nearest the figure."""
    before, before_at = _compact(doc.view, clause.start, quantity.start)
    after_end = _subclause_end(doc.view, quantity.end, clause.end)
    after, after_at = _compact(doc.view, quantity.end, after_end)
    best: tuple[int, int, str, int, int] | None = None
    for stem, head, metric in doc.vocabulary.metric_splits:
        if doc.vocabulary.metric_kind(metric) != kind:
            continue
        head_at = _head_position(before, after, head)
        if head_at is None:
            continue
        stem_limit = len(before) - (max(0, head_at))
        # The stem must stand apart from the head: a name written whole is a direct match.
        stem_at = before.rfind(stem, 0, max(stem_limit - 1, 0))
        if stem_at < 0:
            continue
        head_offset = before_at[len(before) - head_at] if head_at > 0 else after_at[-head_at - 1] if after_at else quantity.end
        score = (stem_at, len(stem) + len(head), metric, head_offset, len(head))
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None:
        return None
    return best[2], before_at[best[0]], best[3], best[4]


def _head_position(before: str, after: str, head: str) -> int | None:
    """Where a head stands: k > 0 = it ends k characters... before the figure; k < 0 = after it."""
    window = before[-(len(head) + _HEAD_GAP):]
    found = window.rfind(head)
    if found >= 0:
        return len(window) - found  # distance from the figure back to the head's start
    found = after[: len(head) + _HEAD_GAP].find(head)
    if found >= 0:
        return -(found + 1)
    return None


def _subclause_end(view: str, offset: int, limit: int) -> int:
    match = re.compile(r"[,，;；。:：]").search(view, offset, limit)
    return match.start() if match else limit
