"""Which status a sentence claims for the projects it names.

The words after a project name say the most (顺利试产, 即将进入试生产,
取得突破性进展, 正加快推进); the verb before a list says what the list is
(签约, 对接, 落地, 加快推进); a commitment (力争, 确保, 尽快) makes a target
of the stage it aims at; "将" or "计划" in the next clause names the stage
planned next ("取得突破性进展,下半年将全面开工建设").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..periods import Period
from .document import Document


@dataclass(frozen=True)
class Claim:
    """A status, an optional planned stage and an optional commitment (target)."""

    status: str | None
    imminent: bool = False
    planned_stage: str | None = None
    planned_by: Period | None = None
    commitment: str = ""
    committed_stage: str | None = None
    committed_by: Period | None = None
    confidence: float = 1.0
    commitment_words: str = ""  # 确保早竣工、早投产: the commitment in the source's words
    extent: int = 0  # where the words the claim was read from end, as an offset into the text


_STAGES = (
    (re.compile(r"达产"), "full_capacity"),
    (re.compile(r"投产|投入运行|投用|恢复生产"), "in_production"),
    (re.compile(r"试产|试生产|试运行"), "trial_production"),
    (re.compile(r"竣工|建成|完工"), "completed"),
    (re.compile(r"开工"), "under_construction"),
    (re.compile(r"签约|签订"), "signed"),
    (re.compile(r"落地|落户"), "landed"),
)

# Most specific first: "即将进入试生产" before "试生产".
_TAIL = (
    (re.compile(r"即将\s*(?:进入)?\s*(?:试生产|试产|试运行)"), "trial_production", True),
    (re.compile(r"即将\s*(?:全面)?\s*(?:投产|恢复生产)"), "in_production", True),
    (re.compile(r"突破性进展|取得.{0,4}进展|完成施工招标|完成.{0,4}招标"), "progress", False),
    (re.compile(r"试产|试生产|试运行"), "trial_production", False),
    (re.compile(r"达产"), "full_capacity", False),
    (re.compile(r"建成投产|投入运行|建成投用|投产|投用"), "in_production", False),
    (re.compile(r"建成通车|竣工|建成|完工"), "completed", False),
    (re.compile(r"开工建设|正常建设|加快推进|有序推进|加快建设|在建|开建|施工|^\s*建设"), "under_construction", False),
    (re.compile(r"签约|签订|合作协议"), "signed", False),
    (re.compile(r"落地|落户|入驻"), "landed", False),
    (re.compile(r"对接|洽谈|接洽"), "in_talks", False),
)
_LEAD = (
    (re.compile(r"签约落地|落地|落户"), "landed"),
    (re.compile(r"签约|签订"), "signed"),
    (re.compile(r"对接|洽谈|跟进|引进"), "in_talks"),
    (re.compile(r"推进|加快|抓好|推动|建设"), "under_construction"),
)
_COMMITMENT = re.compile(r"力争|确保|争取|尽快")
_PLAN = re.compile(r"将|计划|拟|预计")
_FUTURE_BEFORE_STAGE = re.compile(r"(?:力争|确保|争取|尽快|将|计划|拟|预计|早)[^,，;；。]*$")

#: Lead verbs that start a list of projects or firms.
LEAD_VERB = re.compile(
    r"签约落地|签订|签约|落地|落户|深入对接|对接|洽谈|加快推进|推进|加快|重点抓好|抓好|推动|引进|支持|包括|实施|做好|跟进|启动建设"
)


def lead_status(lead: str) -> str | None:
    for pattern, status in _LEAD:
        if pattern.search(lead):
            return status
    return None


def _stage_in(text: str) -> str | None:
    """The last stage a phrase names: 建成投产 aims at in_production."""
    found = [(match.end(), stage) for pattern, stage in _STAGES for match in pattern.finditer(text)]
    return max(found)[1] if found else None


def _tail_status(text: str) -> tuple[str, bool] | None:
    for pattern, status, imminent in _TAIL:
        match = pattern.search(text)
        if match and not _FUTURE_BEFORE_STAGE.search(text[: match.start()]):
            return status, imminent
    return None


def read_claim(doc: Document, tail: str, lead: str, offset: int, plan_year: int | None) -> Claim:
    """The claim made by the words after a name (``tail``, at ``offset``) and the verb before it.

    ``plan_year`` is set inside a plan section ("2022年...努力的方向是:"),
    where a list names what is planned, not what happened.
    """
    pieces = re.split(r"[,，;；]", tail, maxsplit=2) + ["", ""]
    first, second = pieces[0], pieces[1]
    status, imminent, confidence = None, False, 1.0
    found = _tail_status(first)
    if found:
        status, imminent = found
    elif lead_status(lead):
        status, confidence = lead_status(lead), 0.8
    if plan_year is not None and status is not None and not imminent and "已" not in first:
        status = "planned"
    # The next clause speaks of these projects only if it names no others (等).
    pieces_read = (first, second) if "等" not in second else (first, "")
    commitment, committed_stage, committed_by, words, committed_end = _commitment(doc, tail, pieces_read, offset, plan_year)
    planned_stage, planned_by, planned_end = _plan(doc, tail, pieces_read, offset, plan_year, commitment)
    if status is None and planned_stage:
        status = "progress"
    if status == "planned" and planned_by is None and plan_year is not None:
        planned_by = Period(plan_year)
    if status not in ("progress", "planned"):
        planned_stage, planned_by, planned_end = None, None, 0
    return Claim(status, imminent, planned_stage, planned_by, commitment, committed_stage, committed_by, confidence,
                 words, max(committed_end, planned_end))


def _commitment(doc: Document, tail: str, pieces: tuple[str, str], offset: int,
                plan_year: int | None) -> tuple[str, str | None, Period | None, str, int]:
    """力争/确保/尽快 + a stage: (the verb, the stage, by when, the words, where they end)."""
    for window in pieces:
        match = _COMMITMENT.search(window)
        if match:
            stage = _stage_in(window[match.start():])
            if stage:
                start = offset + tail.find(window)
                words = window[match.start():].rstrip("。!?！？ \n")
                by = _period_after(doc, start, window, plan_year)
                return match.group(), stage, by, re.sub(r"\s+", "", words), start + match.start() + len(words)
    return "", None, None, "", 0


def _plan(doc: Document, tail: str, pieces: tuple[str, str], offset: int, plan_year: int | None,
          commitment: str) -> tuple[str | None, Period | None, int]:
    """将/计划 + a stage, not already a commitment: (the stage planned next, by when, where the words end)."""
    for window in pieces:
        match = _PLAN.search(window)
        if match and not (commitment and commitment in window):
            stage = _stage_in(window[match.start():])
            if stage:
                start = offset + tail.find(window)
                end = start + len(window.rstrip("。!?！？ \n"))
                return stage, _period_after(doc, start, window, plan_year), end
    return None, None, 0


def _period_after(doc: Document, offset: int, window: str, plan_year: int | None) -> Period | None:
    """The period a plan in ``window`` (at ``offset``) names ("今年", "下半年"), else the plan section's year."""
    inside = offset + max(len(window.rstrip("。!?！？ \n")) - 1, 0)
    guess = doc.period_at(inside)
    if re.search(r"年内|年底", window) and guess.period.year is not None:
        return Period(guess.period.year)  # its own words: a span earlier in the sentence does not govern
    stated = doc.span_stated(inside) or re.search(r"今年|明年|\d{4}\s*年", window)
    if stated and not guess.period.to_date:
        return guess.period
    if re.search(r"今年|年内|年底", window) and guess.period.year is not None:
        return Period(guess.period.year)
    return Period(plan_year) if plan_year is not None else None
