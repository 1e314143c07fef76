"""Response models of the likely-ranks routes: the data of the caterpillar plot."""

from __future__ import annotations

from pydantic import BaseModel, Field

from oversight.service.likely_ranks import LikelyRanks


class LikelyRankRow(BaseModel):
    rank: int
    rank_low: int | None = Field(description="low end of the likely range of rank")
    rank_high: int | None = Field(description="high end of the likely range of rank")
    trust_code: str
    trust_name: str
    segment: int | None
    modelled: bool = Field(description="true: modelled from public data, not NHS England's")


class LikelyRanksOut(BaseModel):
    quarter: str
    trust_type: str
    trust_type_name: str
    range_method: str = Field(description="how the likely ranges were drawn ('none': none)")
    method_label: str = Field(description="the method as the league page names it")
    modelled: bool
    organisations: int
    rows: list[LikelyRankRow] = Field(description="best rank first, as in the league table")


def likely_ranks_out(found: LikelyRanks) -> LikelyRanksOut:
    return LikelyRanksOut(
        quarter=found.quarter,
        trust_type=found.trust_type,
        trust_type_name=found.trust_type_name,
        range_method=found.range_method,
        method_label=found.method_label,
        modelled=found.modelled,
        organisations=len(found.rows),
        rows=[
            LikelyRankRow(
                rank=r.rank,
                rank_low=r.rank_low,
                rank_high=r.rank_high,
                trust_code=r.trust_code,
                trust_name=r.trust_name,
                segment=r.segment,
                modelled=found.modelled,
            )
            for r in found.rows
        ],
    )
