"""Quantities: a number with a unit, converted only within its kind.

Also the precision arithmetic the disagreement check needs: a figure printed
as ``96.1`` is known to half a unit of its last digit (±0.05), and the growth
computed from two such figures is known only within the propagated bound.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..units import Unit, UnitError, UnitRegistry

EXACT = "exact"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A value in a unit, with the source's qualifier (exact, nearly, more_than...)."""

    value: float
    unit: str
    qualifier: str = EXACT

    @property
    def approximate(self) -> bool:
        return self.qualifier != EXACT

    def to(self, unit: str, units: UnitRegistry) -> Quantity:
        """This quantity in ``unit``; raises UnitError across kinds or currencies."""
        if unit == self.unit:
            return self
        value = units.parse(self.unit).convert(self.value, units.parse(unit))
        return Quantity(value, unit, self.qualifier)


def same_kind(first: str, second: str, units: UnitRegistry) -> bool:
    """True when values in the two units may be converted, compared and added."""
    try:
        return units.parse(first).kind == units.parse(second).kind
    except UnitError:
        return False


def canonical_unit(unit: str, units: UnitRegistry) -> str:
    """The unit totals are given in: 亿 of the currency for money, else ``unit``.

    Money is summed in 亿元 / 亿美元 whatever mix of 万元 and 亿元 the inputs use.
    """
    parsed: Unit = units.parse(unit)
    if parsed.kind.isupper() and len(parsed.kind) == 3:  # a currency code
        return f"亿{parsed.base}"
    return unit


@functools.lru_cache(maxsize=65536)
def decimals(value: float) -> int:
    """Digits after the decimal point as the figure was printed (shortest repr)."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        mantissa, _, exponent = text.lower().partition("e")
        digits = len(mantissa.partition(".")[2].rstrip("0"))
        return max(0, digits - int(exponent))
    fraction = text.partition(".")[2].rstrip("0")
    return len(fraction)


def half_unit(value: float) -> float:
    """Half a unit in the last printed digit: the rounding error of the figure."""
    return 0.5 * 10.0 ** (-decimals(value))


def growth_pct(current: float, previous: float) -> float:
    """Year-over-year growth in percent; ``previous`` must not be 0."""
    return (current / previous - 1.0) * 100.0


def implied_previous(current: float, growth: float) -> float:
    """The previous value a growth rate implies: current / (1 + growth / 100)."""
    return current / (1.0 + growth / 100.0)


def growth_tolerance(current: float, previous: float, current_error: float, previous_error: float) -> float:
    """Largest error of ``growth_pct(current, previous)`` given each input's error.

    Exact bound over the box of possible true values (growth is monotonic in
    each input), in percentage points.
    """
    low = max(previous - previous_error, 1e-12)
    high = previous + previous_error
    central = growth_pct(current, previous)
    extremes = (
        growth_pct(current + current_error, low),
        growth_pct(max(current - current_error, 0.0), high),
    )
    return max(abs(extreme - central) for extreme in extremes)
