"""“Other views of this table”: the links from a league table, and from an organisation's page,
to the fairer-tables pages of the same quarter and trust type (likely ranks, moves,
improvement, peer leagues, data quality, balancing measures).

The builders of the league, organisation and modelled league pages are wrapped so their pages
carry ``other_views``, a list of (label, path, anchor) the templates render; a view that does
not exist for the quarter (no moves into the first stored quarter) is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oversight.service.site import Site
from oversight.web.data_quality_pages import data_quality_path
from oversight.web.improvement_pages import improvement_path
from oversight.web.likely_ranks_pages import likely_ranks_path, public_likely_ranks_path
from oversight.web.moves_pages import moves_path
from oversight.web.pages import Page
from oversight.web.peer_pages import peer_path

View = tuple[str, str, str]  # label, path, anchor ("" for the top of the page)
BALANCING_API = "api/v1/balancing"  # live only: monthly A&E, not a page of the quarter


def nof_views(site: Site, quarter: str, trust_type: str, anchor: str = "") -> list[View]:
    """The views of one NOF league table; ``anchor``: an organisation's row where the page has
    one (the likely-ranks page names each row ``org-CODE``)."""
    views: list[View] = [
        ("Every likely rank (caterpillar plot)", likely_ranks_path(quarter, trust_type), anchor)
    ]
    if quarter in site.quarters[1:]:
        views += [
            ("Is the move real? Every move from the quarter before", moves_path(quarter), ""),
            ("Improvement beside position", improvement_path(quarter, trust_type), ""),
        ]
    views += [
        (f"Re-ranked within peers by {g.name.lower()}", peer_path(quarter, g.id, trust_type), "")
        for g in site.framework.peer_groups
        if g.by != "trust_type"
    ]
    views.append(
        (
            "Data quality: flagged values and the table without them",
            data_quality_path(quarter, trust_type),
            "",
        )
    )
    return views


def _league(build: Callable[..., Page]) -> Callable[..., Page]:
    def built(site: Site, quarter: str, trust_type: str, *rest: Any) -> Page:
        page = build(site, quarter, trust_type, *rest)
        kind = site.trust_type(trust_type).id
        page.context.update(other_views=nof_views(site, quarter, kind), balancing=BALANCING_API)
        return page

    return built


def _organisation(build: Callable[..., Page]) -> Callable[..., Page]:
    def built(site: Site, quarter: str, code: str) -> Page:
        page = build(site, quarter, code)
        record: Any = page.model
        views = nof_views(site, quarter, record.trust_type, f"org-{record.trust_code}")
        page.context.update(other_views=views, balancing=BALANCING_API)
        return page

    return built


def _public_league(build: Callable[..., Page]) -> Callable[..., Page]:
    def built(site: Site, quarter: str, trust_type: str, *rest: Any) -> Page:
        page = build(site, quarter, trust_type, *rest)
        view: Any = page.model
        path = public_likely_ranks_path(view.quarter, view.trust_type)
        page.context["other_views"] = [("Every likely rank (caterpillar plot), modelled", path, "")]
        return page

    return built


def with_other_views(builders: dict[str, Callable[..., Page]]) -> dict[str, Callable[..., Page]]:
    """The league, organisation and modelled league builders, wrapped."""
    return {
        "league": _league(builders["league"]),
        "organisation": _organisation(builders["organisation"]),
        "public_league": _public_league(builders["public_league"]),
    }
