"""The search page, ``search.html?q=``: every kind of organisation (NOF trusts, modelled acute
and ambulance trusts, ICBs), each linked to the page that shows it."""

from __future__ import annotations

from pydantic import BaseModel

from oversight.service.org_search import ICB, NOF, Found, search_all
from oversight.service.provider_services import codes_with_services
from oversight.service.site import Site
from oversight.web.icb_pages import icb_path
from oversight.web.pages import Page, org_path
from oversight.web.public_pages import public_league_path


class FoundOut(BaseModel):
    kind: str  # nof, public (modelled from public data) or icb
    code: str
    name: str
    trust_type: str
    type_name: str
    region: str
    quarter: str
    segment: int | None
    rank: int | None
    page: str  # the page that shows it, relative to the site root


class OrgSearch(BaseModel):
    query: str
    total: int
    rows: list[FoundOut]


def page_of(f: Found) -> str:
    if f.kind == NOF:
        return org_path(f.quarter, f.code)
    if f.kind == ICB:
        return icb_path(f.quarter, f.code)
    return public_league_path(f.quarter, f.trust_type) + f"#org-{f.code}"


def search(site: Site, query: str) -> Page:
    rows = [FoundOut(**f.__dict__, page=page_of(f)) for f in search_all(site, query)]
    found = OrgSearch(query=query, total=len(rows), rows=rows)
    return Page(
        "search.html",
        "search.html",
        f"Search: {query}" if query else "Find an organisation",
        found,
        rows,
        FoundOut,
        {"query": query, "services_codes": codes_with_services(site)},
    )
