"""Services routes: ``/api/v1/ae/{code}/services`` gives a provider's 4-hour share by A&E
department type, and ``/api/v1/services/{code}?metric=&by=`` any source-metric share by its
collection's breakdown or subgroup (cancer type, referral route, diagnostic test), each part
with its rank among the organisations that have it and its 95% Wilson interval (docs/ae-monthly.md,
"Services, not only trusts")."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from oversight.api.routes import TABLE, FormatQ, _download_name, _memo_response, site_of
from oversight.api.tables import TableFormat, render
from oversight.service.ae_services import ae_services
from oversight.service.metric_parts import parts_of


class ServiceOut(BaseModel):
    department_type: str = Field(description="type1, type2, other, or all_types (the trust)")
    title: str
    attendances: float
    within_4hr: float
    share: float = Field(description="within 4 hours / attendances, 0-1")
    ci_low: float = Field(description="95% Wilson interval of the share")
    ci_high: float
    rank: int = Field(description="1 = highest share among providers with this department type")
    of: int = Field(description="providers with this department type in the month")


class ServicesOut(BaseModel):
    code: str
    month: str
    services: list[ServiceOut]


class PartOut(BaseModel):
    key: str = Field(description='a breakdown or subgroup value, or "whole" (the metric)')
    title: str
    numerator: float = Field(description="within the standard")
    denominator: float
    share: float = Field(description="numerator / denominator, 0-1")
    ci_low: float = Field(description="95% Wilson interval of the share")
    ci_high: float
    rank: int = Field(description="1 = highest share among organisations with this part")
    of: int


class PartsOut(BaseModel):
    metric_id: str
    code: str
    month: str
    by: str
    parts: list[PartOut]


CodeP = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{3,7}$", description="provider ODS code")]
MonthQ = Annotated[
    str | None,
    Query(
        pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$",
        description="YYYY-MM (default: the latest stored)",
        examples=["2025-11"],
    ),
]


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["A&E"])

    @api.get(
        "/ae/{code}/services",
        response_model=ServicesOut,
        responses=TABLE,
        summary="A provider's 4-hour share by A&E department type, with ranks and intervals",
    )
    def services(
        request: Request,
        code: CodeP,
        month: MonthQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)

        def build() -> tuple[bytes, str]:
            split = ae_services(site, code, month)
            out = ServicesOut(
                code=split.code,
                month=split.month,
                services=[
                    ServiceOut.model_validate(s, from_attributes=True) for s in split.services
                ],
            )
            return render(format, out, out.services, ServiceOut)

        key = ("api-ae-services", code.upper(), month, format)
        return _memo_response(site, key, build, _download_name(format, f"{code.upper()}-services"))

    @api.get(
        "/services/{code}",
        response_model=PartsOut,
        responses=TABLE,
        summary="A source-metric share split by cancer type, referral route or test, ranked",
    )
    def parts(
        request: Request,
        code: CodeP,
        metric: Annotated[
            str, Query(max_length=12, description="a share's metric ID", examples=["OF0010"])
        ] = "OF0010",
        by: Annotated[
            Literal["breakdown", "subgroup"],
            Query(description="the collection's breakdown (cancer type, test) or subgroup (route)"),
        ] = "subgroup",
        month: MonthQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)

        def build() -> tuple[bytes, str]:
            split = parts_of(site, code, metric, by, month)
            out = PartsOut(
                metric_id=split.metric_id,
                code=split.code,
                month=split.month,
                by=split.by,
                parts=[PartOut.model_validate(p, from_attributes=True) for p in split.parts],
            )
            return render(format, out, out.parts, PartOut)

        key = ("api-services", code.upper(), metric.upper(), by, month, format)
        name = f"{code.upper()}-{metric.upper()}-{by}"
        return _memo_response(site, key, build, _download_name(format, name))

    return api
