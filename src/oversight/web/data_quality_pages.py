"""The data-quality page: a trust type's values flagged by the framework's data-quality rules,
and the organisations whose segment changes when the table is recomputed without them."""

from __future__ import annotations

from typing import Any

from oversight.api.data_quality_routes import FlagRow, data_quality_out
from oversight.service.site import Site, quarter_slug
from oversight.web.pages import Page


def data_quality_path(quarter: str, trust_type: str) -> str:
    return f"data-quality/{quarter_slug(quarter)}/{trust_type}.html"


def data_quality_page(site: Site, quarter: str, trust_type: str) -> Page:
    kind = site.trust_type(trust_type)
    view = data_quality_out(site, quarter, kind.id, recompute=True)
    names = {o.trust_code: o.trust_name for o in site.result(view.quarter).orgs}
    return Page(
        data_quality_path(view.quarter, kind.id),
        "data_quality.html",
        f"{kind.name}s: data quality, {view.quarter}",
        view,
        view.flags,
        FlagRow,
        {"trust_type": kind, "names": names},
    )


def export_pages(site: Site) -> list[tuple[str, Any]]:
    """A data-quality page for every trust type of every stored quarter."""
    return [
        ("data_quality", (q, t))
        for q in site.quarters
        for t in sorted({o.trust_type for o in site.result(q).orgs if o.rank is not None})
    ]
