"""Response models: the shapes the API promises (and the dashboard renders), in its OpenAPI."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Cell = str | float | int | bool | None


class ProblemOut(BaseModel):
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None


class ErrorBody(BaseModel):
    """Every error has this shape: one sentence, the problems behind it, the HTTP status."""

    ok: Literal[False] = False
    error: str
    errors: list[ProblemOut] = []
    status: int


class Meta(BaseModel):
    """Which framework, data and settings produced a result (so anyone can reproduce it)."""

    framework: str
    framework_digest: str
    quarter: str
    quarter_slug: str
    revisions: dict[str, int]
    cut_points: list[float]
    cut_points_source: str
    cut_points_detail: str
    range_method: str
    replicates: int
    seed: int
    # metrics whose scores computed from the file's raw values disagree with the file's own
    # published scores: which metric, which organisations, computed against published
    score_disagreements: list[str] = []


class QuarterOut(BaseModel):
    quarter: str
    slug: str
    trust_types: list[str]
    revisions: dict[str, int]


class TrustTypeOut(BaseModel):
    id: str
    name: str
    organisations: int = Field(description="organisations ranked in the quarter asked for")


class DomainDef(BaseModel):
    id: str
    name: str


class MetricDef(BaseModel):
    id: str
    raw_id: str | None
    name: str
    domain: str
    domain_name: str
    polarity: str
    units: str
    trust_types: list[str]
    weight: float
    in_average: bool
    scoring: str
    definition: str = Field("", description="the publisher's description of the metric")
    sub_domain: str = ""
    peer_pool: str = Field("", description="who the metric is ranked against")
    source_files: list[str] = Field(
        default_factory=list, description="the NOF data files its values come from"
    )
    status: str = Field("verified", description="verified against NHS England's files, or not")
    notes: str = ""


class FrameworkOut(BaseModel):
    id: str
    version: str
    name: str
    digest: str
    quarters: list[str]
    trust_types: list[DomainDef]
    domains: list[DomainDef]
    metrics: list[MetricDef]


class LeagueRow(BaseModel):
    quarter: str
    trust_code: str
    trust_name: str
    trust_type: str
    trust_type_name: str
    subtype: str
    region: str
    average_score: float | None
    average_score_low: float | None
    average_score_high: float | None
    segment_unadjusted: int | None
    in_financial_deficit: bool
    segment: int | None
    intensive_support: bool | None
    segment_final: int | None
    rank: int | None
    rank_low: int | None
    rank_high: int | None
    rank_of: int


class LeagueTable(BaseModel):
    meta: Meta
    total: int
    limit: int
    offset: int
    rows: list[LeagueRow]


class MetricResult(BaseModel):
    """One organisation on one metric: value, peers, rank in the pool, score, provenance."""

    metric_id: str
    raw_id: str | None
    name: str
    domain: str
    domain_name: str
    polarity: str
    units: str
    value: float | None
    peer_median: float | None
    peer_lower_quartile: float | None
    peer_upper_quartile: float | None
    pool: str
    pool_rank: int | None
    pool_size: int | None
    score: float
    score_2dp: float
    published_score: float | None
    source: str
    source_text: str
    used_in_average: bool
    weight: float
    note: str


class DomainResult(BaseModel):
    id: str
    name: str
    score: float | None
    segment: int | None


class SegmentPath(BaseModel):
    """How the segment came about, in the framework's order of steps."""

    metrics_in_average: int
    average_score: float | None
    average_score_low: float | None
    average_score_high: float | None
    rounding_dp: int
    cut_points: list[float]
    cut_points_source: str
    cut_points_detail: str
    segment_unadjusted: int | None
    in_financial_deficit: bool
    floor_segment: int
    segment: int | None
    intensive_support: bool | None
    segment_final: int | None
    rank: int | None
    rank_low: int | None
    rank_high: int | None
    rank_of: int
    steps: list[str]


class Standing(BaseModel):
    quarter: str
    quarter_slug: str
    average_score: float | None
    segment: int | None
    segment_final: int | None
    in_financial_deficit: bool
    rank: int | None
    rank_low: int | None
    rank_high: int | None
    of: int
    segment_sure: bool


class SegmentRun(BaseModel):
    segment: int
    first: str
    last: str
    quarters: int
    sure_quarters: int


class Section(BaseModel):
    """A further part of an organisation's record contributed by another module.

    Consequences (policy) and statistics (monthly series) register a provider with
    :func:`oversight.api.sections.register`; each returns a titled table.
    """

    id: str
    title: str
    summary: str = ""
    columns: list[str] = []
    rows: list[dict[str, Cell]] = []


class OrgRecord(BaseModel):
    meta: Meta
    trust_code: str
    trust_name: str
    trust_type: str
    trust_type_name: str
    subtype: str
    region: str
    metrics: list[MetricResult]
    domains: list[DomainResult]
    segment_path: SegmentPath
    history: list[Standing]
    runs: list[SegmentRun]
    sections: list[Section]


class OrgSummary(BaseModel):
    trust_code: str
    trust_name: str
    trust_type: str
    trust_type_name: str
    region: str
    subtype: str
    quarter: str
    segment: int | None
    rank: int | None


class SearchResult(BaseModel):
    query: str
    quarter: str
    total: int
    rows: list[OrgSummary]


class MetricOrgRow(BaseModel):
    trust_code: str
    trust_name: str
    trust_type: str
    region: str
    value: float | None
    peer_median: float | None
    peer_lower_quartile: float | None
    peer_upper_quartile: float | None
    pool_rank: int | None
    pool_size: int | None
    score: float | None
    published_score: float | None
    source: str | None
    segment: int | None


class MetricView(BaseModel):
    meta: Meta
    metric: MetricDef
    trust_type: str | None
    rows: list[MetricOrgRow]


class IngestOut(BaseModel):
    file_name: str
    kind: str
    trust_type: str
    rows: int
    already_ingested: bool
    stored: dict[str, int]
    unchanged: list[str]
    undeclared_metrics: list[str]
