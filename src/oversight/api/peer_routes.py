"""Peer-league route: ``/api/v1/peer-league`` re-ranks a trust type's league table within a
peer group the framework declares (subtype, region), beside the official result
(docs/method.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from oversight.api.improvement_routes import TrustTypeRequired
from oversight.api.peer_models import PeerRowOut, PeerTableOut
from oversight.api.routes import TABLE, FormatQ, QuarterQ, _download_name, _memo_response, site_of
from oversight.api.tables import TableFormat, render
from oversight.service.peer_league import grouping, peer_league
from oversight.service.site import Site

PeersQ = Annotated[
    str,
    Query(
        max_length=40, description="a peer grouping the framework declares", examples=["subtype"]
    ),
]
WiderQ = Annotated[
    bool,
    Query(description="also narrow the metrics ranked beyond the trust type to the peers"),
]


def peer_league_out(
    site: Site, quarter: str, trust_type: str, peers: str, wider_pools: bool = False
) -> PeerTableOut:
    """The re-ranked table as the API and the peer page show it."""
    table = peer_league(site, quarter, trust_type, peers, wider_pools)
    return PeerTableOut(
        quarter=table.quarter,
        trust_type=table.trust_type,
        peers=table.grouping,
        peers_name=table.grouping_name,
        wider_pools=table.wider_pools,
        cut_points=list(table.cut_points),
        changed=[r.trust_code for r in table.changed],
        organisations=[
            PeerRowOut.model_validate({**r.__dict__, "segment_changed": r.segment_changed})
            for r in table.rows
        ],
    )


def router() -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["Peer groups"])

    @api.get(
        "/peer-league",
        response_model=PeerTableOut,
        responses=TABLE,
        summary="A league table re-ranked within peer groups, beside the official result",
    )
    def peer_league_route(
        request: Request,
        trust_type: TrustTypeRequired,
        peers: PeersQ,
        quarter: QuarterQ = None,
        wider_pools: WiderQ = False,
        format: FormatQ = TableFormat.json,  # noqa: A002 - the public parameter name
    ) -> Response:
        site = site_of(request)
        q = site.quarter(quarter)
        kind = site.trust_type(trust_type).id
        chosen = grouping(site, peers).id

        def build() -> tuple[bytes, str]:
            out = peer_league_out(site, q, kind, chosen, wider_pools)
            return render(format, out, out.organisations, PeerRowOut)

        key = ("api-peer-league", q, kind, chosen, wider_pools, format)
        name = f"peer-league-{kind}-{chosen}"
        return _memo_response(site, key, build, _download_name(format, name))

    return api
