"""A provider's services page, ``services/{code}.html?month=`` (issue 15, item 6): every split
of its activity the source statistics give, each part with its own rank and interval, and the
parts that drive its position. Built by :mod:`service.provider_services`; rendered here."""

from __future__ import annotations

from oversight.api.provider_services_routes import ServiceRowOut, services_out
from oversight.service.provider_services import TOO_FEW, provider_services
from oversight.service.site import Site
from oversight.web.pages import Page


def services_path(code: str) -> str:
    return f"services/{code.upper()}.html"


def services_page(site: Site, code: str, month: str | None = None) -> Page:
    found = provider_services(site, code, month)
    model, rows = services_out(found)
    name = found.name or found.code
    return Page(
        services_path(found.code),
        "services.html",
        f"Services: {name} ({found.code})" + (f", {found.month}" if found.month else ""),
        model,
        rows,
        ServiceRowOut,
        {"too_few": TOO_FEW},
        f"?month={found.month}" if found.month else "",
    )
