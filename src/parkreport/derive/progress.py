"""Project progress: timelines of status claims, regressions, stalls, investment.

Each status claim belongs to the report that made it and is ordered by that
report's date. Stages are ordered::

    in_talks < signed < landed < under_construction < completed
             < trial_production < in_production < full_capacity

and an ``imminent`` claim (即将进入试生产) ranks just below its stage. Vague
progress (取得突破性进展) and plans do not move a project's stage; they are
kept, and flagged, as vague claims.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from ..corpus import Corpus
from ..model import ProjectEvent, Report
from ..periods import partial_date_start
from ..units import UnitError
from .observations import date_key
from .quantities import Quantity, canonical_unit
from .results import ClaimKind, DerivedNumber, InvestmentTotal, ProjectClaim, ProjectTimeline, SourceRef, StageChange

STAGES: tuple[str, ...] = (
    "in_talks", "signed", "landed", "under_construction", "completed",
    "trial_production", "in_production", "full_capacity",
)
STAGE_WORDS_ZH: dict[str, str] = {
    "in_talks": "洽谈", "signed": "签约", "landed": "落地", "under_construction": "在建",
    "completed": "竣工", "trial_production": "试生产", "in_production": "投产", "full_capacity": "达产",
    "progress": "取得进展", "planned": "计划",
}
#: Stages from which silence is not a sign of a stall (the plant runs).
SETTLED_FROM = "in_production"


def stage_rank(stage: str, imminent: bool = False) -> int:
    """Total order of stages; ``imminent`` ranks just below the stage itself."""
    return 2 * STAGES.index(stage) + (0 if imminent else 1)


def claim_order(claim: ProjectClaim) -> tuple[dt.date, dt.date, str, int]:
    """Stable order of claims: report date, then event date, then the reference."""
    return (date_key(claim.report_date), date_key(claim.event_date), claim.ref.report, claim.ref.index)


def _kind(status: str) -> ClaimKind:
    if status in STAGES:
        return "stage"
    return "vague" if status == "progress" else "planned"


def _investment(event: ProjectEvent, ref: SourceRef) -> DerivedNumber | None:
    amount = event.investment
    if amount is None or not isinstance(amount.value, float):
        return None
    return DerivedNumber(
        amount.value, amount.unit, "reported", "报告所述投资额", "investment as stated", (ref,),
        approximate=amount.qualifier != "exact",
    )


def claim_of(corpus: Corpus, report: Report, index: int, event: ProjectEvent,
             dates: dict[str, dt.date | None]) -> ProjectClaim:
    ref = SourceRef(report.id, "project_events", index)
    kind = _kind(event.status)
    return ProjectClaim(
        ref=ref,
        project=event.project,
        park=corpus.project_park.get(event.project, report.parks[0]),
        status=event.status,
        kind=kind,
        stage=event.status if kind == "stage" else None,
        imminent=event.imminent,
        rank=stage_rank(event.status, event.imminent) if kind == "stage" else None,
        report_date=dates.get(report.id),
        event_date=partial_date_start(event.date) if event.date else None,
        planned_stage=event.planned_stage,
        planned_by=event.planned_by,
        investment=_investment(event, ref),
        quote=event.quote,
    )


def build_claims(corpus: Corpus, dates: dict[str, dt.date | None]) -> tuple[ProjectClaim, ...]:
    claims = [
        claim_of(corpus, report, index, event, dates)
        for report in corpus.reports.values()
        for index, event in enumerate(report.project_events)
    ]
    return tuple(sorted(claims, key=claim_order))


def months_between(start: dt.date, end: dt.date) -> float:
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 31


def _regressions(claims: Iterable[ProjectClaim]) -> tuple[StageChange, ...]:
    """Later reports claiming a lower stage than an earlier report already did."""
    found: list[StageChange] = []
    highest: ProjectClaim | None = None
    for claim in claims:
        if claim.rank is None:
            continue
        later = highest is not None and date_key(claim.report_date) > date_key(highest.report_date)
        if highest is not None and later and claim.rank < (highest.rank or 0):
            found.append(StageChange(claim.project, highest, claim, "regressed"))
        if highest is None or claim.rank > (highest.rank or 0):
            highest = claim
    return tuple(found)


def _stalled(current: ProjectClaim | None, last: dt.date | None, park_dates: list[dt.date], stall_months: int) -> bool:
    """No claim for more than ``stall_months`` while the park kept reporting."""
    if last is None or (current is not None and current.rank is not None
                        and current.rank >= stage_rank(SETTLED_FROM)):
        return False
    return any(months_between(last, date) > stall_months for date in park_dates)


def build_timelines(corpus: Corpus, claims: tuple[ProjectClaim, ...], dates: dict[str, dt.date | None],
                    stall_months: int) -> tuple[ProjectTimeline, ...]:
    by_project: dict[str, list[ProjectClaim]] = defaultdict(list)
    for claim in claims:
        by_project[claim.project].append(claim)
    park_dates: dict[str, list[dt.date]] = defaultdict(list)
    for report in corpus.reports.values():
        date = dates.get(report.id)
        for park in report.parks:
            if date is not None:
                park_dates[park].append(date)
    timelines: list[ProjectTimeline] = []
    for project_id in sorted(by_project):
        own = by_project[project_id]
        staged = [c for c in own if c.kind == "stage"]
        current = staged[-1] if staged else None
        known_dates = [c.report_date for c in own if c.report_date is not None]
        last = max(known_dates) if known_dates else None
        park = own[0].park
        project = corpus.projects.get(project_id)
        timelines.append(ProjectTimeline(
            project=project_id, park=park, name=project.name if project else project_id,
            claims=tuple(own), current_stage=current.stage if current else None, current_claim=current,
            regressions=_regressions(own), vague_claims=tuple(c for c in own if c.kind != "stage"),
            last_claim_date=last, stalled=_stalled(current, last, sorted(park_dates[park]), stall_months),
            stall_months=stall_months,
        ))
    return tuple(timelines)


def changes_in_year(timeline: ProjectTimeline, year: int) -> StageChange | None:
    """How a project moved in ``year``: its last stage before the year against
    its latest claim in the year (a stage claim if there is one)."""
    during = [c for c in timeline.claims if c.report_date is not None and c.report_date.year == year]
    if not during:
        return None
    start = dt.date(year, 1, 1)
    before = [c for c in timeline.claims if c.kind == "stage" and c.report_date is not None and c.report_date < start]
    staged = [c for c in during if c.kind == "stage"]
    after = staged[-1] if staged else during[-1]
    previous = before[-1] if before else None
    if previous is None:
        return StageChange(timeline.project, None, after, "new")
    if after.rank is None:
        return StageChange(timeline.project, previous, after, "progress")
    assert previous.rank is not None
    if after.rank > previous.rank:
        return StageChange(timeline.project, previous, after, "advanced")
    return StageChange(timeline.project, previous, after, "regressed" if after.rank < previous.rank else "unchanged")


def investment_totals(corpus: Corpus, claims: Iterable[ProjectClaim]) -> tuple[InvestmentTotal, ...]:
    """Stated investment per park, year and stage, per currency; each project
    counted once per group (its latest stated amount); never across currencies."""
    latest: dict[tuple[str, int, str, str, str], ProjectClaim] = {}
    for claim in claims:
        if claim.investment is None or claim.year is None:
            continue
        try:
            unit = canonical_unit(claim.investment.unit, corpus.units)
        except UnitError:
            continue
        latest[(claim.park, claim.year, claim.status, unit, claim.project)] = claim
    groups: dict[tuple[str, int, str, str], list[ProjectClaim]] = defaultdict(list)
    for (park, year, stage, unit, _project), claim in sorted(latest.items()):
        groups[(park, year, stage, unit)].append(claim)
    totals: list[InvestmentTotal] = []
    for (park, year, stage, unit), members in sorted(groups.items()):
        amounts = [c.investment for c in members if c.investment is not None]
        value = sum(Quantity(a.value, a.unit).to(unit, corpus.units).value for a in amounts)
        words = STAGE_WORDS_ZH.get(stage, stage)
        totals.append(InvestmentTotal(park, year, stage, tuple(c.project for c in members), DerivedNumber(
            value, unit, "sum_stated",
            f"{year}年报告所述{words}项目投资额之和（{len(members)}个项目）",
            f"sum of the investment stated for {len(members)} {stage.replace('_', ' ')} project(s) in {year}",
            tuple(a.inputs[0] for a in amounts), approximate=any(a.approximate for a in amounts),
        )))
    return tuple(totals)
