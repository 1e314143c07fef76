"""Live routes of the MODELLED public-data pages (``/public/...``), each with ``.json`` and
``.csv`` twins. Registered before the quarter pages, whose ``/{quarter}/{kind}/{name}`` would
otherwise take ``/public/...`` for a quarter."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from oversight.web.routes import _split, league_response, page_response


def router() -> APIRouter:
    web = APIRouter(include_in_schema=False)

    @web.get("/public/index.{ext}")
    def public_index(request: Request, ext: str) -> Response:
        return page_response(request, "public_index", (), ext)

    @web.get("/public/{quarter}/compare.{ext}")
    def public_compare(request: Request, quarter: str, ext: str) -> Response:
        return page_response(request, "public_compare", (quarter,), ext)

    @web.get("/public/{quarter}/league/{name}")
    def public_league(request: Request, quarter: str, name: str) -> Response:
        stem, ext = _split(name)
        return league_response(request, "public_league", (quarter, stem), ext)

    @web.get("/public/{quarter}/metric/{trust_type}/{name}")
    def public_metric(request: Request, quarter: str, trust_type: str, name: str) -> Response:
        stem, ext = _split(name)
        return page_response(request, "public_metric", (quarter, trust_type, stem.upper()), ext)

    return web
