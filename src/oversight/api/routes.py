"""The read-only HTTP API (``/api/v1``). Each route names what it reads; none writes.

Filters are compared in Python against the engine's cached results and sort keys come from a
fixed list, so no request text ever reaches SQL.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, RootModel

from oversight.api import records
from oversight.api.errors import ERRORS
from oversight.api.models import (
    FrameworkOut,
    LeagueRow,
    LeagueTable,
    MetricDef,
    MetricOrgRow,
    MetricResult,
    MetricView,
    OrgRecord,
    OrgSummary,
    QuarterOut,
    SearchResult,
    Standing,
    TrustTypeOut,
)
from oversight.api.tables import JSON_TYPE, TABLE_CONTENT, TableFormat, render
from oversight.service.league_query import BadQuery, LeagueQuery
from oversight.service.site import NotFound, Site

QuarterQ = Annotated[
    str | None,
    Query(
        max_length=40,
        description="'Q4 2025/26' or '2025-26-q4'; default: the latest stored quarter",
        examples=["Q4 2025/26", "2025-26-q1"],
    ),
]
FormatQ = Annotated[TableFormat, Query(description="json (default), csv or parquet")]
CodeP = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9]{3,6}$",
        description="ODS code of the organisation, e.g. RYY",
        examples=["RYY", "RV3"],
    ),
]
MetricP = Annotated[
    str,
    Path(
        pattern=r"^[Oo][Ff][0-9]{4}$",
        description="score ID (OF1xxx) or raw ID (OF0xxx)",
        examples=["OF1061", "OF0005"],
    ),
]
TrustTypeQ = Annotated[
    str | None,
    Query(
        max_length=80,
        description="trust type id or name; default: all",
        examples=["mental_health_community"],
    ),
]

TABLE = {**ERRORS, 200: {"content": TABLE_CONTENT}}


class Quarters(RootModel[list[QuarterOut]]):
    pass


class TrustTypes(RootModel[list[TrustTypeOut]]):
    pass


class Metrics(RootModel[list[MetricDef]]):
    pass


class Standings(RootModel[list[Standing]]):
    pass


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def _memo_response(
    site: Site, key: tuple[Any, ...], build: Any, headers: dict[str, str] | None = None
) -> Response:
    content, media = site.memo(key, build)
    return Response(content, media_type=media, headers=headers)


def _json(model: BaseModel) -> tuple[bytes, str]:
    return model.model_dump_json().encode("utf-8"), JSON_TYPE


def _download_name(fmt: TableFormat, stem: str) -> dict[str, str]:
    if fmt is TableFormat.json:
        return {}
    return {"Content-Disposition": f'attachment; filename="{stem}.{fmt.value}"'}


def league_key(
    q: str,
    t: str | None,
    wanted: LeagueQuery,
    sort: records.LeagueSort,
    limit: int,
    offset: int,
    fmt: TableFormat,
) -> tuple[Any, ...]:
    return ("league", q, t, wanted, sort, limit, offset, fmt)


def league_bytes(
    site: Site,
    q: str,
    t: str | None,
    wanted: LeagueQuery,
    sort: records.LeagueSort,
    limit: int,
    offset: int,
    fmt: TableFormat,
) -> tuple[bytes, str]:
    try:
        table = records.league(site, q, t, wanted, sort, limit, offset)
    except BadQuery as exc:
        # a value the table does not have is an unknown name, as an unknown trust type is
        # (404, naming the parameter); the schema's own limits give 422
        raise NotFound(exc.summary, exc.problems) from exc
    return render(fmt, table, table.rows, LeagueRow)


def org_bytes(site: Site, q: str, code: str, fmt: TableFormat) -> tuple[bytes, str]:
    record = records.org_record(site, q, code)
    return render(fmt, record, record.metrics, MetricResult)


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["read"])

    @api.get("/quarters", response_model=Quarters, summary="Quarters in the store")
    def quarters(request: Request) -> Response:
        site = site_of(request)
        return _memo_response(site, ("quarters",), lambda: _json(Quarters(records.quarters(site))))

    @api.get("/framework", response_model=FrameworkOut, summary="The framework in use")
    def framework(request: Request) -> Response:
        site = site_of(request)
        return _memo_response(site, ("framework",), lambda: _json(records.framework_out(site)))

    @api.get(
        "/trust-types",
        response_model=TrustTypes,
        responses=ERRORS,
        summary="Trust types ranked in a quarter",
    )
    def trust_types(request: Request, quarter: QuarterQ = None) -> Response:
        site = site_of(request)
        q = site.quarter(quarter)
        return _memo_response(
            site, ("trust-types", q), lambda: _json(TrustTypes(records.trust_types(site, q)))
        )

    @api.get(
        "/league-tables",
        response_model=LeagueTable,
        responses=TABLE,
        summary="League table: filter, sort, paginate, download",
    )
    def league_tables(
        request: Request,
        quarter: QuarterQ = None,
        trust_type: TrustTypeQ = None,
        region: Annotated[str | None, Query(max_length=80, description="NHS region")] = None,
        icb: Annotated[
            str | None, Query(max_length=10, description="ODS code of an ICB, e.g. QMJ")
        ] = None,
        subtype: Annotated[str | None, Query(max_length=80, description="trust subtype")] = None,
        segment: Annotated[int | None, Query(ge=1, le=5, description="final segment")] = None,
        sort: records.LeagueSort = records.LeagueSort.rank,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        q = site.quarter(quarter)
        t = site.trust_type(trust_type).id if trust_type else None
        wanted = LeagueQuery(region=region, icb=icb, subtype=subtype, segment=segment)
        key = league_key(q, t, wanted, sort, limit, offset, format)
        return _memo_response(
            site,
            key,
            partial(league_bytes, site, *key[1:]),
            _download_name(format, "league-table"),
        )

    @api.get(
        "/organisations",
        response_model=SearchResult,
        responses=TABLE,
        summary="Search organisations by name or ODS code",
    )
    def organisations(
        request: Request,
        q: Annotated[str, Query(max_length=100, description="words of the name, or a code")] = "",
        quarter: QuarterQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        qq = site.quarter(quarter)

        def build() -> tuple[bytes, str]:
            found = records.search(site, q, qq)
            return render(format, found, found.rows, OrgSummary)

        return _memo_response(
            site, ("search", q, qq, format), build, _download_name(format, "organisations")
        )

    @api.get(
        "/organisations/{code}",
        response_model=OrgRecord,
        responses=TABLE,
        summary="An organisation's full record (CSV/Parquet: its metrics)",
    )
    def organisation(
        request: Request,
        code: CodeP,
        quarter: QuarterQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        q = site.quarter(quarter)
        return _memo_response(
            site,
            ("org", q, code.upper(), format),
            partial(org_bytes, site, q, code.upper(), format),
            _download_name(format, code.upper()),
        )

    @api.get(
        "/organisations/{code}/history",
        response_model=Standings,
        responses=TABLE,
        summary="An organisation's segment and rank in every stored quarter",
    )
    def organisation_history(
        request: Request,
        code: CodeP,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)

        def build() -> tuple[bytes, str]:
            history = records.org_history(site, code)
            return render(format, Standings(history), history, Standing)

        return _memo_response(
            site,
            ("history", code.upper(), format),
            build,
            _download_name(format, f"{code.upper()}-history"),
        )

    @api.get("/metrics", response_model=Metrics, summary="Metrics of the framework")
    def metrics(request: Request) -> Response:
        site = site_of(request)
        return _memo_response(
            site, ("metrics",), lambda: _json(Metrics(records.framework_out(site).metrics))
        )

    @api.get(
        "/metrics/{metric_id}",
        response_model=MetricView,
        responses=TABLE,
        summary="Every organisation on one metric, with peers",
    )
    def metric(
        request: Request,
        metric_id: MetricP,
        quarter: QuarterQ = None,
        trust_type: TrustTypeQ = None,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        q = site.quarter(quarter)
        t = site.trust_type(trust_type).id if trust_type else None

        def build() -> tuple[bytes, str]:
            view = records.metric_view(site, q, metric_id, t)
            return render(format, view, view.rows, MetricOrgRow)

        return _memo_response(
            site,
            ("metric", q, metric_id.upper(), t, format),
            build,
            _download_name(format, metric_id.upper()),
        )

    return api
