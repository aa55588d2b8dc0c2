"""Units and quantities.

A unit is an optional Chinese magnitude prefix (十, 百, 千, 万, 亿, 万亿) and a
base unit (元, 美元, 吨, 亩, 人, 个, ...). Each base unit belongs to a *kind*;
values convert freely within a kind (2517万元 = 0.2517亿元) and never across
kinds: 亿元 and 亿美元 are different currencies, 个 and 家 count different
things, and a rate (%) is not an amount.

Content can declare further base units in ``metrics.yaml`` (``units:``).
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIXES: dict[str, float] = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2, "十": 1e1}


@dataclass(frozen=True)
class BaseUnit:
    """A unit without magnitude prefix: its kind and size in the kind's base."""

    name: str
    kind: str
    factor: float = 1.0
    en: str = ""


# Kinds: currency codes for money, 'count:<noun>' for counts, physical kinds.
BUILTIN_UNITS: tuple[BaseUnit, ...] = (
    BaseUnit("元", "CNY", 1, "yuan"),
    BaseUnit("美元", "USD", 1, "US dollars"),
    BaseUnit("欧元", "EUR", 1, "euros"),
    BaseUnit("港元", "HKD", 1, "HK dollars"),
    BaseUnit("%", "percent", 1, "%"),
    BaseUnit("个百分点", "percentage_points", 1, "percentage points"),
    BaseUnit("吨", "mass", 1, "tonnes"),
    BaseUnit("千克", "mass", 1e-3, "kg"),
    BaseUnit("公斤", "mass", 1e-3, "kg"),
    BaseUnit("亩", "area", 666.6667, "mu"),
    BaseUnit("平方米", "area", 1, "m²"),
    BaseUnit("公顷", "area", 1e4, "ha"),
    BaseUnit("平方公里", "area", 1e6, "km²"),
    BaseUnit("千瓦时", "energy", 1, "kWh"),
    BaseUnit("度", "energy", 1, "kWh"),
    BaseUnit("千瓦", "power", 1, "kW"),
    BaseUnit("KVAh", "apparent_energy", 1, "kVAh"),
    BaseUnit("公里", "length", 1, "km"),
    BaseUnit("米", "length", 1e-3, "m"),
    BaseUnit("立方米", "volume", 1, "m³"),
    BaseUnit("标准箱", "count:TEU", 1, "TEU"),
)

COUNT_NOUNS: dict[str, str] = {
    "个": "items", "家": "firms", "人": "people", "次": "times", "项": "items",
    "批次": "batches", "批": "batches", "面": "banners", "封": "letters", "张": "permits",
    "宗": "cases", "座": "facilities", "场次": "sessions", "场": "sessions", "家次": "firm-visits",
    "处": "places", "条": "lines", "件": "items", "台": "units", "套": "sets",
    "名": "people", "户": "households", "所": "institutions", "辆": "vehicles",
    "家企业": "firms", "人次": "person-times", "期": "phases",
}


class UnitError(ValueError):
    """A unit is unknown, or two quantities cannot be compared."""


@dataclass(frozen=True)
class Unit:
    """A parsed unit: its text, kind and size relative to the kind's base."""

    text: str
    kind: str
    factor: float
    base: str

    def convert(self, value: float, to: Unit) -> float:
        """``value`` in this unit expressed in ``to``; refuses across kinds."""
        if self.kind != to.kind:
            raise UnitError(f"cannot convert {self.text} ({self.kind}) to {to.text} ({to.kind})")
        return value * self.factor / to.factor


class UnitRegistry:
    """The known base units: the built-in ones plus any content declares."""

    def __init__(self, extra: tuple[BaseUnit, ...] = ()) -> None:
        self._base: dict[str, BaseUnit] = {u.name: u for u in BUILTIN_UNITS}
        for noun, en in COUNT_NOUNS.items():
            self._base.setdefault(noun, BaseUnit(noun, f"count:{noun}", 1, en))
        for unit in extra:
            self._base[unit.name] = unit
        self._parsed: dict[str, Unit] = {}  # text -> unit: units are few, lookups many

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnitRegistry) and other._base == self._base

    __hash__ = None  # type: ignore[assignment]  # equal by content, not identity

    def base_units(self) -> tuple[BaseUnit, ...]:
        """Every base unit known, built-in or declared, by name."""
        return tuple(sorted(self._base.values(), key=lambda unit: unit.name))

    def parse(self, text: str) -> Unit:
        """Parse '亿元', '万吨', '%', '个' ...; raise UnitError when unknown."""
        unit = self._parsed.get(text)
        if unit is None:
            unit = self._parsed[text] = self._parse(text)
        return unit

    def _parse(self, text: str) -> Unit:
        text = text.strip()
        if text in self._base:
            base = self._base[text]
            return Unit(text, base.kind, base.factor, base.name)
        for prefix, size in PREFIXES.items():
            rest = text[len(prefix):]
            if text.startswith(prefix) and rest in self._base:
                base = self._base[rest]
                return Unit(text, base.kind, base.factor * size, base.name)
        known = "、".join(sorted({u.name for u in BUILTIN_UNITS} | {"个", "家", "人"}))
        raise UnitError(
            f"unknown unit '{text}'; use a known one ({known}, with 万/亿 prefixes) "
            "or declare it under 'units:' in metrics.yaml"
        )

    def known(self, text: str) -> bool:
        try:
            self.parse(text)
        except UnitError:
            return False
        return True

    def english(self, text: str) -> str:
        """A short English rendering: '亿元' -> '100 million yuan'."""
        unit = self.parse(text)
        base = self._base[unit.base]
        size = unit.factor / base.factor
        words = {1e12: "trillion ", 1e8: "100 million ", 1e4: "10,000 ", 1e3: "thousand ", 1e2: "hundred ", 10: "ten "}
        return f"{words.get(size, '')}{base.en or base.name}".strip()


DEFAULT_UNITS = UnitRegistry()
