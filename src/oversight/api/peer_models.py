"""Response models of the peer-league route: a league table re-ranked within peer groups."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PeerRowOut(BaseModel):
    peer_group: str
    group_size: int
    trust_code: str
    trust_name: str
    official_average: float | None
    official_segment: int | None = Field(description="after the financial override")
    official_rank: int | None = Field(description="within the trust type, beside")
    average_score: float | None = Field(description="average metric score against the peers")
    segment: int | None = Field(description="by the quarter's national cut-points, overridden")
    segment_final: int | None = Field(description="5 for intensive recovery support")
    rank: int | None = Field(description="within the peer group")
    rescored_metrics: int = Field(description="metric scores re-ranked within the peer group")
    segment_changed: bool


class PeerTableOut(BaseModel):
    quarter: str
    trust_type: str
    peers: str = Field(description="the framework's peer grouping")
    peers_name: str
    wider_pools: bool = Field(
        description="metrics ranked beyond the trust type narrowed to the peers too"
    )
    cut_points: list[float]
    changed: list[str] = Field(description="ODS codes whose segment differs from the official")
    organisations: list[PeerRowOut]
