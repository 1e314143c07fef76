"""A provider's services (issue 15, item 6): ``/api/v1/services/{code}/all?month=`` gives every
split the stored source statistics give of its activity (A&E by department type, cancer by
suspected cancer type and by referral route, diagnostics by test), each part with its share,
95% Wilson interval, count, rank among the providers with that part and the peer median; the
CSV twin is one row per part. The page ``/services/{code}.html`` shows the same model."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from oversight.api.routes import TABLE, FormatQ, _download_name, _memo_response, site_of
from oversight.api.tables import TableFormat, render
from oversight.service.provider_services import (
    TOO_FEW,
    PartView,
    ProviderServices,
    SplitView,
    provider_services,
)


class ServicePartOut(BaseModel):
    key: str = Field(description='a breakdown or subgroup value, or "whole" (the trust)')
    title: str
    numerator: float = Field(description="within the standard (diagnostics: waiting 6+ weeks)")
    denominator: float = Field(description="the patients behind the share")
    share: float = Field(description="numerator / denominator, 0-1")
    ci_low: float = Field(description="95% Wilson interval of the share (none of the rank)")
    ci_high: float
    rank: int = Field(description="1 = the highest share among providers with this part")
    of: int = Field(description="providers with this part in the month")
    peer_median: float = Field(description="median share of the providers with this part")
    too_few: bool = Field(description=f"fewer than {TOO_FEW} patients: not compared")


class ServiceSplitOut(BaseModel):
    key: str = Field(description="the split, e.g. cancer_fds_route")
    title: str
    metric_id: str
    by: str = Field(description="breakdown or subgroup of the metric's collection")
    polarity: str
    month: str
    drives: str = Field(description="the parts furthest below and above the peer median")
    below: str | None = Field(description="key of the part furthest on the worse side")
    above: str | None = Field(description="key of the part furthest on the better side")
    parts: list[ServicePartOut]


class ServiceRowOut(ServicePartOut):
    split: str
    metric_id: str
    by: str
    month: str


class ProviderServicesOut(BaseModel):
    code: str
    name: str | None
    month: str | None = Field(description="the month asked for; null: each split's latest")
    months: list[str] = Field(description="months any split has stored, newest first")
    splits: list[ServiceSplitOut]


def _part(p: PartView) -> ServicePartOut:
    return ServicePartOut.model_validate(p, from_attributes=True)


def _split(s: SplitView) -> ServiceSplitOut:
    return ServiceSplitOut(
        key=s.key,
        title=s.title,
        metric_id=s.metric_id,
        by=s.by,
        polarity=s.polarity,
        month=s.month,
        drives=s.drives,
        below=s.below.key if s.below else None,
        above=s.above.key if s.above else None,
        parts=[_part(p) for p in s.parts],
    )


def services_out(found: ProviderServices) -> tuple[ProviderServicesOut, list[ServiceRowOut]]:
    """The JSON model and the CSV rows (one per part) of a provider's services."""
    out = ProviderServicesOut(
        code=found.code,
        name=found.name,
        month=found.month,
        months=found.months,
        splits=[_split(s) for s in found.splits],
    )
    rows = [
        ServiceRowOut(split=s.key, metric_id=s.metric_id, by=s.by, month=s.month, **p.model_dump())
        for s in out.splits
        for p in s.parts
    ]
    return out, rows


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["A&E"])

    @api.get(
        "/services/{code}/all",
        response_model=ProviderServicesOut,
        responses=TABLE,
        summary="Every split of a provider's activity, each part ranked with its interval",
    )
    def all_services(
        request: Request,
        code: Annotated[str, Path(pattern=r"^[A-Za-z0-9]{3,7}$", description="provider ODS code")],
        month: Annotated[
            str | None,
            Query(
                pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$",
                description="YYYY-MM (default: each split's latest stored month)",
                examples=["2025-07"],
            ),
        ] = None,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)

        def build() -> tuple[bytes, str]:
            out, rows = services_out(provider_services(site, code, month))
            return render(format, out, rows, ServiceRowOut)

        key = ("api-provider-services", code.upper(), month, format)
        name = _download_name(format, f"{code.upper()}-services-all")
        return _memo_response(site, key, build, name)

    return api
