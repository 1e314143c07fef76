"""Comparable peers: with one peer group per trust type (the official grouping, or a subtype
every organisation shares) the re-ranked table is the official one."""

from __future__ import annotations

from itertools import product

from hypothesis import given

from oversight.engine.nof.peer_groups import peer_table
from oversight.frameworks.model import PeerGrouping
from tests.property.test_engine_properties import FAST, SMALL, TYPES, Org, organisations, run

GROUPINGS = [
    PeerGrouping(id="trust_type", name="Trust type", by="trust_type"),
    PeerGrouping(id="subtype", name="Trust subtype", by="subtype"),
    PeerGrouping(id="region", name="NHS region", by="region"),
]


@FAST
@given(organisations())
def test_one_peer_group_per_trust_type_is_the_official_table(orgs: list[Org]) -> None:
    result = run(orgs)
    for grouping, wider_pools, kind in product(GROUPINGS, (False, True), TYPES):
        # SMALL ranks every metric within the trust type, so wider_pools changes nothing either
        table = peer_table(SMALL, result, kind, grouping, wider_pools)
        official = {
            o.trust_code: (o.average_score, o.segment, o.segment_final, o.rank)
            for o in result.orgs
            if o.trust_type == kind
        }
        peers = {
            r.trust_code: (r.average_score, r.segment, r.segment_final, r.rank) for r in table.rows
        }
        assert peers == official
        assert table.changed == []
