"""The whole server: the API, the dashboard pages and their static assets."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from oversight.api.app import create_api
from oversight.api.http import Hardened, api_not_found
from oversight.api.response_cache import ResponseCache
from oversight.service.site import Site
from oversight.web import expensive_pages, likely_ranks_routes, public_routes, routes

STATIC = Path(__file__).parent / "static"


def create_app(
    site: Site, admin_token: str | None = None, response_cache: bool | None = None
) -> FastAPI:
    """``response_cache``: answer repeated GETs from kept bytes before routing (default: when
    the site keeps built responses at all)."""
    app = create_api(site, admin_token)
    expensive_pages.install(app)
    api_not_found(app)  # after every API route, before the dashboard's catch-all routes
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(public_routes.router())  # before routes: /{quarter}/... matches all
    app.include_router(likely_ranks_routes.router())
    app.include_router(routes.router())
    app.add_middleware(Hardened)
    # outside Hardened: a kept response carries the security headers it was built with
    keep = site.caches_responses if response_cache is None else response_cache
    app.add_middleware(ResponseCache, site=site, enabled=keep)
    return app
