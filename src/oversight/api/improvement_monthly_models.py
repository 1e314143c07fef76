"""Response models of the monthly improvement route: each provider's latest months against its
own SPC, beside its position among its peers."""

from __future__ import annotations

from pydantic import BaseModel, Field


class MonthlyImprovementRow(BaseModel):
    computed_from: str = Field(
        default="", description="the monthly series' months judged, e.g. 2025-10 to 2025-12"
    )
    code: str
    name: str
    improvement_rank: int | None = Field(description="1 = most improved")
    improvement_score: float | None = Field(
        description="1 (most improved) .. 4: the position score's rank_scale rule, ties sharing "
        "the mean of their ranks"
    )
    improvement: float | None = Field(
        description="the shift in sigma units, signed so that positive is better"
    )
    shift: float | None = Field(description="(window mean - centre line) / sigma")
    window_mean: float = Field(description="mean of the window's monthly values")
    centre: float = Field(description="centre line of the provider's baseline months")
    lower: float
    upper: float
    baseline_points: int
    position_rank: int | None = Field(description="peer rank of the window mean, 1 = best")
    beyond_noise: bool = Field(
        description="a window month is special cause by Making Data Count's rules"
    )
    signal: str | None = Field(description="the latest special-cause window month's type")
    rule: str | None = Field(description="the rule that flagged it")


class MonthlyImprovementOut(BaseModel):
    computed_from: str = Field(description="the monthly series and the months, in words")
    metric_id: str
    title: str
    unit: str
    polarity: str
    collection: str
    trust_type: str
    window: list[str] = Field(description="the months judged, YYYY-MM")
    baseline_from: str | None = Field(
        description="first month of the current SPC phase (None: the first stored)"
    )
    change_points: list[str]
    peers_from: str
    method: str
    most_improved: list[str] = Field(description="codes, most improved first")
    most_deteriorated: list[str] = Field(description="codes, most deteriorated first")
    organisations: list[MonthlyImprovementRow]
