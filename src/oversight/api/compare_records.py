"""Two or more organisations side by side in one quarter: their standing (average score and
rank with likely ranges) and each metric's value, peer rank, score and peer interquartile
range. Reshaped from :func:`oversight.api.records.org_record`; nothing is computed here."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from oversight.api import records
from oversight.api.models import OrgRecord
from oversight.errors import Problem
from oversight.service.league_query import BadQuery
from oversight.service.site import Site

MOST = 6


class ComparedOrg(BaseModel):
    trust_code: str
    trust_name: str
    trust_type_name: str
    region: str
    segment: int | None
    segment_final: int | None
    rank: int | None
    rank_low: int | None
    rank_high: int | None
    rank_of: int
    average_score: float | None
    average_score_low: float | None
    average_score_high: float | None


class ComparedValue(BaseModel):
    """One metric of one organisation (the CSV twin's row)."""

    metric_id: str
    metric_name: str
    polarity: str
    units: str
    trust_code: str
    trust_name: str
    value: float | None
    pool_rank: int | None
    pool_size: int | None
    score: float
    peer_median: float | None
    peer_lower_quartile: float | None
    peer_upper_quartile: float | None


class Comparison(BaseModel):
    quarter: str
    quarter_slug: str
    organisations: list[ComparedOrg]
    values: list[ComparedValue]


def _codes(codes: Sequence[str]) -> list[str]:
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
    if not 2 <= len(wanted) <= MOST:
        raise BadQuery(
            f"Compare needs 2 to {MOST} organisations, {len(wanted)} given",
            [Problem("name each with org=, e.g. ?org=RX3&org=RXT", field="org")],
        )
    return wanted


def _org(r: OrgRecord) -> ComparedOrg:
    p = r.segment_path
    return ComparedOrg(
        trust_code=r.trust_code,
        trust_name=r.trust_name,
        trust_type_name=r.trust_type_name,
        region=r.region,
        segment=p.segment,
        segment_final=p.segment_final,
        rank=p.rank,
        rank_low=p.rank_low,
        rank_high=p.rank_high,
        rank_of=p.rank_of,
        average_score=p.average_score,
        average_score_low=p.average_score_low,
        average_score_high=p.average_score_high,
    )


def comparison(site: Site, quarter: str, codes: Sequence[str]) -> Comparison:
    recs = [records.org_record(site, quarter, c) for c in _codes(codes)]
    values = [
        ComparedValue(
            metric_id=m.metric_id,
            metric_name=m.name,
            polarity=m.polarity,
            units=m.units,
            trust_code=r.trust_code,
            trust_name=r.trust_name,
            value=m.value,
            pool_rank=m.pool_rank,
            pool_size=m.pool_size,
            score=m.score,
            peer_median=m.peer_median,
            peer_lower_quartile=m.peer_lower_quartile,
            peer_upper_quartile=m.peer_upper_quartile,
        )
        for r in recs
        for m in r.metrics
    ]
    return Comparison(
        quarter=recs[0].meta.quarter,
        quarter_slug=recs[0].meta.quarter_slug,
        organisations=[_org(r) for r in recs],
        values=values,
    )
