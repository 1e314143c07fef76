"""Response models of the moves routes: is a move of segment or rank real, or noise?"""

from __future__ import annotations

from pydantic import BaseModel, Field


class MoveOut(BaseModel):
    trust_code: str
    trust_name: str
    trust_type: str
    before: str = Field(description="the earlier quarter")
    after: str = Field(description="the later quarter")
    segment_before: int
    segment_after: int
    segment_probability: float | None = Field(
        description="P(the segment moved the observed way), from the two quarters' bootstraps; "
        "null where the segment did not move"
    )
    segment_real: bool | None
    rank_before: int
    rank_after: int
    rank_probability: float | None = Field(
        description="P(the rank moved the observed way); null where the rank did not move"
    )
    rank_real: bool | None
    rank_low_before: int | None = Field(description="likely range of rank, earlier quarter")
    rank_high_before: int | None
    rank_low_after: int | None = Field(description="likely range of rank, later quarter")
    rank_high_after: int | None


class MoveCounts(BaseModel):
    real: int
    noise: int = Field(description="moves not distinguishable from noise")
    unchanged: int


class MoveSummaryOut(BaseModel):
    trust_type: str = Field(description="a trust type id, or 'all'")
    organisations: int
    segment: MoveCounts
    rank: MoveCounts


class QuarterMovesOut(BaseModel):
    before: str
    after: str
    real_at: float = Field(description="a move is real when its probability reaches this")
    calibrated: bool
    summary: list[MoveSummaryOut]
    moves: list[MoveOut]


class OrgMovesOut(BaseModel):
    trust_code: str
    real_at: float
    calibrated: bool
    moves: list[MoveOut]
