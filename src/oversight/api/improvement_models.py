"""Response models of the improvement route: improvement beside position."""

from __future__ import annotations

from pydantic import BaseModel, Field


class MetricImprovementOut(BaseModel):
    metric_id: str
    latest: float | None
    earlier_mean: float | None
    change: float | None = Field(description="latest minus the earlier mean; negative: better")
    z: float | None = Field(description="the change standardised by the peers' changes")
    score: int | None = Field(description="1 (most improved) .. 4")


class ImprovementRow(BaseModel):
    trust_code: str
    trust_name: str
    position_rank: int | None = Field(description="the official rank, beside")
    improvement_score: float | None
    improvement_rank: int | None
    average_change: float | None
    average_z: float | None
    beyond_noise: bool | None = Field(
        description="|average_z| reaches the framework's improvement.beyond_noise_at"
    )


class ImprovementOrg(ImprovementRow):
    metrics: list[MetricImprovementOut]


class ImprovementTableOut(BaseModel):
    quarter: str
    earlier: list[str]
    trust_type: str
    beyond_noise_at: float
    most_improved: list[str] = Field(description="ODS codes, most improved first")
    most_deteriorated: list[str]
    organisations: list[ImprovementOrg]
