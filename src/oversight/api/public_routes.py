"""Read routes for the MODELLED public-data tables (``/api/v1/public/...``): not NHS
England's result; every response and row says so.

Quarters, trust types and metrics only select among the covered and declared ones (unknown:
404); shapes are checked by pattern first (malformed: 422). No request text reaches SQL.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from oversight.api import public_records
from oversight.api.league_filters import (
    IcbQ,
    OrderQ,
    RegionQ,
    SegmentQ,
    SubtypeQ,
    refined_or_404,
    sort_param,
    wanted,
)
from oversight.api.public_models import (
    CompareRowOut,
    PublicComparison,
    PublicLeague,
    PublicLeagueRow,
    PublicMetric,
    PublicMetricRow,
    PublicQuarters,
)
from oversight.api.routes import TABLE, FormatQ, _json, _memo_response, site_of
from oversight.api.table_response import table_response
from oversight.api.tables import TableFormat
from oversight.service.league_tables import PUBLIC_COLUMNS, public_facets

PublicQuarterQ = Annotated[
    str | None,
    Query(
        max_length=40,
        description="'Q1 2025/26' or '2025-26-q1'; default: the latest the collections cover",
        examples=["Q1 2025/26"],
    ),
]
PublicTypeQ = Annotated[
    str,
    Query(max_length=40, description="acute or ambulance", examples=["acute", "ambulance"]),
]
PublicMetricP = Annotated[
    str,
    Path(
        pattern=r"^[Oo][FfVv][01][0-9]{3}$",
        description="raw ID (OF0010, OV0001) or the public framework's score ID (OF1010)",
        examples=["OF0010", "OV0001"],
    ),
]
PublicSortQ = Annotated[str | None, sort_param(PUBLIC_COLUMNS)]


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1/public", tags=["modelled from public data"])

    @api.get(
        "/quarters",
        response_model=PublicQuarters,
        summary="Quarters the stored source statistics cover (modelled tables)",
    )
    def quarters(request: Request) -> Response:
        site = site_of(request)
        return _memo_response(
            site,
            ("api-public-quarters",),
            lambda: _json(PublicQuarters(public_records.covered(site))),
        )

    @api.get(
        "/league",
        response_model=PublicLeague,
        responses=TABLE,
        summary="MODELLED composite league table from public data (not NHS England's result)",
    )
    def league(
        request: Request,
        trust_type: PublicTypeQ = "acute",
        quarter: PublicQuarterQ = None,
        region: RegionQ = None,
        icb: IcbQ = None,
        subtype: SubtypeQ = None,
        segment: SegmentQ = None,
        sort: PublicSortQ = None,
        order: OrderQ = "asc",
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        query = wanted(region, icb, subtype, segment, sort, order)

        def view() -> PublicLeague:
            whole = public_records.league(site, quarter, trust_type)
            rows = refined_or_404(whole.rows, query, public_facets(site), PUBLIC_COLUMNS)
            return whole.model_copy(update={"rows": rows})

        return table_response(
            site,
            ("api-public-league", quarter, trust_type.casefold(), query.key(), format),
            format,
            f"modelled-league-{trust_type.casefold()}",
            view,
            lambda league: league.rows,
            PublicLeagueRow,
        )

    @api.get(
        "/metric/{metric_id}",
        response_model=PublicMetric,
        responses=TABLE,
        summary="One metric from public data: values, 95% intervals, peer ranks, 1-4 scores",
    )
    def metric(
        request: Request,
        metric_id: PublicMetricP,
        trust_type: PublicTypeQ = "acute",
        quarter: PublicQuarterQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        return table_response(
            site,
            ("api-public-metric", quarter, trust_type.casefold(), metric_id.upper(), format),
            format,
            f"modelled-{metric_id.upper()}",
            lambda: public_records.metric(site, quarter, trust_type, metric_id),
            lambda view: view.rows,
            PublicMetricRow,
        )

    @api.get(
        "/compare",
        response_model=PublicComparison,
        responses=TABLE,
        summary="MODELLED composite beside NHS England's published result, with agreement",
    )
    def compare(
        request: Request,
        quarter: PublicQuarterQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        return table_response(
            site,
            ("api-public-compare", quarter, format),
            format,
            "modelled-vs-published",
            lambda: public_records.comparison(site, quarter),
            lambda view: view.rows,
            CompareRowOut,
        )

    return api
