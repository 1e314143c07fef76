"""Read routes for the monthly A&E series (``/api/v1/series``, ``/api/v1/ae/...``).

Codes, metrics and months only ever select among stored ones (unknown: 404); their shapes are
checked by pattern first (malformed: 422). No request text reaches SQL.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import RootModel

from oversight.api import ae_funnel_groups, ae_records, consequences_records
from oversight.api.ae_models import (
    AeMetricOut,
    AeOrg,
    AeOrgList,
    FunnelRowOut,
    FunnelView,
    SeriesPointOut,
    SeriesView,
)
from oversight.api.consequences_records import ConsequenceRow, Consequences
from oversight.api.routes import (
    TABLE,
    FormatQ,
    QuarterQ,
    _json,
    _memo_response,
    site_of,
)
from oversight.api.table_response import table_response
from oversight.api.tables import TableFormat

METRIC_PATTERN = r"^[A-Za-z][A-Za-z0-9_]{0,60}$"
AeCodeP = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9]{3,7}$",
        description="today's organisation (ODS code), a region (Y56 ...) or ENGLAND",
        examples=["RAJ", "ENGLAND", "Y56"],
    ),
]
AeMetricQ = Annotated[
    str,
    Query(pattern=METRIC_PATTERN, description="A&E metric id", examples=["ae_4hr_all_types"]),
]

ComparatorQ = Annotated[
    str,
    Query(
        pattern=r"^[A-Za-z0-9]{3,7}$",
        description=ae_funnel_groups.query_description(),
        examples=["ENGLAND", "ICB", "SIZE", "Y56"],
    ),
]


class AeMetrics(RootModel[list[AeMetricOut]]):
    pass


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["A&E monthly"])

    @api.get("/ae/metrics", response_model=AeMetrics, summary="Monthly A&E metrics")
    def ae_metrics(request: Request) -> Response:
        site = site_of(request)
        return _memo_response(
            site, ("api-ae-metrics",), lambda: _json(AeMetrics(ae_records.metrics()))
        )

    @api.get(
        "/ae/organisations",
        response_model=AeOrgList,
        responses=TABLE,
        summary="England, regions and today's organisations with A&E data (search by q)",
    )
    def ae_organisations(
        request: Request,
        q: Annotated[str, Query(max_length=100, description="words of the name, or a code")] = "",
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        return table_response(
            site,
            ("api-ae-orgs", q, format),
            format,
            "ae-organisations",
            lambda: ae_records.find(site, q),
            lambda found: found.rows,
            AeOrg,
        )

    @api.get(
        "/series/{code}",
        response_model=SeriesView,
        responses=TABLE,
        summary="A monthly A&E series with its SPC (XmR) limits and Making Data Count rules",
    )
    def ae_series(
        request: Request,
        code: AeCodeP,
        metric: AeMetricQ = ae_records.DEFAULT_METRIC,
        as_published: Annotated[
            bool, Query(description="the code's own published rows, without predecessors")
        ] = False,
        limits: Annotated[
            Literal["phased", "single"],
            Query(
                description="phased: recalculated at the declared change points; single: one set"
            ),
        ] = "phased",
        comparator: ComparatorQ = "ENGLAND",
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        against = comparator.upper()
        return table_response(
            site,
            ("api-series", code.upper(), metric.casefold(), as_published, limits, against, format),
            format,
            f"{code.upper()}-{metric.casefold()}",
            lambda: ae_records.series_view(
                site, code, metric, as_published, limits, comparator=against
            ),
            lambda view: view.rows,
            SeriesPointOut,
        )

    @api.get(
        "/ae/funnel",
        response_model=FunnelView,
        responses=TABLE,
        summary="Funnel plot of a share across providers in one month",
    )
    def ae_funnel(
        request: Request,
        metric: AeMetricQ = ae_records.FUNNEL_METRIC,
        month: Annotated[
            str | None,
            Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; default the latest"),
        ] = None,
        comparator: ComparatorQ = "ENGLAND",
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        return table_response(
            site,
            ("api-funnel", metric.casefold(), month, comparator.upper(), format),
            format,
            f"funnel-{metric.casefold()}",
            lambda: ae_records.funnel_view(site, metric, month, comparator),
            lambda view: view.rows,
            FunnelRowOut,
        )

    return api


def policy_router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["read"])

    @api.get(
        "/consequences",
        response_model=Consequences,
        responses=TABLE,
        summary="Modelled consequences in a quarter (Oversight's national policy model)",
    )
    def consequences(
        request: Request,
        quarter: QuarterQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        q = site.quarter(quarter)
        return table_response(
            site,
            ("api-consequences", q, format),
            format,
            "consequences",
            lambda: consequences_records.consequences(site, q),
            lambda view: view.rows,
            ConsequenceRow,
        )

    return api
