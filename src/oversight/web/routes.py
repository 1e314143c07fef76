"""Live dashboard routes: each page at ``.html`` with ``.json`` and ``.csv`` twins beside it."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from oversight.api.errors import from_user_error
from oversight.api.evaluation_records import computed_on_request
from oversight.api.tables import CSV_TYPE, JSON_TYPE, columns_of, to_csv
from oversight.errors import UserError
from oversight.service.site import NotFound, Site
from oversight.web.ae_pages import AS_PUBLISHED
from oversight.web.builders import BUILDERS
from oversight.web.render import render, render_error

HTML_TYPE = "text/html; charset=utf-8"
EXTENSIONS = ("html", "json", "csv")


def page_bytes(site: Site, kind: str, args: tuple[Any, ...], ext: str) -> tuple[bytes, str]:
    page = BUILDERS[kind](site, *args)
    if ext == "json":
        return page.model.model_dump_json().encode("utf-8"), JSON_TYPE
    if ext == "csv":
        return to_csv(page.rows, columns_of(page.row_model)), CSV_TYPE
    return render(page, live=True).encode("utf-8"), HTML_TYPE


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
    def ae_funnel(request: Request, metric: str, name: str) -> Response:
        stem, ext = _split(name)
        return page_response(request, "ae_funnel", (metric, stem), ext)

    @web.get("/ae/{code}/{name}")
    def ae_series(request: Request, code: str, name: str) -> Response:
        stem, ext = _split(name)
        metric = stem.removesuffix(AS_PUBLISHED)
        return page_response(request, "ae_series", (code.upper(), metric, metric != stem), ext)

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
        return page_response(request, "icbs", (stem,), ext)

    @web.get("/icbs/{quarter}/{name}")
    def icb(request: Request, quarter: str, name: str) -> Response:
        stem, ext = _split(name)
        return page_response(request, "icb", (quarter, stem.upper()), ext)

    @web.get("/{quarter}/consequences.{ext}")
    def consequences(request: Request, quarter: str, ext: str) -> Response:
        site: Site = request.app.state.site
        try:
            q = site.quarter(quarter)
        except NotFound as exc:
            return page_error(request, exc, ext)
        return page_response(request, "consequences", (q,), ext)

    @web.get("/improvement/{quarter}/{name}")
    def improvement(request: Request, quarter: str, name: str) -> Response:
        stem, ext = _split(name)
        site: Site = request.app.state.site
        try:
            q = site.quarter(quarter)
        except NotFound as exc:
            return page_error(request, exc, ext)
        return page_response(request, "improvement", (q, stem), ext)

    @web.get("/{quarter}/moves.{ext}")
    def moves(request: Request, quarter: str, ext: str) -> Response:
        site: Site = request.app.state.site
        try:
            q = site.quarter(quarter)
        except NotFound as exc:
            return page_error(request, exc, ext)
        return page_response(request, "moves", (q,), ext)

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
        return page_response(request, builder, (q, stem.upper() if kind != "league" else stem), ext)

    return web


def page_error(request: Request, exc: NotFound, ext: str) -> Response:
    if ext in ("json", "csv"):
        return from_user_error(exc, 404)
    html = render_error(404, exc.summary, [p.message for p in exc.problems], request.url.path)
    return HTMLResponse(html, status_code=404)
