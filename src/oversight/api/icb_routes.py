"""ICB routes: ``/api/v1/icbs`` (the league table of the 42) and ``/api/v1/icbs/{code}`` (one
ICB with its trusts). Modelled; a providers-in-the-ICB view; Oversight's placeholder thresholds.
Codes only select among the 42 (unknown: 404); no request text reaches SQL."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from oversight.api.icb_models import IcbContribution, IcbRecord, IcbRow, IcbTable
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
from oversight.api.routes import TABLE, FormatQ, QuarterQ, site_of
from oversight.api.table_response import table_response
from oversight.api.tables import TableFormat
from oversight.service.icb_pages import kept_icb_record, kept_league_page
from oversight.service.icb_values import DEFAULT_QUARTER
from oversight.service.league_tables import ICB_COLUMNS, icb_facets

IcbCodeP = Annotated[
    str,
    Path(pattern=r"^[A-Za-z0-9]{3}$", description="the ICB's ODS code", examples=["QYG"]),
]
IcbSortQ = Annotated[str | None, sort_param(ICB_COLUMNS)]


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["ICBs (modelled)"])

    @api.get(
        "/icbs",
        response_model=IcbTable,
        responses=TABLE,
        summary="The 42 ICBs ranked (modelled, providers-in-the-ICB view)",
    )
    def icbs(
        request: Request,
        quarter: QuarterQ = None,
        region: RegionQ = None,
        icb: IcbQ = None,
        subtype: SubtypeQ = None,
        segment: SegmentQ = None,
        sort: IcbSortQ = None,
        order: OrderQ = "asc",
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        q = quarter or DEFAULT_QUARTER
        query = wanted(region, icb, subtype, segment, sort, order)

        def view() -> IcbTable:
            whole = IcbTable.model_validate(kept_league_page(site, q))
            rows = refined_or_404(whole.icbs, query, icb_facets, ICB_COLUMNS)
            return whole.model_copy(update={"icbs": rows})

        return table_response(
            site,
            ("api-icbs", q, query.key(), format),
            format,
            "icbs",
            view,
            lambda table: table.icbs,
            IcbRow,
        )

    @api.get(
        "/icbs/{code}",
        response_model=IcbRecord,
        responses=TABLE,
        summary="One ICB: its result, metric values, and trusts with the values they add",
    )
    def icb(
        request: Request,
        code: IcbCodeP,
        quarter: QuarterQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        q = quarter or DEFAULT_QUARTER
        return table_response(
            site,
            ("api-icb", q, code.upper(), format),
            format,
            f"icb-{code.upper()}",
            lambda: IcbRecord.model_validate(kept_icb_record(site, q, code)),
            lambda record: record.contributions,
            IcbContribution,
        )

    return api
