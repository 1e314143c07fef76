"""The peer-league page: a trust type's league table re-ranked within a peer group, beside the
official segment and rank, with JSON and CSV twins."""

from __future__ import annotations

from typing import Any

from oversight.api.peer_models import PeerRowOut
from oversight.api.peer_routes import peer_league_out
from oversight.service.peer_league import grouping
from oversight.service.site import Site, quarter_slug
from oversight.web.pages import Page


def peer_path(quarter: str, peers: str, trust_type: str) -> str:
    return f"peers/{quarter_slug(quarter)}/{peers}/{trust_type}.html"


def peer_page(site: Site, quarter: str, peers: str, trust_type: str) -> Page:
    kind = site.trust_type(trust_type)
    chosen = grouping(site, peers)
    view = peer_league_out(site, quarter, kind.id, chosen.id)
    return Page(
        peer_path(view.quarter, chosen.id, kind.id),
        "peer_league.html",
        f"{kind.name}s re-ranked within peers by {chosen.name.lower()}, {view.quarter}",
        view,
        view.organisations,
        PeerRowOut,
        {
            "trust_type": kind,
            "grouping": chosen,
            "others": [
                (g.name, peer_path(view.quarter, g.id, kind.id))
                for g in site.framework.peer_groups
                if g.id != chosen.id and g.by != "trust_type"  # the official table: breadcrumb
            ],
        },
    )


def export_pages(site: Site) -> list[tuple[str, Any]]:
    """A peer page for every declared grouping, trust type and stored quarter."""
    return [
        ("peer_league", (q, g.id, t))
        for q in site.quarters
        for g in site.framework.peer_groups
        if g.by != "trust_type"
        for t in sorted({o.trust_type for o in site.result(q).orgs if o.rank is not None})
    ]
