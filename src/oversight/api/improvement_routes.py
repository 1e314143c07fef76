"""Improvement route: ``/api/v1/improvement`` ranks a trust type's organisations by their change
against their own earlier quarters, beside their official rank (docs/method.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from oversight.api.improvement_models import ImprovementOrg, ImprovementRow, ImprovementTableOut
from oversight.api.routes import TABLE, FormatQ, QuarterQ, _download_name, _memo_response, site_of
from oversight.api.tables import TableFormat, render
from oversight.service.improvement import improvement_table
from oversight.service.site import Site

TrustTypeRequired = Annotated[
    str,
    Query(max_length=80, description="trust type id or name", examples=["mental_health_community"]),
]


def improvement_out(site: Site, quarter: str, trust_type: str) -> ImprovementTableOut:
    """A trust type's improvement table as the API and the improvement page show it."""
    table = improvement_table(site, quarter, trust_type)
    return ImprovementTableOut.model_validate(
        {
            "quarter": table.quarter,
            "earlier": table.earlier,
            "trust_type": table.trust_type,
            "beyond_noise_at": table.beyond_noise_at,
            "most_improved": [r.trust_code for r in table.most_improved()],
            "most_deteriorated": [r.trust_code for r in table.most_deteriorated()],
            "organisations": [
                ImprovementOrg.model_validate(r, from_attributes=True) for r in table.rows
            ],
        }
    )


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["Improvement"])

    @api.get(
        "/improvement",
        response_model=ImprovementTableOut,
        responses=TABLE,
        summary="Organisations ranked by improvement against their own earlier quarters",
    )
    def improvement(
        request: Request,
        trust_type: TrustTypeRequired,
        quarter: QuarterQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        q = site.quarter(quarter)
        kind = site.trust_type(trust_type).id

        def build() -> tuple[bytes, str]:
            out = improvement_out(site, q, kind)
            rows = [
                ImprovementRow.model_validate(r, from_attributes=True) for r in out.organisations
            ]
            return render(format, out, rows, ImprovementRow)

        key = ("api-improvement", q, kind, format)
        return _memo_response(site, key, build, _download_name(format, f"improvement-{kind}"))

    return api
