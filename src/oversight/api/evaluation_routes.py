"""Read routes for the example evaluations (``/api/v1/evaluations``): the same figures as the
dashboard's evaluation pages, from ``oversight.evaluation`` on the store (api/evaluation_records).
Plan ids only ever select among the bundled examples (unknown: 404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from oversight.api import evaluation_records as records
from oversight.api.evaluation_records import EvaluationIndex, EvaluationRow, EvaluationView
from oversight.api.routes import TABLE, FormatQ, _json, _memo_response, site_of
from oversight.api.table_response import table_response
from oversight.api.tables import TableFormat

PlanIdP = Annotated[
    str,
    Path(
        pattern=r"^[a-z0-9_]{1,60}$",
        description="an example plan: the name of examples/evaluations/NAME.yaml",
        examples=["organ_donation", "mpdta"],
    ),
]


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["evaluations"])

    @api.get(
        "/evaluations",
        response_model=EvaluationIndex,
        responses=TABLE,
        summary="The example evaluations: estimates, intervals, checks and verdicts",
    )
    def evaluations(
        request: Request,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        done = records.computed_on_request(site)
        return table_response(
            site,
            ("api-evaluations", done, format),
            format,
            "evaluations",
            lambda: records.index(site),
            lambda ix: ix.rows,
            EvaluationRow,
        )

    @api.get(
        "/evaluations/{plan_id}",
        response_model=EvaluationView,
        responses={
            **TABLE,
            202: {
                "model": EvaluationView,
                "description": "Being computed since the server started: status "
                "'being computed', no results yet; ask again after Retry-After seconds",
            },
        },
        summary="One example evaluation run on the store (computed when the server starts)",
    )
    def evaluation(request: Request, plan_id: PlanIdP) -> Response:
        site = site_of(request)
        return _memo_response(
            site, ("api-evaluation", plan_id), lambda: _json(records.view(site, plan_id))
        )

    return api
