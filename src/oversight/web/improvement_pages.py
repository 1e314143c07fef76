"""The improvement page: a trust type ranked by improvement beside its official position, with
the scatter of one against the other."""

from __future__ import annotations

from typing import Any

from oversight.api.improvement_models import ImprovementRow
from oversight.api.improvement_routes import improvement_out
from oversight.service.site import Site, quarter_slug
from oversight.web.moves_charts import improvement_scatter
from oversight.web.pages import Page


def improvement_path(quarter: str, trust_type: str) -> str:
    return f"improvement/{quarter_slug(quarter)}/{trust_type}.html"


def improvement_page(site: Site, quarter: str, trust_type: str) -> Page:
    kind = site.trust_type(trust_type)
    view = improvement_out(site, quarter, kind.id)
    rows = [ImprovementRow.model_validate(r, from_attributes=True) for r in view.organisations]
    return Page(
        improvement_path(view.quarter, kind.id),
        "improvement.html",
        f"{kind.name}s: improvement beside position, {view.quarter}",
        view,
        rows,
        ImprovementRow,
        {
            "trust_type": kind,
            "all_quarters": site.quarters[1:],
            "scatter": improvement_scatter(rows),
        },
    )


def export_pages(site: Site) -> list[tuple[str, Any]]:
    """An improvement page for every trust type of every stored quarter after the first."""
    return [
        ("improvement", (q, t))
        for q in site.quarters[1:]
        for t in sorted({o.trust_type for o in site.result(q).orgs if o.rank is not None})
    ]
