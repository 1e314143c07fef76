"""The improvement page: a trust type ranked by improvement beside its official position, with
the scatter of one against the other."""

from __future__ import annotations

from typing import Any

from oversight.api.improvement_models import ImprovementRow
from oversight.api.improvement_monthly_models import MonthlyImprovementRow
from oversight.api.improvement_monthly_routes import monthly_improvement_out
from oversight.api.improvement_routes import improvement_out
from oversight.service.improvement_monthly import monthly_improvement_view, monthly_metrics
from oversight.service.quarters import NotFound
from oversight.service.site import Site, quarter_slug
from oversight.web.improvement_monthly_chart import monthly_scatter
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
            "monthly": [
                (improvement_monthly_path(kind.id, m), title)
                for m, title in stored_monthly_metrics(site, kind.id)
            ],
        },
    )


def export_pages(site: Site) -> list[tuple[str, Any]]:
    """An improvement page for every trust type of every stored quarter after the first."""
    return [
        ("improvement", (q, t))
        for q in site.quarters[1:]
        for t in sorted({o.trust_type for o in site.result(q).orgs if o.rank is not None})
    ]


def improvement_monthly_path(trust_type: str, metric_id: str) -> str:
    return f"improvement/monthly/{trust_type}/{metric_id}.html"


def stored_monthly_metrics(site: Site, trust_type: str) -> list[tuple[str, str]]:
    """(metric ID, title) of the type's metrics whose monthly series is stored."""
    out = []
    for m in monthly_metrics(trust_type):
        try:
            monthly_improvement_view(site, trust_type, m.metric_id)
        except NotFound:
            continue
        out.append((m.metric_id, m.title))
    return out


def improvement_monthly_page(site: Site, trust_type: str, metric_id: str) -> Page:
    """The type's providers ranked by improvement in one metric, from the monthly series: the
    latest months against each provider's own SPC, beside its position."""
    kind = site.trust_type(trust_type)
    view = monthly_improvement_out(site, kind.id, metric_id, None)
    window = f"{view.window[0]} to {view.window[-1]}"
    return Page(
        improvement_monthly_path(kind.id, view.metric_id),
        "improvement_monthly.html",
        f"{kind.name}s: improvement in {view.title} from the monthly series, {window}",
        view,
        view.organisations,
        MonthlyImprovementRow,
        {
            "trust_type": kind,
            "metrics": stored_monthly_metrics(site, kind.id),
            "scatter": monthly_scatter(view.organisations),
            "by_code": {r.code: r for r in view.organisations},
            "improvement_monthly_path": improvement_monthly_path,
        },
    )


def export_monthly_pages(site: Site) -> list[tuple[str, Any]]:
    """A monthly improvement page for every trust type and metric whose series is stored."""
    return [
        ("improvement_monthly", (t.id, m))
        for t in site.framework.trust_types
        for m, _ in stored_monthly_metrics(site, t.id)
    ]
