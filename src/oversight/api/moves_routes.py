"""Moves routes: ``/api/v1/moves`` (a quarter's moves and their summary) and
``/api/v1/organisations/{code}/moves`` (one organisation's move into every stored quarter).

A move is real when the two quarters' bootstraps put at least the framework's
``moves.real_at`` on a move in the observed direction (docs/method.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from oversight.api.moves_models import MoveOut, MoveSummaryOut, OrgMovesOut, QuarterMovesOut
from oversight.api.routes import (
    TABLE,
    CodeP,
    FormatQ,
    QuarterQ,
    TrustTypeQ,
    _download_name,
    _memo_response,
    site_of,
)
from oversight.api.tables import TableFormat, render
from oversight.engine.nof.moves import Move
from oversight.service.moves import organisation_moves, quarter_moves
from oversight.service.quarters import NotFound
from oversight.service.site import Site

CalibratedQ = Annotated[
    bool, Query(description="the empirical-Bayes calibrated bootstrap instead of the publisher's")
]


def move_out(m: Move) -> MoveOut:
    return MoveOut(
        trust_code=m.trust_code,
        trust_name=m.trust_name,
        trust_type=m.trust_type,
        before=m.before,
        after=m.after,
        segment_before=m.segment_before,
        segment_after=m.segment_after,
        segment_probability=m.segment_probability,
        segment_real=m.segment_real,
        rank_before=m.rank_before,
        rank_after=m.rank_after,
        rank_probability=m.rank_probability,
        rank_real=m.rank_real,
        rank_low_before=m.rank_range_before[0] if m.rank_range_before else None,
        rank_high_before=m.rank_range_before[1] if m.rank_range_before else None,
        rank_low_after=m.rank_range_after[0] if m.rank_range_after else None,
        rank_high_after=m.rank_range_after[1] if m.rank_range_after else None,
    )


def quarter_moves_out(
    site: Site, quarter: str, trust_type: str | None = None, calibrated: bool = False
) -> QuarterMovesOut:
    """The moves into a stored quarter as the API and the moves page show them."""
    found = quarter_moves(site, quarter, calibrated, trust_type)
    return QuarterMovesOut(
        before=found.before,
        after=found.after,
        real_at=found.real_at,
        calibrated=found.calibrated,
        summary=[MoveSummaryOut.model_validate(vars(s)) for s in found.summary],
        moves=[move_out(m) for m in found.moves],
    )


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["Moves"])

    @api.get(
        "/moves",
        response_model=QuarterMovesOut,
        responses=TABLE,
        summary="Moves of segment and rank into a quarter: real or not distinguishable from noise",
    )
    def moves(
        request: Request,
        quarter: QuarterQ = None,
        trust_type: TrustTypeQ = None,
        calibrated: CalibratedQ = False,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        q = site.quarter(quarter)
        t = site.trust_type(trust_type).id if trust_type else None

        def build() -> tuple[bytes, str]:
            out = quarter_moves_out(site, q, t, calibrated)
            return render(format, out, out.moves, MoveOut)

        key = ("api-moves", q, t, calibrated, format)
        return _memo_response(site, key, build, _download_name(format, "moves"))

    @api.get(
        "/organisations/{code}/moves",
        response_model=OrgMovesOut,
        responses=TABLE,
        summary="An organisation's move of segment and rank into every stored quarter",
    )
    def organisation(
        request: Request,
        code: CodeP,
        calibrated: CalibratedQ = False,
        format: FormatQ = TableFormat.json,  # noqa: A002
    ) -> Response:
        site = site_of(request)
        wanted = code.upper()

        def build() -> tuple[bytes, str]:
            found = organisation_moves(site, wanted, calibrated)
            if not found and all(r.org(wanted) is None for r in site.all_results()):
                raise NotFound(f"No organisation {wanted!r} in any stored quarter")
            out = OrgMovesOut(
                trust_code=wanted,
                real_at=site.framework.moves.real_at,
                calibrated=calibrated,
                moves=[move_out(m) for m in found.values()],
            )
            return render(format, out, out.moves, MoveOut)

        key = ("api-org-moves", wanted, calibrated, format)
        return _memo_response(site, key, build, _download_name(format, f"{wanted}-moves"))

    return api
