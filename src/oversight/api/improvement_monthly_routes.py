"""Monthly improvement route: ``/api/v1/improvement/monthly/{metric}`` ranks a trust type's
providers by the change of their latest months against their own SPC (the monthly-series path of
issue 15, item 2; docs/method.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from oversight.api.improvement_monthly_models import MonthlyImprovementOut, MonthlyImprovementRow
from oversight.api.improvement_routes import TrustTypeRequired
from oversight.api.routes import TABLE, FormatQ, _download_name, _memo_response, site_of
from oversight.api.tables import TableFormat, render
from oversight.periods import Month
from oversight.service.improvement_monthly import MONTHS, monthly_improvement_view
from oversight.service.site import Site

METHOD = (
    "Each provider's mean over the window's months against the centre line of its own XmR chart "
    "of the months of the current SPC phase before them, in sigma units (mean moving range / "
    "1.128), signed so that positive is better; scored 1 (most improved) to 4 by the position "
    "score's rank_scale rule among the type's providers. Beyond common-cause variation: a window "
    "month beyond a limit, in a run of 7 on one side of the centre, in a trend of 7, or 2 of 3 "
    "near a limit (Making Data Count), with the limits fixed on the earlier months."
)

MetricPath = Annotated[
    str, Path(pattern=r"^[A-Za-z]{2}\d{4}$", description="source metric ID", examples=["OF0013"])
]
MonthQ = Annotated[
    str | None,
    Query(
        pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$",
        description="last month of the window, YYYY-MM (default: the latest stored)",
        examples=["2025-12"],
    ),
]
MonthsQ = Annotated[int, Query(ge=1, le=12, description="months in the window")]


def monthly_improvement_out(
    site: Site, trust_type: str, metric: str, month: str | None, months: int = MONTHS
) -> MonthlyImprovementOut:
    """The table as the API and the page show it."""
    view = monthly_improvement_view(site, trust_type, metric, month, months)
    t = view.table
    return MonthlyImprovementOut(
        computed_from=view.computed_from,
        metric_id=t.metric_id,
        title=t.title,
        unit=t.unit,
        polarity=t.polarity,
        collection=view.collection,
        trust_type=view.trust_type,
        window=t.window,
        baseline_from=t.baseline_from,
        change_points=view.change_points,
        peers_from=view.peers_from,
        method=METHOD,
        most_improved=[r.code for r in t.most_improved()],
        most_deteriorated=[r.code for r in t.most_deteriorated()],
        organisations=[
            MonthlyImprovementRow.model_validate(r, from_attributes=True).model_copy(
                update={"computed_from": f"monthly series, {t.window[0]} to {t.window[-1]}"}
            )
            for r in t.rows
        ],
    )


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["Improvement"])

    @api.get(
        "/improvement/monthly/{metric}",
        response_model=MonthlyImprovementOut,
        responses=TABLE,
        summary="Providers ranked by improvement against their own monthly SPC",
    )
    def improvement_monthly(
        request: Request,
        metric: MetricPath,
        trust_type: TrustTypeRequired,
        month: MonthQ = None,
        months: MonthsQ = MONTHS,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        kind = site.trust_type(trust_type).id
        key = str(Month.parse(month)) if month else None
        chosen = metric.upper()

        def build() -> tuple[bytes, str]:
            out = monthly_improvement_out(site, kind, chosen, key, months)
            return render(format, out, out.organisations, MonthlyImprovementRow)

        name = _download_name(format, f"improvement-monthly-{kind}-{chosen}")
        memo = ("api-improvement-monthly", kind, chosen, key, months, format)
        return _memo_response(site, memo, build, name)

    return api
