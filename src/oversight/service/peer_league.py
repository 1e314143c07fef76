"""Comparable peers: a trust type's league table re-ranked within a declared peer group, beside
the official one, for every face."""

from __future__ import annotations

from oversight.engine.nof.peer_groups import PeerTable, peer_table
from oversight.errors import Problem
from oversight.frameworks.model import PeerGrouping
from oversight.service.quarters import NotFound
from oversight.service.site import Site


def grouping(site: Site, peers: str) -> PeerGrouping:
    """The framework's peer grouping called ``peers`` (its id, any case)."""
    found = site.framework.peer_grouping(peers.strip().casefold())
    if found is None:
        known = ", ".join(g.id for g in site.framework.peer_groups) or "none declared"
        raise NotFound(
            f"Unknown peer grouping {peers!r}",
            [Problem(f"the framework file declares: {known}", field="peers")],
        )
    return found


def peer_league(
    site: Site, quarter: str | None, trust_type: str, peers: str, wider_pools: bool = False
) -> PeerTable:
    """The quarter (any spelling; None the latest) re-ranked within ``peers`` groups; with
    ``wider_pools`` the metrics ranked beyond the trust type are narrowed to the peers too."""
    q = site.quarter(quarter)
    kind = site.trust_type(trust_type).id
    chosen = grouping(site, peers)

    def build() -> PeerTable:
        return peer_table(site.framework, site.result(q), kind, chosen, wider_pools)

    table: PeerTable = site.memo(("peer-league", q, kind, chosen.id, wider_pools), build)
    return table
