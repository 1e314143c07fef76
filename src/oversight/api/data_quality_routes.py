"""Data-quality route: ``/api/v1/data-quality`` lists the values a trust type's declared rules
flag in a quarter and, with ``recompute=true``, the organisations whose segment changes when the
table is recomputed without them (docs/method.md). The official table is unchanged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from oversight.api.routes import TABLE, FormatQ, QuarterQ, _download_name, _memo_response, site_of
from oversight.api.tables import TableFormat, render
from oversight.service.data_quality import data_quality as quality_report
from oversight.service.site import Site

TrustTypeRequired = Annotated[
    str,
    Query(max_length=80, description="trust type id or name", examples=["mental_health_community"]),
]


class FlagRow(BaseModel):
    trust_code: str
    metric_id: str = Field(description="the published ID of the flagged value")
    score_id: str | None = Field(description="the metric score dropped with it on recomputation")
    value: float | None
    check: str = Field(description="missing, range, denominator or total")
    reason: str
    flagged: bool = True


class SegmentChangeOut(BaseModel):
    trust_code: str
    trust_name: str
    segment_before: int | None
    segment_after: int | None = Field(description="the segment with flagged values missing")
    rank_before: int | None
    rank_after: int | None
    average_before: float | None
    average_after: float | None


class DataQualityOut(BaseModel):
    quarter: str
    trust_type: str
    flagged: int
    flags: list[FlagRow]
    not_applied: list[str] = Field(description="rules that could not be checked, and why")
    segment_changes: list[SegmentChangeOut] | None = Field(
        description="with recompute=true: organisations whose segment changes; else null"
    )


def data_quality_out(site: Site, quarter: str, trust_type: str, recompute: bool) -> DataQualityOut:
    """A trust type's flagged values (and moves, if recomputed) as the API and the page show."""
    report = quality_report(site, quarter, trust_type, recompute)
    changes = None
    if report.changes is not None:
        changes = [SegmentChangeOut.model_validate(c, from_attributes=True) for c in report.changes]
    return DataQualityOut(
        quarter=report.quarter,
        trust_type=report.trust_type,
        flagged=len(report.flags),
        flags=[FlagRow.model_validate(f, from_attributes=True) for f in report.flags],
        not_applied=report.not_applied,
        segment_changes=changes,
    )


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["Data quality"])

    @api.get(
        "/data-quality",
        response_model=DataQualityOut,
        responses=TABLE,
        summary="Values flagged by the framework's data-quality rules, and who moves without them",
    )
    def data_quality(
        request: Request,
        trust_type: TrustTypeRequired,
        quarter: QuarterQ = None,
        recompute: Annotated[
            bool, Query(description="recompute the table treating flagged values as missing")
        ] = False,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        q = site.quarter(quarter)
        kind = site.trust_type(trust_type).id

        def build() -> tuple[bytes, str]:
            out = data_quality_out(site, q, kind, recompute)
            return render(format, out, out.flags, FlagRow)

        key = ("api-data-quality", q, kind, recompute, format)
        return _memo_response(site, key, build, _download_name(format, f"data-quality-{kind}"))

    return api
