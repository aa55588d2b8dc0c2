"""From reports to observations: report dates, ``as_of`` and normalised figures."""

from __future__ import annotations

import datetime as dt

from ..corpus import Corpus
from ..model import Indicator, Report
from ..periods import partial_date_start
from ..units import UnitError
from .quantities import Quantity
from .results import DerivedNumber, Observation, SourceRef


def report_date(report: Report) -> dt.date | None:
    """When a report was made: its publication date (partial dates by their
    start), else the end of the period it covers, else None."""
    if report.published:
        return partial_date_start(report.published)
    if report.period is not None and report.period.year is not None:
        return report.period.end_date()
    return None


def report_dates(corpus: Corpus) -> dict[str, dt.date | None]:
    return {report_id: report_date(report) for report_id, report in sorted(corpus.reports.items())}


def default_as_of(dates: dict[str, dt.date | None]) -> dt.date:
    """The latest report date: the "today" every open/stall judgement uses."""
    known = [date for date in dates.values() if date is not None]
    return max(known) if known else dt.date(1970, 1, 1)


def date_key(date: dt.date | None) -> dt.date:
    """Sort key placing undated items first (their time is unknown)."""
    return date or dt.date.min


def normalised_value(corpus: Corpus, report: Report, index: int, indicator: Indicator) -> DerivedNumber | None:
    """The figure in its metric's unit, with the rule ``reported`` or ``converted``."""
    if not isinstance(indicator.value, float):
        return None
    ref = SourceRef(report.id, "indicators", index)
    metric = corpus.metrics[indicator.metric]
    status_estimate = indicator.status == "estimated"
    quantity = Quantity(indicator.value, indicator.unit, indicator.qualifier)
    try:
        converted = quantity.to(metric.unit, corpus.units)
    except UnitError:
        converted = quantity  # a unit of another kind stays as reported; never compared
    if converted.unit == indicator.unit:
        return DerivedNumber(
            indicator.value, indicator.unit, "reported",
            "报告原值", "as reported", (ref,),
            approximate=quantity.approximate, estimate=status_estimate, period=indicator.period,
        )
    return DerivedNumber(
        converted.value, converted.unit, "converted",
        f"由{indicator.value:g}{indicator.unit}换算为{converted.unit}",
        f"converted from {indicator.value:g} {indicator.unit} to {converted.unit}",
        (ref,), approximate=quantity.approximate, estimate=status_estimate, period=indicator.period,
    )


def build_observations(corpus: Corpus, dates: dict[str, dt.date | None]) -> tuple[Observation, ...]:
    """Every indicator of every report as an observation, in report-id order."""
    observations: list[Observation] = []
    for report_id in sorted(corpus.reports):
        report = corpus.reports[report_id]
        for index, indicator in enumerate(report.indicators):
            hidden = indicator.value if isinstance(indicator.value, str) else ""
            observations.append(
                Observation(
                    ref=SourceRef(report.id, "indicators", index),
                    park=corpus.park_of(report, indicator.park),
                    metric=indicator.metric,
                    scope=indicator.scope,
                    period=indicator.period,
                    status=indicator.status,
                    reported_value=None if hidden else float(indicator.value),
                    reported_unit=indicator.unit,
                    qualifier=indicator.qualifier,
                    value=normalised_value(corpus, report, index, indicator),
                    hidden=hidden,
                    yoy_pct=indicator.yoy_pct,
                    report_date=dates.get(report.id),
                    quote=indicator.quote,
                )
            )
    return tuple(observations)
