"""Project rules: the names a report gives projects, and what it claims for them.

Reports name projects in a few regular forms:

- lists ending in 等项目 or 等企业: "大禹、路通、汉道等项目顺利试产",
  "今年共签约浙江航民、上海保立佳等5个项目", "对接上海华谊、上海科思创等涂料产业链企业";
- one project with its investment: "投资50.8亿元的中国多维医药项目";
- one project after a verb: "加快推进柳钢绿色锰系新材料产业基地升级改造项目";
- one project as the subject of its clause: "宣垣项目已通过联审联批手续";
- after "基础设施项目方面,", each clause "经十路北段、中科化路北段建成通车".

What each claims is read by :mod:`parkreport.extract.statuses`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .candidates import AmountCandidate, ProjectCandidate
from .document import Document
from .segments import Segment, strip_end_punctuation, subclause_start
from .statuses import LEAD_VERB, Claim, read_claim

_LIST_END = re.compile(
    r"等\s*(?:\d+\s*(?:余|多)?\s*(?:个|家)|[一二三四五六七八九十]+个)?\s*(?P<filler>[^,，;；。、等]{0,8}?)(?P<kind>项\s*目|企\s*业)"
)
_FILLER_VERB = re.compile(r"实施|开展|进行|申报|参与|推进|建设|送来|提供")
_INVESTED = re.compile(
    r"投资(?:扩建|建设|新建)?\s*(?P<amount>[^,，;；。的]{1,16}?)\s*的\s*(?P<name>[^,，;；。、]{2,40}?)\s*(?P<kind>项\s*目|产业园|基地)"
)
_VERB_OBJECT = re.compile(
    r"(?:加快推进|启动建设|加快建设|推进|抓好)(?P<name>[^,，;；。、等的]{2,25}?(?:项\s*目|中心|基地|产业园))(?:建设)?(?=[,，;；。]|$)"
)
_SUBJECT = re.compile(
    r"(?P<name>[^,，;；。:：、\s的]{2,12}?)\s*项\s*目\s*(?=已|正|将|于|顺利|加快|即将|取得|计划|竣工|建成|开工|投产|签约|落地|试产|试生产|达产)"
)
# "确保晶澳电池片项目上半年开工建设": a commitment whose subject is the project.
_COMMITTED_SUBJECT = re.compile(r"(?:力争|确保|争取)\s*(?P<name>[^,，;；。:：、\s的]{2,16}?)\s*项\s*目(?=[^,，;；。]{0,8}?(?:开工|建成|竣工|投产|签约|落地|试产|试生产|达产))")
_QUANTIFIER_NAME = re.compile(r"^(?:一个个|一批批|一批|多个|各个|各类|一些|众多|若干)")
_SECTION = re.compile(r"项\s*目\s*方\s*面\s*[,，:：]")
_SECTION_CLAIM = re.compile(r"建成通车|完成施工招标|建成投用|建设完工|建成投产|竣工|完工|开工建设")
# "于9月正式签约", "已于5月12日建成投产": when the claimed stage was reached.
_EVENT_DATE = re.compile(r"于\s*(?P<month>1[0-2]|0?[1-9])\s*月(?:\s*(?P<day>3[01]|[12]\d|0?[1-9])\s*日)?")
_OUTPUT = re.compile(r"新增(?:产能|产值)|达产后(?:可)?(?:实现)?(?:产值|收入)")
_GENERIC = re.compile(
    r"^(?:重点|重大|产业|工业|基础设施|在建|新建|续建|签约|招商|省级|市级|县级|该|此|这些|相关|各类|技术改造|"
    r"一批|重点工业|省级重点|产业链|其他|其余|骨干|龙头|[\d\s]+)$"
)
_CAPACITY = re.compile(r"\s*\d[\d.\s]*\s*(?:万|亿|千)?\s*(?:吨|KVAh|千瓦时|千瓦|台|套|辆|平方米)")
_NOT_A_NAME = re.compile(r"将|计划|力争|已|正在|年|月")
_COUNT_PREFIX = re.compile(r"^\s*\d+\s*[座个家条处所]")
_PLAN_HEADING = re.compile(r"(?P<year>\d{4})\s*年[^\n]{0,30}?(?:方向|目标|任务|计划|打算|思路|安排)[^\n]{0,6}[:：]\s*$")


def extract_projects(doc: Document) -> tuple[list[ProjectCandidate], set[int]]:
    """Project claims, and the figures (by start offset) they account for."""
    found: list[ProjectCandidate] = []
    claimed: set[int] = set()
    for sentence in doc.sentences:
        plan_year = _plan_year(doc, sentence.start)
        found.extend(_lists(doc, sentence, plan_year))
        found.extend(_invested(doc, sentence, plan_year, claimed))
        found.extend(_verb_objects(doc, sentence, plan_year, {c.name for c in found}))
        found.extend(_subjects(doc, sentence, {c.name for c in found}, claimed))
        found.extend(_committed_subjects(doc, sentence, plan_year))
        found.extend(_section(doc, sentence))
        claimed.update(q.start for q in doc.in_segment(sentence) if any(
            c.capacity and doc.text[q.start:q.end].replace(" ", "") in c.capacity for c in found))
    unique: dict[tuple[str, str, bool, int], ProjectCandidate] = {}
    for candidate in found:
        unique.setdefault((candidate.name, candidate.status, candidate.is_target, candidate.quote.start), candidate)
    return sorted(unique.values(), key=lambda c: (c.quote.start, c.is_target, c.quote.end)), claimed


def _plan_year(doc: Document, offset: int) -> int | None:
    """The year of a plan section ("2022年南乐县产业集聚区努力的方向是:") the offset lies in."""
    for paragraph in reversed(doc.paragraphs):
        if paragraph.end <= offset:
            match = _PLAN_HEADING.search(doc.view[paragraph.start:paragraph.end])
            if match:
                return int(match["year"])
    return None


def _items(view: str, start: int, end: int) -> tuple[list[tuple[int, str]], str]:
    """The 、-separated names in ``view[start:end]`` and the verb before the first."""
    items, offset = [], start
    for text in view[start:end].split("、"):
        items.append((offset, text))
        offset += len(text) + 1
    first_offset, first = items[0]
    leads = list(LEAD_VERB.finditer(first))
    cut = leads[-1].end() if leads else 0
    joiner = first.rfind("及", cut)
    cut = joiner + 1 if joiner >= 0 else cut
    items[0] = (first_offset + cut, first[cut:])
    return items, leads[-1].group() if leads else ""


def _lists(doc: Document, sentence: Segment, plan_year: int | None) -> list[ProjectCandidate]:
    found: list[ProjectCandidate] = []
    for match in _LIST_END.finditer(doc.view, sentence.start, sentence.end):
        if _FILLER_VERB.search(match["filler"]):
            continue
        start = subclause_start(doc.view, match.start(), sentence.start)
        items, lead = _items(doc.view, start, match.start())
        firms = match["kind"].replace(" ", "") == "企业"
        if not lead:
            lead = _sentence_lead(doc, sentence, start) if firms or len(items) > 1 else ""
        if len(items) < 2 and not lead:
            continue
        claim = read_claim(doc, doc.view[match.end():sentence.end], lead, match.end(), plan_year)
        if firms and claim.status not in ("in_talks", "signed", "landed"):
            continue  # firms named for another reason (送来锦旗, 开展诊断)
        quote = strip_end_punctuation(doc.text, Segment(start, _subclause_end(doc.view, match.end(), sentence.end)))
        for offset, item in items:
            name, capacity = _name_and_capacity(doc, offset, item)
            if name:
                found.extend(_candidates(doc, name, claim, quote, capacity, 0.8 if len(items) > 1 else 0.6))
    return found


def _sentence_lead(doc: Document, sentence: Segment, start: int) -> str:
    leads = LEAD_VERB.findall(doc.view, sentence.start, start)
    return leads[-1] if leads else ""


def _invested(doc: Document, sentence: Segment, plan_year: int | None, claimed: set[int]) -> list[ProjectCandidate]:
    found: list[ProjectCandidate] = []
    for match in _INVESTED.finditer(doc.view, sentence.start, sentence.end):
        kind = "" if match["kind"].replace(" ", "") == "项目" else match["kind"]
        name, capacity = _name_and_capacity(doc, match.start("name"), match["name"] + kind)
        if not name:
            continue
        figures = doc.in_segment(Segment(match.start("amount"), match.end("amount")))
        start = subclause_start(doc.view, match.start(), sentence.start)
        lead = LEAD_VERB.findall(doc.view, start, match.start())
        claim = read_claim(doc, doc.view[match.end():sentence.end], lead[-1] if lead else "", match.end(), plan_year)
        end = _subclause_end(doc.view, match.end(), sentence.end)
        output = _output_value(doc, match.end(), sentence.end)
        if output is not None:
            claimed.add(output[0])
            end = max(end, output[1])
        quote = strip_end_punctuation(doc.text, Segment(start, end))
        investment = AmountCandidate(figures[0].value, figures[0].unit, figures[0].qualifier) if figures else None
        claimed.update(q.start for q in figures)
        for candidate in _candidates(doc, name, claim, quote, capacity, 0.75):
            found.append(replace(candidate, investment=investment, output_value=output[2] if output else None))
    return found


def _output_value(doc: Document, start: int, end: int) -> tuple[int, int, AmountCandidate] | None:
    """"建成后将新增产能20亿元": the output value a project adds, with its figure's offsets."""
    match = _OUTPUT.search(doc.view, start, end)
    if not match:
        return None
    figures = [q for q in doc.in_segment(Segment(match.end(), end)) if q.start - match.end() <= 2]
    if not figures or doc.vocabulary.unit_kind(figures[0].unit) not in ("CNY", "USD"):
        return None
    figure = figures[0]
    return figure.start, figure.end, AmountCandidate(figure.value, figure.unit, figure.qualifier)


def _verb_objects(doc: Document, sentence: Segment, plan_year: int | None, known: set[str]) -> list[ProjectCandidate]:
    found: list[ProjectCandidate] = []
    for match in _VERB_OBJECT.finditer(doc.view, sentence.start, sentence.end):
        name, capacity = _name_and_capacity(doc, match.start("name"), match["name"])
        if not name or name in known or _QUANTIFIER_NAME.match(name):
            continue  # "一个个重大项目落地生根" names no project
        verb = doc.view[match.start():match.start("name")]
        claim = read_claim(doc, doc.view[match.end():sentence.end], verb, match.end(), plan_year)
        start = subclause_start(doc.view, match.start(), sentence.start)
        quote = strip_end_punctuation(doc.text, Segment(start, match.end()))
        found.extend(_candidates(doc, name, claim, quote, capacity, 0.6))
    return found


def _subjects(doc: Document, sentence: Segment, known: set[str], claimed: set[int]) -> list[ProjectCandidate]:
    found: list[ProjectCandidate] = []
    for match in _SUBJECT.finditer(doc.view, sentence.start, sentence.end):
        start = subclause_start(doc.view, match.start(), sentence.start)
        if doc.view[start:match.start("name")].strip() or "等" in match["name"]:
            continue  # not the subject of its clause
        name, capacity = _name_and_capacity(doc, match.start("name"), match["name"])
        if not name or name in known or _QUANTIFIER_NAME.match(name):
            continue  # "一个个重大项目落地生根" names no project
        claim = read_claim(doc, doc.view[match.end():sentence.end], "", match.end(), None)
        end = _subclause_end(doc.view, match.end(), sentence.end)
        if claim.planned_stage:
            end = _subclause_end(doc.view, end + 1, sentence.end)
        # "X项目已于5月建成投产，新增产值2.5亿元": the next clause may state what it adds.
        output = _output_value(doc, match.end(), _subclause_end(doc.view, end + 1, sentence.end))
        if output is not None:
            claimed.add(output[0])
            end = max(end, output[1])
        quote = strip_end_punctuation(doc.text, Segment(start, end))
        found.extend(replace(c, output_value=output[2] if output else None)
                     for c in _candidates(doc, name, claim, quote, capacity, 0.6))
    return found


def _committed_subjects(doc: Document, sentence: Segment, plan_year: int | None) -> list[ProjectCandidate]:
    """"力争X项目年内建成投产": a project target whose commitment comes before the name."""
    found: list[ProjectCandidate] = []
    for match in _COMMITTED_SUBJECT.finditer(doc.view, sentence.start, sentence.end):
        name, capacity = _name_and_capacity(doc, match.start("name"), match["name"])
        if not name or _NOT_A_NAME.search(name):
            continue
        end = _subclause_end(doc.view, match.end(), sentence.end)
        claim = read_claim(doc, doc.view[match.start():end], "", match.start(), plan_year)
        if not claim.commitment:
            continue
        quote = strip_end_punctuation(doc.text, Segment(match.start(), end))
        found.extend(c for c in _candidates(doc, name, claim, quote, capacity, 0.6) if c.is_target)
    return found


def _section(doc: Document, sentence: Segment) -> list[ProjectCandidate]:
    """After "基础设施项目方面,": every clause "A、B建成通车" claims a status for A and B."""
    heading = _SECTION.search(doc.view, sentence.start, sentence.end)
    if heading is None:
        return []
    found: list[ProjectCandidate] = []
    cursor = heading.end()
    while cursor < sentence.end:
        end = _subclause_end(doc.view, cursor, sentence.end)
        claim_words = _SECTION_CLAIM.search(doc.view, cursor, end)
        if claim_words and "等" not in doc.view[cursor:claim_words.start()]:
            items, _lead = _items(doc.view, cursor, claim_words.start())
            claim = read_claim(doc, doc.view[claim_words.start():sentence.end], "", claim_words.start(), None)
            quote = strip_end_punctuation(doc.text, Segment(cursor, end))
            for offset, item in items:
                prefix = _COUNT_PREFIX.match(item)
                cut = prefix.end() if prefix else 0
                name, capacity = _name_and_capacity(doc, offset + cut, item[cut:])
                if name and not _NOT_A_NAME.search(name):
                    found.extend(_candidates(doc, name, claim, quote, capacity, 0.6))
        cursor = end + 1
    return found


def _name_and_capacity(doc: Document, offset: int, item: str) -> tuple[str, str]:
    """A project name as the source writes it, and a capacity folded into it."""
    start = offset + len(item) - len(item.lstrip())
    core = re.sub(r"\s*项\s*目\s*$", "", item.strip())
    found = _CAPACITY.search(core)
    capacity = ""
    name_length = len(core)
    if found and found.start() > 0:
        name_length = found.start()
        capacity = re.sub(r"\s+", "", doc.text[start + found.start(): start + len(core)])
    name = re.sub(r"\s+", "", doc.text[start:start + name_length])
    if len(name) < 2 or _GENERIC.match(name):
        return "", ""
    return name, capacity


def _candidates(doc: Document, name: str, claim: Claim, quote: Segment, capacity: str, base: float) -> list[ProjectCandidate]:
    """The event (what is claimed now) and the target (what is committed to) for one name."""
    project = doc.vocabulary.project_for(name)
    confidence = round(base * claim.confidence * (1.0 if project else 0.9), 2)
    base_claim = ProjectCandidate(name=name, status="planned", quote=quote, confidence=confidence, project=project, capacity=capacity)
    found: list[ProjectCandidate] = []
    if claim.status is not None:
        widened = _widened(doc, quote, claim.extent) if claim.planned_stage else quote
        found.append(replace(base_claim, status=claim.status, imminent=claim.imminent, planned_stage=claim.planned_stage,
                             planned_by=claim.planned_by, quote=widened, date=_event_date(doc, widened)))
    if claim.commitment:
        found.append(replace(base_claim, planned_stage=claim.committed_stage, planned_by=claim.committed_by,
                             commitment=claim.commitment, commitment_words=claim.commitment_words,
                             quote=_widened(doc, quote, claim.extent)))
    return found


def _event_date(doc: Document, quote: Segment) -> str:
    """The month (and day) a claim dates itself by, in the year its sentence speaks of; '' if none."""
    match = _EVENT_DATE.search(doc.view, quote.start, quote.end)
    if match is None:
        return ""
    year = doc.period_at(match.start()).period.year
    if year is None:
        return ""
    day = f"-{int(match['day']):02d}" if match["day"] else ""
    return f"{year:04d}-{int(match['month']):02d}{day}"


def _widened(doc: Document, quote: Segment, end: int) -> Segment:
    """A quote stretched over the next clause when the claim was read from it."""
    return strip_end_punctuation(doc.text, Segment(quote.start, max(quote.end, end)))


def _subclause_end(view: str, offset: int, limit: int) -> int:
    match = re.compile(r"[,，;；。]").search(view, offset, limit)
    return match.start() if match else limit
