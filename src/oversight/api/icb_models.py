"""Response models of the ICB routes (modelled, providers-in-the-ICB view)."""

from __future__ import annotations

from pydantic import BaseModel


class IcbRow(BaseModel):
    quarter: str
    rank: int | None
    icb_code: str
    icb_name: str
    ons_code: str
    region: str
    trusts: int
    metrics_scored: int
    average_score: float | None
    segment: int | None
    rank_low: int | None
    rank_high: int | None


class IcbTable(BaseModel):
    quarter: str
    framework: str
    thresholds: list[float]
    caveats: list[str]
    icbs: list[IcbRow]


class IcbMetric(BaseModel):
    metric_id: str
    name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    score: float | None
    source: str


class IcbTrust(BaseModel):
    trust_code: str
    trust_name: str
    open: bool
    via: str
    values: dict[str, float | None]
    # the trust's published NOF result in the quarter, where the store has it
    nof_trust_type: str | None
    nof_average: float | None
    nof_segment: int | None


class IcbContribution(BaseModel):
    trust_code: str
    trust_name: str
    metric_id: str
    value: float | None
    numerator: float | None
    denominator: float | None


class IcbRecord(BaseModel):
    quarter: str
    icb_code: str
    icb_name: str
    ons_code: str
    region: str
    rank: int | None
    average_score: float | None
    segment: int | None
    thresholds: list[float]
    caveats: list[str]
    metrics: list[IcbMetric]
    trusts: list[IcbTrust]
    contributions: list[IcbContribution]
