"""Project rules: names and the status each report claims for them.

Reports name projects in a few regular forms:

- lists ending in 等项目: "大禹、路通、汉道等项目顺利试产",
  "今年共签约浙江航民、上海保立佳等5个项目";
- one project with its investment: "投资50.8亿元的中国多维医药项目",
  "投资扩建3.6亿元的天能3200万KVAh动力电池生产线项目加快推进";
- one project as the subject of its clause: "宣垣项目已通过联审联批手续".

The status comes from the words after the name (顺利试产, 即将进入试生产,
取得突破性进展, 力争今年建成投产), else from the verb before the list
(签约, 对接, 落地).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..periods import Period
from .candidates import AmountCandidate, ProjectCandidate
from .document import Document
from .numbers import Quantity
from .segments import Segment, strip_end_punctuation, subclause_start

_LIST_END = re.compile(r"等\s*(?:\d+\s*个|[一二三四五六七八九十]+个)?\s*(?:[^,，;；。、等]{0,6}?)项\s*目")
_SUBJECT = re.compile(r"(?P<name>[^,，;；。:：、\s的]{2,12}?)\s*项\s*目\s*(?=已|正|将|于|顺利|加快|即将|取得|计划)")
_INVESTED = re.compile(
    r"投资(?:扩建|建设|新建)?\s*(?P<amount>[^,，;；。的]{1,16}?)\s*的\s*(?P<name>[^,，;；。、]{2,40}?)\s*(?P<kind>项\s*目|产业园|基地)"
)
_LEAD_VERB = re.compile(
    r"签约落地|签订|签约|落地|落户|深入对接|对接|洽谈|加快推进|推进|加快|重点抓好|抓好|推动|引进|支持|包括|其中|实施|做好|跟进"
)
_GENERIC = re.compile(
    r"^(?:重点|重大|产业|工业|基础设施|在建|新建|续建|签约|招商|省级|市级|县级|该|此|这些|相关|各类|技术改造|实施技术改造|"
    r"一批|重点工业|省级重点|产业链|其他|其余|[\d\s]+)$"
)
_CAPACITY = re.compile(r"\s*\d[\d.\s]*\s*(?:万|亿|千)?\s*(?:吨|KVAh|千瓦|千瓦时|台|套|辆|平方米)")


@dataclass(frozen=True)
class _StatusRule:
    pattern: re.Pattern[str]
    status: str
    imminent: bool = False
    planned_stage: str | None = None


def _rule(pattern: str, status: str, imminent: bool = False, planned_stage: str | None = None) -> _StatusRule:
    return _StatusRule(re.compile(pattern), status, imminent, planned_stage)


_STAGE_WORDS = (
    (r"达产", "full_capacity"), (r"投产|投入运行|投用|恢复生产", "in_production"), (r"试产|试生产|试运行", "trial_production"),
    (r"竣工|建成|完工", "completed"), (r"开工", "under_construction"), (r"签约|签订", "signed"), (r"落地|落户", "landed"),
)

# Most specific first: "即将进入试生产" before "试生产", plans before facts.
_TAIL_RULES = (
    _rule(r"即将\s*(?:进入)?\s*(?:试生产|试产|试运行)", "trial_production", imminent=True),
    _rule(r"即将\s*(?:全面)?\s*(?:投产|恢复生产)", "in_production", imminent=True),
    _rule(r"(?:力争|确保|争取|计划|尽快|早)[^,，;；。]*?(?:建成投产|竣工投产|投产|竣工|开工|签约|早投产)", "planned"),
    _rule(r"突破性进展|取得.{0,4}进展", "progress"),
    _rule(r"试产|试生产|试运行", "trial_production"),
    _rule(r"达产", "full_capacity"),
    _rule(r"建成投产|投入运行|投产|投用", "in_production"),
    _rule(r"竣工|建成|完工", "completed"),
    _rule(r"开工|正常建设|在建|开建|施工", "under_construction"),
    _rule(r"加快推进|有序推进|推进|加快", "progress"),
    _rule(r"签约|签订|合作协议", "signed"),
    _rule(r"落地|落户|入驻", "landed"),
    _rule(r"对接|洽谈|接洽", "in_talks"),
)
_LEAD_RULES = (
    _rule(r"签约落地|落地|落户", "landed"),
    _rule(r"签约|签订", "signed"),
    _rule(r"对接|洽谈|跟进", "in_talks"),
    _rule(r"推进|加快|抓好|推动|建设", "progress"),
)


def extract_projects(doc: Document) -> tuple[list[ProjectCandidate], set[int]]:
    """Project claims, and the figures (by start offset) they account for."""
    found: list[ProjectCandidate] = []
    claimed: set[int] = set()
    for sentence in doc.sentences:
        found.extend(_lists(doc, sentence))
        for candidate, figure in _invested(doc, sentence):
            found.append(candidate)
            if figure is not None:
                claimed.add(figure.start)
        found.extend(_subjects(doc, sentence, {c.name for c in found}))
    unique: dict[tuple[str, str, int], ProjectCandidate] = {}
    for candidate in found:
        unique.setdefault((candidate.name, candidate.status, candidate.quote.start), candidate)
    return sorted(unique.values(), key=lambda c: (c.quote.start, c.quote.end)), claimed


def _lists(doc: Document, sentence: Segment) -> list[ProjectCandidate]:
    found: list[ProjectCandidate] = []
    for match in _LIST_END.finditer(doc.view, sentence.start, sentence.end):
        start = subclause_start(doc.view, match.start(), sentence.start)
        items = doc.view[start:match.start()].split("、")
        if len(items) < 2 and not _LEAD_VERB.search(items[0]):
            continue
        lead = _LEAD_VERB.findall(items[0])
        items[0] = _LEAD_VERB.split(items[0])[-1]
        tail_end = _subclause_end(doc.view, match.end(), sentence.end)
        claim = _claim(doc, doc.view[match.end():sentence.end], lead[-1] if lead else "", match.end())
        quote = strip_end_punctuation(doc.text, Segment(start, tail_end))
        offset = start
        for item in items:
            name, capacity = _name_and_capacity(doc, offset, item)
            offset += len(item) + 1
            if name:
                found.append(_candidate(doc, name, claim, quote, capacity, 0.8 if len(items) > 1 else 0.6))
    return found


def _invested(doc: Document, sentence: Segment) -> list[tuple[ProjectCandidate, Quantity | None]]:
    found: list[tuple[ProjectCandidate, Quantity | None]] = []
    for match in _INVESTED.finditer(doc.view, sentence.start, sentence.end):
        figures = [q for q in doc.in_segment(Segment(match.start("amount"), match.end("amount")))]
        figure = figures[0] if figures else None
        name, capacity = _name_and_capacity(doc, match.start("name"), match["name"])
        if not name:
            continue
        lead = _LEAD_VERB.findall(doc.view[subclause_start(doc.view, match.start(), sentence.start):match.start()])
        claim = _claim(doc, doc.view[match.end():sentence.end], lead[-1] if lead else "", match.end())
        if claim.status == "progress" and not lead and claim.confidence < 0.6:
            claim = _Claim("planned", confidence=0.5)
        start = subclause_start(doc.view, match.start(), sentence.start)
        quote = strip_end_punctuation(doc.text, Segment(start, _subclause_end(doc.view, match.end(), sentence.end)))
        investment = AmountCandidate(figure.value, figure.unit, figure.qualifier) if figure else None
        candidate = _candidate(doc, name, claim, quote, capacity, 0.75)
        found.append((_with_investment(candidate, investment), figure))
    return found


def _subjects(doc: Document, sentence: Segment, known: set[str]) -> list[ProjectCandidate]:
    found: list[ProjectCandidate] = []
    for match in _SUBJECT.finditer(doc.view, sentence.start, sentence.end):
        start = subclause_start(doc.view, match.start(), sentence.start)
        if doc.view[start:match.start("name")].strip() or "等" in match["name"]:
            continue  # not the subject of its clause
        name, capacity = _name_and_capacity(doc, match.start("name"), match["name"])
        if not name or name in known:
            continue
        claim = _claim(doc, doc.view[match.end():sentence.end], "", match.end())
        quote = strip_end_punctuation(doc.text, Segment(start, _subclause_end(doc.view, match.end(), sentence.end)))
        found.append(_candidate(doc, name, claim, quote, capacity, 0.6))
    return found


@dataclass(frozen=True)
class _Claim:
    status: str
    imminent: bool = False
    planned_stage: str | None = None
    planned_by: Period | None = None
    confidence: float = 1.0


def _claim(doc: Document, tail: str, lead: str, offset: int) -> _Claim:
    """The status the words after a project name (else the verb before it) claim."""
    pieces = re.split(r"[,，;；]", tail, maxsplit=2)
    for count, confidence in ((1, 1.0), (2, 0.8)):
        text = ",".join(pieces[:count])
        for rule in _TAIL_RULES:
            found = rule.pattern.search(text)
            if found:
                context = ",".join(pieces[:2])
                return _with_plan(doc, rule, context, found.group(), offset, confidence)
    for rule in _LEAD_RULES:
        if rule.pattern.search(lead):
            return _Claim(rule.status, confidence=0.7)
    return _Claim("progress", confidence=0.4)


def _with_plan(doc: Document, rule: _StatusRule, text: str, words: str, offset: int, confidence: float) -> _Claim:
    """Add the stage aimed at next and by when: "力争今年建成投产", "下半年将全面开工建设"."""
    if rule.status not in ("planned", "progress"):
        return _Claim(rule.status, rule.imminent, confidence=confidence)
    plan = words if rule.status == "planned" else (re.search(r"将[^,，;；。]*", text) or [""])[0]
    stage = next((name for pattern, name in _STAGE_WORDS if plan and re.search(pattern, plan)), None)
    planned_by = doc.period_at(offset + text.find(plan) + len(plan)).period if stage else None
    if planned_by is not None and planned_by.to_date:
        planned_by = None
    return _Claim(rule.status, rule.imminent, stage, planned_by, confidence)


def _name_and_capacity(doc: Document, offset: int, item: str) -> tuple[str, str]:
    """A project name as the source writes it, and a capacity folded into it."""
    core = re.sub(r"\s*项\s*目\s*$", "", item).strip()
    lead = len(item) - len(item.lstrip())
    start = offset + lead + (item.strip().find(core) if core else 0)
    name_view = core
    capacity = ""
    found = _CAPACITY.search(core)
    if found and found.start() > 0:
        name_view = core[: found.start()]
        capacity = re.sub(r"\s+", "", doc.text[start + found.start(): start + len(core)])
    name_view = name_view.strip()
    if len(re.sub(r"\s+", "", name_view)) < 2 or _GENERIC.match(name_view):
        return "", ""
    name_start = start + core.find(name_view)
    return re.sub(r"\s+", "", doc.text[name_start:name_start + len(name_view)]), capacity


def _candidate(doc: Document, name: str, claim: _Claim, quote: Segment, capacity: str, base: float) -> ProjectCandidate:
    project = doc.vocabulary.project_for(name)
    confidence = base * claim.confidence * (1.0 if project else 0.9)
    return ProjectCandidate(
        name=name,
        status=claim.status,
        quote=quote,
        confidence=round(confidence, 2),
        project=project,
        imminent=claim.imminent,
        planned_stage=claim.planned_stage,
        planned_by=claim.planned_by,
        capacity=capacity,
    )


def _with_investment(candidate: ProjectCandidate, investment: AmountCandidate | None) -> ProjectCandidate:
    from dataclasses import replace

    return replace(candidate, investment=investment)


def _subclause_end(view: str, offset: int, limit: int) -> int:
    match = re.compile(r"[,，;；。]").search(view, offset, limit)
    return match.start() if match else limit
