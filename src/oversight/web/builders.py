"""Every kind of page the dashboard has, by name, and which pages a static export writes.

``BUILDERS`` maps a kind to its builder (site, *args) -> Page. The live server builds a page on
its first request and keeps it; ``export_pages`` are all written by ``oversight publish``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oversight.service.site import Site
from oversight.web import (
    ae_pages,
    compare_pages,
    data_quality_pages,
    evaluation_pages,
    glossary_pages,
    icb_pages,
    improvement_pages,
    likely_ranks_pages,
    moves_pages,
    other_views,
    pages,
    peer_pages,
    policy_pages,
    public_pages,
    search_pages,
    services_pages,
)
from oversight.web.pages import Page

BUILDERS: dict[str, Callable[..., Page]] = {
    **pages.BUILDERS,
    "ae_index": ae_pages.ae_index,
    "ae_series": ae_pages.ae_series,
    "ae_funnel": ae_pages.ae_funnel,
    "consequences": policy_pages.consequences,
    "evaluations_index": evaluation_pages.evaluations_index,
    "evaluation": evaluation_pages.evaluation,
    "public_index": public_pages.public_index,
    "public_league": public_pages.public_league,
    "public_metric": public_pages.public_metric,
    "public_compare": public_pages.public_compare,
    "icbs": icb_pages.icbs,
    "icb": icb_pages.icb,
    "compare": compare_pages.compare,
    "search": search_pages.search,
    "services": services_pages.services_page,
    "glossary": glossary_pages.glossary_page,
    "moves": moves_pages.moves_page,
    "improvement": improvement_pages.improvement_page,
    "improvement_monthly": improvement_pages.improvement_monthly_page,
    "data_quality": data_quality_pages.data_quality_page,
    "peer_league": peer_pages.peer_page,
    "likely_ranks": likely_ranks_pages.likely_ranks_page,
    "public_likely_ranks": likely_ranks_pages.public_likely_ranks_page,
}
BUILDERS.update(other_views.with_other_views(BUILDERS))


def _policy_pages(site: Site) -> list[tuple[str, Any]]:
    return [("consequences", (q,)) for q in site.quarters]


def export_pages(site: Site) -> list[tuple[str, Any]]:
    return (
        pages.all_pages(site)
        + _policy_pages(site)
        + ae_pages.ae_export_pages(site)
        + evaluation_pages.export_pages(site)
        + public_pages.public_export_pages(site)
        + icb_pages.export_pages(site)
        + [("glossary", ())]
        + moves_pages.export_pages(site)
        + improvement_pages.export_pages(site)
        + improvement_pages.export_monthly_pages(site)
        + data_quality_pages.export_pages(site)
        + peer_pages.export_pages(site)
        + likely_ranks_pages.export_pages(site)
    )
