"""The API application: read routes, the admin route, one error shape, the store behind it."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import FastAPI

from oversight.api import (
    admin,
    ae_routes,
    ae_services_routes,
    balancing_routes,
    data_quality_routes,
    docs,
    errors,
    evaluation_routes,
    icb_routes,
    improvement_monthly_routes,
    improvement_routes,
    likely_ranks_routes,
    moves_routes,
    peer_routes,
    provider_services_routes,
    public_routes,
    routes,
)
from oversight.service.site import Site

DESCRIPTION = """Read-only access to NHS Oversight Framework league tables as reproduced and
explained
by Oversight: quarters, the framework, trust types, league tables (filter, sort, paginate), an
organisation's full record, every organisation on one metric, and search; monthly A&E
series with SPC limits and funnel plots; modelled consequences (what would follow under
Oversight's national policy model, not decisions anyone has taken); the example
evaluations of interventions with their estimates, checks and verdicts. Tables download as
JSON, CSV or Parquet (`format=`). Every error is `{ok: false, error, errors[], status}`.
The one write endpoint (`/api/v1/admin/ingest`) needs the server's admin token."""


def create_api(site: Site, admin_token: str | None = None) -> FastAPI:
    app = FastAPI(
        title="Oversight API",
        version=version("oversight"),
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        # FastAPI's own docs pages load scripts from a CDN: ours (docs.install) are vendored
        docs_url=None,
        redoc_url=None,
    )
    app.state.site = site
    app.state.admin_token = admin_token or None
    errors.install(app)
    app.include_router(routes.router())
    app.include_router(ae_routes.router())
    app.include_router(ae_routes.policy_router())
    app.include_router(evaluation_routes.router())
    app.include_router(public_routes.router())
    app.include_router(icb_routes.router())
    app.include_router(moves_routes.router())
    app.include_router(improvement_monthly_routes.router())
    app.include_router(improvement_routes.router())
    app.include_router(likely_ranks_routes.router())
    app.include_router(balancing_routes.router())
    app.include_router(ae_services_routes.router())
    app.include_router(provider_services_routes.router())
    app.include_router(data_quality_routes.router())
    app.include_router(peer_routes.router())
    app.include_router(admin.router())
    docs.install(app)
    return app
