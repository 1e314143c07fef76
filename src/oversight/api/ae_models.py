"""Response models for the monthly A&E series, their SPC and funnel views (OpenAPI shapes)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class AeMetricOut(BaseModel):
    id: str
    title: str
    description: str
    kind: Literal["count", "share_within"]
    higher_is_better: bool


class AeOrg(BaseModel):
    """An organisation (as it is today), a region or England, with A&E data in the store."""

    code: str
    name: str
    level: Literal["england", "region", "organisation"]
    region: str | None = None
    first_month: str
    last_month: str
    predecessors: list[str] = Field(
        default=[], description="codes whose activity is summed into this one before a change"
    )


class AeOrgList(BaseModel):
    query: str
    total: int
    rows: list[AeOrg]


class SeriesPointOut(BaseModel):
    month: str = Field(description="YYYY-MM")
    code: str
    metric: str
    value: float | None
    numerator: float | None
    denominator: float | None
    mean: float | None = Field(description="SPC centre line (the period's mean)")
    lower: float | None = Field(description="lower process limit (XmR)")
    upper: float | None = Field(description="upper process limit (XmR)")
    label: str | None = Field(description="Making Data Count rule the point matches")
    point_type: str | None = Field(description="common_cause or special_cause_...")
    phase: int | None = Field(
        default=None, description="SPC phase (1, 2, ...): limits are recalculated in each"
    )


class IconOut(BaseModel):
    """A Making Data Count icon, in words: what it is, the letter drawn in it, what it means."""

    code: str
    label: str
    symbol: str
    text: str
    tone: str = Field(description="improvement, concern, neutral, common or none")


class PhaseOut(BaseModel):
    number: int
    first_month: str
    last_month: str
    points: int
    mean: float
    lower: float
    upper: float
    title: str = Field(description="what starts the phase (a declared change point)")
    reason: str
    trial: bool = Field(description="fewer than 12 points: trial limits")


class TargetLineOut(BaseModel):
    kind: Literal["standard", "target"]
    value: float
    label: str
    start: str | None = Field(description="first month it applies (None: always)")
    end: str | None = Field(description="last month it applies (None: still)")
    source: str


class ComparatorOut(BaseModel):
    """What red/amber/green may be judged against (the ``comparator`` query parameter)."""

    code: str = Field(description="ENGLAND, ICB, SIZE or a region code (Y56 ...)")
    name: str
    kind: Literal["england", "region", "icb", "peer"]
    description: str


class PoolOut(BaseModel):
    """A group of providers and its pooled share, for a group comparator (ICB or size band)."""

    name: str
    providers: int
    value: float = Field(description="pooled share: its providers' numerators over denominators")


class RagOut(BaseModel):
    month: str
    comparator: str
    code: str = Field(description="red, amber, green or similar")
    label: str
    rule: str = Field(description="the statistical test behind the colour")


class SeriesMeta(BaseModel):
    code: str
    name: str
    level: Literal["england", "region", "organisation"]
    metric: AeMetricOut
    as_published: bool
    predecessors: list[str]
    note: str
    releases: int = Field(description="monthly releases (current) the series is read from")
    direction: str
    variation: str | None
    variation_text: str
    assurance: str | None
    assurance_text: str
    spc_notes: list[str]
    special_cause_points: int
    limits: Literal["phased", "single"] = Field(
        default="phased",
        description="phased: limits recalculated at the collection's declared change points",
    )
    variation_icon: IconOut | None = None
    assurance_icon: IconOut | None = None
    assurance_against: TargetLineOut | None = Field(
        default=None, description="the target (else standard) the assurance icon is judged by"
    )
    phases: list[PhaseOut] = []
    lines: list[TargetLineOut] = Field(default=[], description="standards and targets drawn")
    comparison: RagOut | None = Field(
        default=None,
        description="the latest month against the comparator (shares, organisations)",
    )
    comparator: str = Field(default="ENGLAND", description="what the comparison is against")
    comparators: list[ComparatorOut] = Field(default=[], description="the comparators offered")


class SeriesView(BaseModel):
    meta: SeriesMeta
    rows: list[SeriesPointOut]


class FunnelRowOut(BaseModel):
    code: str
    name: str
    numerator: float
    denominator: float
    value: float
    ci_low: float
    ci_high: float
    z: float
    z_adjusted: float
    flag_95: str
    flag_99_8: str
    rag: str = Field(
        default="", description="red, amber, green, similar, or none (no group to compare with)"
    )
    rag_label: str = ""
    group: str = Field(default="", description="its ICB or peer group (group comparators)")
    group_target: float | None = Field(default=None, description="its group's pooled share")
    group_size: int | None = Field(default=None, description="providers in its group this month")


class FunnelMeta(BaseModel):
    metric: AeMetricOut
    month: str
    months: list[str]
    target: float = Field(description="pooled value (the funnel's centre)")
    adjustment: str
    phi: float
    tau2: float
    units: int
    above_99_8: int
    below_99_8: int
    rag_rule: str = ""
    comparator: str = Field(
        default="ENGLAND",
        description="ENGLAND, a region code (Y56 ...), ICB (each provider's own ICB) or SIZE "
        "(each provider's size band)",
    )
    comparator_name: str = "England"
    comparator_kind: Literal["england", "region", "icb", "peer"] = "england"
    comparators: list[ComparatorOut] = Field(default=[], description="the comparators offered")
    groups: list[PoolOut] = Field(
        default=[], description="group comparators: each group and its pooled share"
    )


class FunnelView(BaseModel):
    meta: FunnelMeta
    rows: list[FunnelRowOut]
    curve: dict[str, list[float]] = Field(
        description="limits along a grid of denominators, for drawing the funnel"
    )
