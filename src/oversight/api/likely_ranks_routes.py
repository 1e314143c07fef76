"""Likely-ranks routes: every organisation of a league table in rank order with its likely
range of rank (the caterpillar plot's data): ``/api/v1/likely-ranks`` for a NOF league table
and ``/api/v1/public/likely-ranks`` for a MODELLED public-data one. JSON, CSV or Parquet."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from oversight.api import public_records
from oversight.api.improvement_routes import TrustTypeRequired
from oversight.api.likely_ranks_models import LikelyRankRow, LikelyRanksOut, likely_ranks_out
from oversight.api.public_routes import PublicQuarterQ, PublicTypeQ
from oversight.api.routes import TABLE, FormatQ, QuarterQ, site_of
from oversight.api.table_response import table_response
from oversight.api.tables import TableFormat
from oversight.service.likely_ranks import nof_likely_ranks, public_likely_ranks
from oversight.service.site import Site


def nof_out(site: Site, quarter: str | None, trust_type: str) -> LikelyRanksOut:
    return likely_ranks_out(nof_likely_ranks(site, quarter, trust_type))


def public_out(site: Site, quarter: str | None, trust_type: str) -> LikelyRanksOut:
    return likely_ranks_out(public_likely_ranks(public_records.computed(site, quarter), trust_type))


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["Likely ranks"])

    @api.get(
        "/likely-ranks",
        response_model=LikelyRanksOut,
        responses=TABLE,
        summary="Every organisation of a league table in rank order with its likely range",
    )
    def likely_ranks(
        request: Request,
        trust_type: TrustTypeRequired,
        quarter: QuarterQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        q = site.quarter(quarter)
        kind = site.trust_type(trust_type).id
        return table_response(
            site,
            ("api-likely-ranks", q, kind, format),
            format,
            f"likely-ranks-{kind}",
            lambda: nof_out(site, q, kind),
            lambda out: out.rows,
            LikelyRankRow,
        )

    @api.get(
        "/public/likely-ranks",
        response_model=LikelyRanksOut,
        responses=TABLE,
        summary="MODELLED table's organisations in rank order with their likely ranges",
    )
    def public_likely_ranks(
        request: Request,
        trust_type: PublicTypeQ = "acute",
        quarter: PublicQuarterQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        return table_response(
            site,
            ("api-public-likely-ranks", quarter, trust_type.casefold(), format),
            format,
            f"modelled-likely-ranks-{trust_type.casefold()}",
            lambda: public_out(site, quarter, trust_type),
            lambda out: out.rows,
            LikelyRankRow,
        )

    return api
