"""The likely-ranks page of a league table: the caterpillar plot of every organisation's likely
rank, with the table of the same numbers (its text alternative) and JSON and CSV twins.

Paths: ``likely-ranks/2025-26-q4/acute.html`` for a NOF league table (beside
``improvement/...`` and ``data-quality/...``) and ``public/2025-26-q1/likely-ranks/acute.html``
for a MODELLED public-data one.
"""

from __future__ import annotations

from typing import Any

from oversight.api import public_records
from oversight.api.likely_ranks_models import LikelyRankRow
from oversight.api.likely_ranks_routes import nof_out, public_out
from oversight.service.public_scoring import MODELLED
from oversight.service.site import Site, quarter_slug
from oversight.web.likely_ranks_charts import caterpillar
from oversight.web.pages import Page, league_path, org_path, relative
from oversight.web.public_pages import HEADING, public_index_path, public_league_path


def likely_ranks_path(quarter: str, trust_type: str) -> str:
    return f"likely-ranks/{quarter_slug(quarter)}/{trust_type}.html"


def public_likely_ranks_path(quarter: str, trust_type: str) -> str:
    return f"public/{quarter_slug(quarter)}/likely-ranks/{trust_type}.html"


def likely_ranks_page(site: Site, quarter: str, trust_type: str) -> Page:
    view = nof_out(site, quarter, trust_type)
    path = likely_ranks_path(view.quarter, view.trust_type)
    return Page(
        path,
        "likely_ranks.html",
        f"{view.trust_type_name}s: every likely rank, {view.quarter}",
        view,
        view.rows,
        LikelyRankRow,
        {
            "league_link": league_path(view.quarter, view.trust_type),
            "org_links": {r.trust_code: org_path(view.quarter, r.trust_code) for r in view.rows},
            "chart": caterpillar(view, lambda code: relative(path, org_path(view.quarter, code))),
            "all_quarters": [(q, likely_ranks_path(q, view.trust_type)) for q in site.quarters],
        },
    )


def public_likely_ranks_page(site: Site, quarter: str, trust_type: str) -> Page:
    view = public_out(site, quarter, trust_type)
    return Page(
        public_likely_ranks_path(view.quarter, view.trust_type),
        "likely_ranks.html",
        f"{view.trust_type_name}s: every likely rank, modelled, {view.quarter}",
        view,
        view.rows,
        LikelyRankRow,
        {
            "heading": HEADING,
            "note": MODELLED,
            "index_path": public_index_path(),
            "league_link": public_league_path(view.quarter, view.trust_type),
            "org_links": {},
            "chart": caterpillar(view, lambda code: f"#org-{code}"),
            "all_quarters": [
                (q, public_likely_ranks_path(q, view.trust_type))
                for q in public_records.covered(site)
            ],
        },
    )


def export_pages(site: Site) -> list[tuple[str, Any]]:
    """A likely-ranks page for every ranked trust type of every stored quarter, and for every
    modelled table."""
    nof = [
        ("likely_ranks", (q, t))
        for q in site.quarters
        for t in sorted({o.trust_type for o in site.result(q).orgs if o.rank is not None})
    ]
    public = [
        ("public_likely_ranks", (q, t))
        for q in public_records.covered(site)
        for t, _ in public_records.trust_types(site, q)
    ]
    return nof + public
