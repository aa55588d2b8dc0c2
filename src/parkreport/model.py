"""The content model, declared once.

Every field carries a one-line description; validation, the JSON Schema for
editors (``parkreport schema``) and the field reference in the docs all come
from these declarations.

Facts live in the report that states them (provenance by construction): an
indicator, a target, a project status claim or a qualitative fact is always
an entry of a :class:`Report`, with the verbatim ``quote`` it came from.
Parks and projects are the entities those facts refer to.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .fieldtypes import FileName, Number, PartialDate, PeriodField, Qualifier, Slug, Text, Url, Value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------
# Vocabulary: metrics.yaml


class UnitDeclaration(_Model):
    """A base unit the built-in list does not know."""

    name: Text = Field(description="The unit as written in reports, e.g. 'KVAh'.")
    kind: Text = Field(description="What it measures; units of one kind convert into each other.")
    factor: Number = Field(1.0, description="Size relative to other units of the same kind.")
    en: str = Field("", description="English name of the unit.")


class Metric(_Model):
    """One entry of the controlled vocabulary of indicators."""

    id: Slug = Field(description="Stable id used in content and URLs, e.g. industrial-output.")
    zh: Text = Field(description="Full Chinese name, e.g. 规模以上工业总产值.")
    zh_short: str = Field("", description="Short Chinese name used in tables, e.g. 规上工业总产值.")
    en: Text = Field(description="English name.")
    unit: Text = Field(description="Usual unit (亿元, 个, %...); observations must use a unit of the same kind.")
    synonyms: list[Text] = Field(default_factory=list, description="Other ways reports name it (for search and extraction).")
    comparable_prices: bool = Field(
        False, description="Official growth rates are at comparable (constant) prices, so implied prior values are approximate."
    )
    headline: bool = Field(False, description="Show among the headline figures of a park.")
    description: str = Field("", description="What it measures, in Markdown.")


class MetricsFile(_Model):
    """The file content/metrics.yaml."""

    metrics: list[Metric] = Field(description="The metric vocabulary.")
    units: list[UnitDeclaration] = Field(default_factory=list, description="Extra base units.")


# --------------------------------------------------------------------------
# Parks and projects: content/parks/<id>.yaml


class Region(_Model):
    """Where a park is."""

    province: str = Field("", description="Province, e.g. 河南省.")
    city: str = Field("", description="Prefecture-level city, e.g. 濮阳市.")
    county: str = Field("", description="County or district, e.g. 南乐县.")


class SubPark(_Model):
    """A sub-park of a multi-park zone ("一区四园")."""

    name: Text = Field(description="Name as the source writes it; 'x工业园' when withheld.")
    name_known: bool = Field(True, description="False when the source withholds or garbles the name.")
    industries: list[Text] = Field(default_factory=list, description="Industries the source assigns to it.")
    note: str = Field("", description="Anything a reader should know about this sub-park.")


class Project(_Model):
    """An investment project. Figures about it (investment, capacity) are stated
    by reports, on the project events that quote them."""

    id: Slug = Field(description="Stable id, unique across all parks.")
    name: Text = Field(description="Name as reports use it, often the investor's short name (航民).")
    name_en: str = Field("", description="English name, shown on the English pages (the Chinese name when empty).")
    aliases: list[Text] = Field(default_factory=list, description="Other names reports use.")
    investor: str = Field("", description="Investing company, if named.")
    industry: str = Field("", description="Industry or product.")
    description: str = Field("", description="Short description in Markdown.")


Level = Literal["national", "provincial", "city", "county", "unknown"]
ParkKind = Literal["park", "county", "zone"]


class Park(_Model):
    """A park, or another reporting unit (a county) that publishes reports."""

    id: Slug = Field(description="Stable id used in URLs, e.g. puyang.")
    name: Text = Field(description="Official Chinese name; for an unnamed park, how the source refers to it.")
    name_known: bool = Field(True, description="False when the source does not name the park.")
    name_en: str = Field("", description="English name.")
    aliases: list[Text] = Field(default_factory=list, description="Other names and abbreviations (for search).")
    kind: ParkKind = Field("park", description="park, or county when a county is the reporting unit.")
    level: Level = Field("unknown", description="Administrative level of the park.")
    region: Region = Field(default_factory=Region, description="Province, city, county.")
    parent: Slug | None = Field(None, description="Id of the park this one belongs to.")
    subparks: list[SubPark] = Field(default_factory=list, description="Sub-parks of a multi-park zone.")
    industries: list[Text] = Field(default_factory=list, description="Leading industries.")
    description: str = Field("", description="Short description in Markdown.")
    website: Url | None = Field(None, description="Official website.")
    projects: list[Project] = Field(default_factory=list, description="Projects located in this park.")


# --------------------------------------------------------------------------
# Reports: content/reports/<id>.yaml


Status = Literal["actual", "estimated", "target", "revised"]


class Share(_Model):
    """A share of a larger total, as reported ("占固定资产投资的81.1%")."""

    of: Text = Field(description="Metric id of the whole, or a short description of it.")
    pct: Number = Field(description="The share in percent.")
    qualifier: Qualifier = Field("exact", description="'more_than' for '80%以上', and so on.")


class Indicator(_Model):
    """One reported figure of one metric for one park and period."""

    metric: Slug = Field(description="Metric id from metrics.yaml.")
    park: Slug | None = Field(None, description="Park id; defaults to the report's only park.")
    scope: str = Field("", description="Part of the park or economy it covers, if not all (e.g. 三大主导产业).")
    value: Value = Field(description="The number, or 'unknown' / 'redacted' when the source hides it (never 0).")
    qualifier: Qualifier = Field("exact", description="'nearly' for 近, 'more_than' for 余/多/以上, 'about' for 约.")
    unit: Text = Field(description="Unit as reported: 亿元, 万元, 万吨, 个, %...")
    period: PeriodField = Field(description="Year and cumulative span, e.g. 2022M1-4 or 2023H1.")
    status: Status = Field("actual", description="actual, estimated (预计), target, or revised.")
    yoy_pct: Number | None = Field(None, description="Year-on-year growth in percent, as reported (同比增长).")
    share: Share | None = Field(None, description="Share of a larger total, as reported.")
    note: str = Field("", description="Anything a reader should know.")
    quote: Text = Field(description="The sentence it came from, verbatim from the cleaned source.")


class Range(_Model):
    """A numeric range, e.g. 2至3个."""

    min: Number = Field(description="Lower bound.")
    max: Number = Field(description="Upper bound.")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is below min ({self.min:g})")
        return self


class Threshold(_Model):
    """A size each counted item must reach: 百亿级 = at least 100亿元 each."""

    value: Number = Field(description="The threshold number.")
    unit: Text = Field(description="Its unit.")
    of: str = Field("", description="What must reach it, e.g. 产业规模 (annual output).")


class Target(_Model):
    """A goal a report sets."""

    id: Slug | None = Field(None, description="Optional id, to be referred to by later reports.")
    park: Slug | None = Field(None, description="Park id; defaults to the report's only park.")
    what: Text = Field(description="What is aimed at, in the source's words, shortened.")
    kind: Literal["quantitative", "qualitative"] = Field(description="quantitative when a number is part of it.")
    metric: Slug | None = Field(None, description="Metric id, when the target is a value of a metric.")
    scope: str = Field("", description="Part of the park it covers (a sub-park, an industry).")
    value: Value | None = Field(None, description="Target number, or 'unknown'/'redacted'.")
    range: Range | None = Field(None, description="Target range, e.g. 2至3个.")
    qualifier: Qualifier = Field("exact", description="'at_least' for 以上 and so on.")
    unit: str = Field("", description="Unit of value or range.")
    threshold: Threshold | None = Field(None, description="Size each counted item must reach (百亿级).")
    by: PeriodField | None = Field(None, description="Deadline: the period by whose end it should be met.")
    from_year: int | None = Field(None, description="First year of a multi-year horizon (未来五年).")
    commitment: str = Field("", description="The verb: 力争, 确保, 预计, 争取, 打造...")
    project: Slug | None = Field(None, description="Project id, for a project milestone target.")
    stage: str | None = Field(None, description="Project stage aimed at, for a project target.")
    quote: Text = Field(description="The sentence it came from, verbatim.")

    @model_validator(mode="after")
    def _value_xor_range(self) -> Target:
        if self.value is not None and self.range is not None:
            raise ValueError("give either 'value' or 'range', not both")
        if self.kind == "quantitative" and self.value is None and self.range is None and self.threshold is None:
            raise ValueError("a quantitative target needs 'value', 'range' or 'threshold' ('unknown' if not stated)")
        return self


Stage = Literal[
    "in_talks", "signed", "landed", "under_construction", "completed",
    "trial_production", "in_production", "full_capacity",
]
EventStatus = Literal[
    "in_talks", "signed", "landed", "under_construction", "completed",
    "trial_production", "in_production", "full_capacity", "progress", "planned",
]


class Amount(_Model):
    """A stated amount of money or capacity."""

    value: Value = Field(description="The number, or 'unknown'/'redacted'.")
    unit: Text = Field(description="Its unit.")
    qualifier: Qualifier = Field("exact", description="'about' for 约, 'nearly' for 近...")


class ProjectEvent(_Model):
    """A status claim about a project, made by this report."""

    project: Slug = Field(description="Project id (declared in its park's file).")
    status: EventStatus = Field(description="Stage claimed; 'progress' for vague progress, 'planned' for an intention.")
    imminent: bool = Field(False, description="True for 'about to' claims (即将进入试生产).")
    date: PartialDate | None = Field(None, description="When it happened, if the report says; else the report date counts.")
    planned_stage: Stage | None = Field(None, description="For 'planned' or 'progress': the stage aimed at next.")
    planned_by: PeriodField | None = Field(None, description="When the planned stage should be reached.")
    investment: Amount | None = Field(None, description="Investment as stated in this claim.")
    capacity: str = Field("", description="Capacity as stated (30万吨白卡纸).")
    output_value: Amount | None = Field(None, description="Output value expected or stated (新增产能20亿元).")
    note: str = Field("", description="Anything a reader should know.")
    quote: Text = Field(description="The sentence it came from, verbatim.")


FactKind = Literal["award", "event", "policy", "platform", "promotion", "agreement", "other"]


class Fact(_Model):
    """A notable qualitative fact: an award, an event held, a policy, a platform."""

    kind: FactKind = Field(description="award, event, policy, platform, promotion, agreement or other.")
    park: Slug | None = Field(None, description="Park id; defaults to the report's only park.")
    text: Text = Field(description="The fact in a short sentence.")
    date: PartialDate | None = Field(None, description="When, if stated.")
    fulfils: Slug | None = Field(None, description="Id of an earlier report's target this fact shows was achieved.")
    quote: Text = Field(description="The sentence it came from, verbatim.")


ReportKind = Literal["news", "work_summary", "speech", "interview", "plan", "other"]


class Report(_Model):
    """A source document and every fact extracted from it."""

    id: Slug = Field(description="Stable id, e.g. puyang-2023-h1; the source text is sources/<id>.txt.")
    parks: list[Slug] = Field(min_length=1, description="Ids of the parks it reports on.")
    title: Text = Field(description="Title of the document.")
    publisher: str = Field("", description="Who published it (newspaper, website, park).")
    author: str = Field("", description="Author or reporter, if named.")
    published: PartialDate | None = Field(None, description="Publication date: YYYY-MM-DD, YYYY-MM or YYYY.")
    date_note: str = Field("", description="How the date was established when the source does not print it.")
    period: PeriodField | None = Field(None, description="Period the report covers.")
    kind: ReportKind = Field(description="news, work_summary, speech, interview, plan or other.")
    url: Url | None = Field(None, description="Where it was published, if known.")
    source: FileName | None = Field(None, description="Cleaned source text in content/sources/; default <id>.txt.")
    original: FileName | None = Field(None, description="Verbatim original in content/sources/; default <id>.orig.txt.")
    review: str = Field("", description="Non-empty while a draft awaits human review; check reports it.")
    summary: str = Field("", description="One-paragraph summary in Markdown.")
    indicators: list[Indicator] = Field(default_factory=list, description="Figures it reports.")
    targets: list[Target] = Field(default_factory=list, description="Targets it sets.")
    project_events: list[ProjectEvent] = Field(default_factory=list, description="Project status claims it makes.")
    facts: list[Fact] = Field(default_factory=list, description="Notable qualitative facts.")

    @property
    def source_file(self) -> str:
        return self.source or f"{self.id}.txt"

    @property
    def original_file(self) -> str:
        return self.original or f"{self.id}.orig.txt"

    @property
    def removed_file(self) -> str:
        """The site chrome ingest removed from its source, kept beside it (see :mod:`parkreport.ingest`)."""
        return f"{self.id}.removed.txt"


#: The content file kinds, by folder, for loading and for ``parkreport schema``.
FILE_KINDS: dict[str, type[_Model]] = {
    "metrics": MetricsFile,
    "park": Park,
    "report": Report,
}
