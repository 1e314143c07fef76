"""Response models of the MODELLED public-data tables (``/api/v1/public/...``).

Every record says it is modelled: each response has ``modelled: true`` and the note, and each
row (what CSV and Parquet downloads hold) has ``basis``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from oversight.service.public_scoring import MODELLED

BASIS = Field(description="always 'modelled': from public data, not NHS England's result")


class _FromService(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class _Modelled(_FromService):
    modelled: Literal[True] = Field(True, description="modelled from public data")
    note: str = MODELLED


class CoverageOut(_FromService):
    trust_type: str
    used: list[str] = Field(description="raw IDs of the metrics the composite scores")
    unavailable: list[str] = Field(description="public metrics with no value this quarter")
    missing: list[str] = Field(description="the framework's metrics the composite lacks")
    national_total: int
    label: str


class PublicLeagueRow(_FromService):
    trust_code: str
    trust_name: str
    metrics_scored: int
    average_score: float | None
    segment: int | None
    rank: int | None
    rank_low: int | None
    rank_high: int | None
    basis: Literal["modelled"] = BASIS


class LeftOutRow(_FromService):
    trust_code: str
    trust_name: str
    metrics_with_values: int
    reason: str


class PublicLeague(_Modelled):
    quarter: str
    trust_type: str
    trust_type_name: str
    coverage: CoverageOut
    minimum_metrics: int
    minimum_reason: str
    cut_points: list[float]
    rows: list[PublicLeagueRow]
    left_out: list[LeftOutRow]


class PublicMetricRow(_FromService):
    trust_code: str
    trust_name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    ci_low: float | None = Field(description="95% Wilson interval (shares only)")
    ci_high: float | None
    peer_rank: int | None
    peers: int | None
    score: float | None = Field(description="NOF rank-scale score, 1 (best) to 4")
    basis: Literal["modelled"] = BASIS


class PublicMetric(_Modelled):
    quarter: str
    trust_type: str
    metric_id: str
    score_id: str
    title: str
    unit: str
    polarity: str
    period: str
    definition: str
    interval: str
    rows: list[PublicMetricRow]


class CompareRowOut(_FromService):
    trust_code: str
    trust_name: str
    trust_type: str
    published_average: float | None
    published_segment: int | None
    published_rank: int | None
    modelled_average: float | None
    modelled_segment: int | None
    modelled_rank: int | None
    modelled_rank_low: int | None
    modelled_rank_high: int | None
    rank_difference: int | None = Field(
        description="published minus modelled rank, both re-ranked among trusts in both tables"
    )
    same_segment: bool | None
    basis: Literal["modelled vs published"] = "modelled vs published"


class AgreementOut(_FromService):
    trust_type: str
    published: int
    modelled: int
    common: int
    spearman: float | None = Field(description="Spearman's rho, modelled vs published rank")
    spearman_p: float | None
    same_segment_share: float | None
    within_one_segment_share: float | None
    mean_abs_rank_difference: float | None
    only_published: list[str]


class PublicComparison(_Modelled):
    quarter: str
    reference: str
    rows: list[CompareRowOut]
    agreement: list[AgreementOut]


class PublicQuarters(RootModel[list[str]]):
    """Quarters the stored collections cover (empty: no source statistics stored)."""
