"""Live dashboard routes: each page at ``.html`` with ``.json`` and ``.csv`` twins beside it."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from oversight.api.errors import from_user_error
from oversight.api.evaluation_records import computed_on_request
from oversight.api.tables import CSV_TYPE, JSON_TYPE, columns_of, to_csv
from oversight.errors import UserError
from oversight.service.site import NotFound, Site
from oversight.service.updated import data_updated, updated_label
from oversight.web.ae_pages import AS_PUBLISHED
from oversight.web.builders import BUILDERS
from oversight.web.dataset import DATASET_PATH, dataset_zip
from oversight.web.league_params import league_query
from oversight.web.render import render, render_error

HTML_TYPE = "text/html; charset=utf-8"
EXTENSIONS = ("html", "json", "csv")


def page_bytes(site: Site, kind: str, args: tuple[Any, ...], ext: str) -> tuple[bytes, str]:
    page = BUILDERS[kind](site, *args)
    if ext == "json":
        return page.model.model_dump_json().encode("utf-8"), JSON_TYPE
    if ext == "csv":
        return to_csv(page.rows, columns_of(page.row_model)), CSV_TYPE
    html = render(page, live=True, updated=updated_label(data_updated(site)))
    return html.encode("utf-8"), HTML_TYPE


def page_response(request: Request, kind: str, args: tuple[Any, ...], ext: str) -> Response:
    site: Site = request.app.state.site
    try:
        if ext not in EXTENSIONS:
            raise NotFound(f"No page {request.url.path}", [])
        content, media = site.memo(
            ("page", kind, args, ext), partial(page_bytes, site, kind, args, ext)
        )
    except UserError as exc:
        status = 404 if isinstance(exc, NotFound) else 422
        if ext == "html" or ext not in EXTENSIONS:
            html = render_error(
                status, exc.summary, [p.message for p in exc.problems], request.url.path
            )
            return HTMLResponse(html, status_code=status)
        return from_user_error(exc, status)
    headers = {}
    if ext == "html":
        stem = request.url.path.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "index"
        headers["Link"] = f'<{stem}.json>; rel="alternate"; type="application/json"'
    return Response(content, media_type=media, headers=headers)


def _split(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    return (stem, ext) if dot else (name, "")


def router() -> APIRouter:
    web = APIRouter(include_in_schema=False)

    @web.get("/")
    def root(request: Request) -> Response:
        return page_response(request, "home", (), "html")

    @web.get("/index.{ext}")
    def home(request: Request, ext: str) -> Response:
        return page_response(request, "home", (), ext)

    @web.get("/" + DATASET_PATH)
    def dataset(request: Request) -> Response:
        site: Site = request.app.state.site
        content = site.memo(("dataset-zip",), partial(dataset_zip, site))
        name = DATASET_PATH.rsplit("/", 1)[-1]
        return Response(
            content,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @web.get("/glossary.{ext}")
    def glossary(request: Request, ext: str) -> Response:
        return page_response(request, "glossary", (), ext)

    @web.get("/search.{ext}")
    def search(
        request: Request, ext: str, q: Annotated[str, Query(max_length=100)] = ""
    ) -> Response:
        return page_response(request, "search", (q.strip(),), ext)

    @web.get("/ae/index.{ext}")
    def ae_index(
        request: Request, ext: str, q: Annotated[str, Query(max_length=100)] = ""
    ) -> Response:
        return page_response(request, "ae_index", (q.strip(),), ext)

    @web.get("/ae/funnel/{metric}/{name}")
    def ae_funnel(
        request: Request,
        metric: str,
        name: str,
        month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
        comparator: Annotated[str, Query(pattern=r"^[A-Za-z0-9]{3,7}$")] = "ENGLAND",
    ) -> Response:
        stem, ext = _split(name)
        centre = comparator.upper()
        if month and month != stem:  # the month picker's form (no script): that month's page
            folder = request.url.path.rsplit("/", 1)[0]
            again = "" if centre == "ENGLAND" else f"?comparator={centre}"
            return RedirectResponse(f"{folder}/{month}.{ext or 'html'}{again}", status_code=303)
        return page_response(request, "ae_funnel", (metric, stem, centre), ext)

    @web.get("/ae/{code}/{name}")
    def ae_series(
        request: Request,
        code: str,
        name: str,
        comparator: Annotated[str, Query(pattern=r"^[A-Za-z0-9]{3,7}$")] = "ENGLAND",
    ) -> Response:
        stem, ext = _split(name)
        metric = stem.removesuffix(AS_PUBLISHED)
        args = (code.upper(), metric, metric != stem)
        against = comparator.upper()
        return page_response(
            request, "ae_series", args if against == "ENGLAND" else (*args, against), ext
        )

    @web.get("/services/{name}")
    def services(
        request: Request,
        name: str,
        month: Annotated[str, Query(pattern=r"^(\d{4}-\d{2})?$")] = "",
    ) -> Response:
        stem, ext = _split(name)  # no month (the form's "latest"): each split's latest
        return page_response(request, "services", (stem.upper()[:10], month or None), ext)

    @web.get("/evaluations/{name}")
    def evaluations(request: Request, name: str) -> Response:
        stem, ext = _split(name)
        if stem == "index":
            computed = computed_on_request(request.app.state.site)
            return page_response(request, "evaluations_index", (computed,), ext)
        return page_response(request, "evaluation", (stem,), ext)

    @web.get("/icbs/{name}")
    def icbs(request: Request, name: str) -> Response:
        stem, ext = _split(name)
        return league_response(request, "icbs", (stem,), ext)

    @web.get("/icbs/{quarter}/{name}")
    def icb(request: Request, quarter: str, name: str) -> Response:
        stem, ext = _split(name)
        return page_response(request, "icb", (quarter, stem.upper()), ext)

    @web.get("/{quarter}/consequences.{ext}")
    def consequences(
        request: Request,
        quarter: str,
        ext: str,
        consequence: Annotated[str, Query(max_length=200)] = "",
        region: Annotated[str, Query(max_length=100)] = "",
        icb: Annotated[str, Query(max_length=20)] = "",
        segment: Annotated[str, Query(max_length=2)] = "",
    ) -> Response:
        filters = (consequence.strip(), region.strip(), icb.strip(), segment.strip())
        return quarter_response(request, "consequences", quarter, filters, ext)

    @web.get("/{quarter}/compare.{ext}")
    def compare(request: Request, quarter: str, ext: str) -> Response:
        codes = tuple(c.strip().upper()[:10] for c in request.query_params.getlist("org")[:10])
        return quarter_response(request, "compare", quarter, (codes,), ext)

    @web.get("/improvement/monthly/{trust_type}/{name}")
    def improvement_monthly(request: Request, trust_type: str, name: str) -> Response:
        stem, ext = _split(name)
        return page_response(request, "improvement_monthly", (trust_type[:80], stem.upper()), ext)

    @web.get("/improvement/{quarter}/{name}")
    def improvement(request: Request, quarter: str, name: str) -> Response:
        stem, ext = _split(name)
        return quarter_response(request, "improvement", quarter, (stem,), ext)

    @web.get("/data-quality/{quarter}/{name}")
    def data_quality(request: Request, quarter: str, name: str) -> Response:
        stem, ext = _split(name)
        return quarter_response(request, "data_quality", quarter, (stem,), ext)

    @web.get("/peers/{quarter}/{peers}/{name}")
    def peer_league(request: Request, quarter: str, peers: str, name: str) -> Response:
        stem, ext = _split(name)
        return quarter_response(request, "peer_league", quarter, (peers[:40], stem), ext)

    @web.get("/{quarter}/moves.{ext}")
    def moves(request: Request, quarter: str, ext: str) -> Response:
        return quarter_response(request, "moves", quarter, (), ext)

    @web.get("/{quarter}/{kind}/{name}")
    def quarter_page(request: Request, quarter: str, kind: str, name: str) -> Response:
        stem, ext = _split(name)
        builder = {"league": "league", "org": "organisation", "metric": "metric"}.get(kind)
        site: Site = request.app.state.site
        try:
            if builder is None:
                raise NotFound(f"No page {request.url.path}", [])
            q = site.quarter(quarter)
        except NotFound as exc:
            return page_error(request, exc, ext)
        if kind == "league":
            return league_response(request, "league", (q, stem), ext)
        return page_response(request, builder, (q, stem.upper()), ext)

    return web


def quarter_response(
    request: Request, kind: str, quarter: str, args: tuple[Any, ...], ext: str
) -> Response:
    """A page of one quarter: the quarter resolved first (unknown: 404), then ``args``."""
    try:
        q = request.app.state.site.quarter(quarter)
    except NotFound as exc:
        return page_error(request, exc, ext)
    return page_response(request, kind, (q, *args), ext)


def league_response(request: Request, kind: str, args: tuple[Any, ...], ext: str) -> Response:
    """A league page with its filters and sort from the query string (a bad value: 422)."""
    try:
        query = league_query(request.query_params)
    except UserError as exc:
        return page_error(request, exc, ext, 422)
    return page_response(request, kind, (*args, query), ext)


def page_error(request: Request, exc: UserError, ext: str, status: int = 404) -> Response:
    if ext in ("json", "csv"):
        return from_user_error(exc, status)
    html = render_error(status, exc.summary, [p.message for p in exc.problems], request.url.path)
    return HTMLResponse(html, status_code=status)
