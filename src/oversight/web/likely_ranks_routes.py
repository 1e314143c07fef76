"""Live routes of the likely-ranks pages, each with ``.json`` and ``.csv`` twins:
``/likely-ranks/{quarter}/{trust_type}.html`` (a NOF league table) and
``/public/{quarter}/likely-ranks/{trust_type}.html`` (a MODELLED one). Registered before the
quarter pages, whose ``/{quarter}/{kind}/{name}`` would otherwise take them."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from oversight.web.routes import _split, page_response, quarter_response


def router() -> APIRouter:
    web = APIRouter(include_in_schema=False)

    @web.get("/likely-ranks/{quarter}/{name}")
    def likely_ranks(request: Request, quarter: str, name: str) -> Response:
        stem, ext = _split(name)
        return quarter_response(request, "likely_ranks", quarter, (stem[:80],), ext)

    @web.get("/public/{quarter}/likely-ranks/{name}")
    def public_likely_ranks(request: Request, quarter: str, name: str) -> Response:
        stem, ext = _split(name)
        return page_response(request, "public_likely_ranks", (quarter[:40], stem[:40]), ext)

    return web
