"""Balancing route: ``/api/v1/balancing`` lists the organisations whose headline metric is
special-cause improvement while its declared balancing measure is special-cause concern
(definitions/balancing-measures.yaml; docs/method.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from oversight.api.balancing_models import BalancingAlertOut, BalancingOut, BalancingPairOut
from oversight.api.routes import TABLE, FormatQ, _download_name, _memo_response, site_of
from oversight.api.tables import TableFormat, render
from oversight.periods import Month
from oversight.service.balancing import balancing_alerts
from oversight.service.site import Site

MonthQ = Annotated[
    str | None,
    Query(
        pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$",
        description="month judged, YYYY-MM (default: each pair's latest)",
        examples=["2025-11"],
    ),
]


def balancing_out(site: Site, month: str | None) -> BalancingOut:
    report = balancing_alerts(site, month)
    return BalancingOut(
        rule=report.rule,
        pairs=[
            BalancingPairOut(
                headline=p.pair.headline,
                headline_title=p.headline_title,
                balancing=p.pair.balancing,
                balancing_title=p.balancing_title,
                why=p.pair.why,
                month=p.month,
                judged=p.judged,
                alerts=[
                    BalancingAlertOut.model_validate(a, from_attributes=True) for a in p.alerts
                ],
            )
            for p in report.pairs
        ],
    )


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["Balancing measures"])

    @api.get(
        "/balancing",
        response_model=BalancingOut,
        responses=TABLE,
        summary="Headline metrics improving while their balancing measure worsens",
    )
    def balancing(
        request: Request,
        month: MonthQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        key = str(Month.parse(month)) if month else None

        def build() -> tuple[bytes, str]:
            out = balancing_out(site, key)
            rows = [a for p in out.pairs for a in p.alerts]
            return render(format, out, rows, BalancingAlertOut)

        return _memo_response(
            site, ("api-balancing", key, format), build, _download_name(format, "balancing")
        )

    return api
