"""Comparable peers on a hand-built quarter: re-ranking within subtype moves the expected
organisations, and the financial override still holds."""

from __future__ import annotations

from oversight.engine.nof.metric_scores import MetricScore
from oversight.engine.nof.peer_groups import peer_scores, peer_table
from oversight.engine.nof.results import OrgResult
from oversight.frameworks import load_framework
from oversight.frameworks.model import PeerGrouping
from tests.property.test_engine_properties import Org, run

SUBTYPE = PeerGrouping(id="subtype", name="Trust subtype", by="subtype")
KIND = "mental_health_community"
# a1 best .. b2 worst on every metric; subtypes A = {a1, a2}, B = {b1, b2}
VALUES = {"a1": 90.0, "a2": 80.0, "b1": 70.0, "b2": 60.0}
LOWER = {"a1": 1.0, "a2": 2.0, "b1": 3.0, "b2": 4.0}


def _orgs(flagged: str = "") -> list[Org]:
    return [
        Org(code, KIND, code == flagged, {"OF0001": v, "OF0002": LOWER[code], "OF0003": v})
        for code, v in VALUES.items()
    ]


def _table(flagged: str = "") -> dict[str, tuple[float | None, int | None, int | None, bool]]:
    result = run(_orgs(flagged))
    for o in result.orgs:  # subtype A or B, as the file's Trust_subtype would give it
        o.subtype = o.trust_code[0].upper()
    table = peer_table(load_framework(), result, KIND, SUBTYPE)
    return {
        r.trust_code: (r.average_score, r.segment, r.rank, r.segment_changed) for r in table.rows
    }


def test_official_placing_of_the_hand_built_quarter() -> None:
    result = run(_orgs())
    official = {o.trust_code: (o.average_score, o.segment, o.rank) for o in result.orgs}
    assert official == {
        "a1": (1.0, 1, 1),
        "a2": (1.89, 2, 2),
        "b1": (2.78, 3, 3),
        "b2": (3.67, 4, 4),
    }


def test_within_subtype_the_second_of_each_pair_changes_segment() -> None:
    assert _table() == {
        "a1": (1.0, 1, 1, False),
        "a2": (3.67, 4, 2, True),  # last of its subtype on every metric
        "b1": (1.0, 1, 1, True),  # first of its subtype
        "b2": (3.67, 4, 2, False),
    }


def test_the_financial_override_holds_within_peers() -> None:
    moved = _table(flagged="b1")
    assert moved["b1"] == (1.0, 3, 1, False)  # best of B, held at segment 3 as officially
    assert [c for c, row in moved.items() if row[3]] == ["a2"]


def test_the_framework_file_declares_subtype_and_region_peers() -> None:
    fw = load_framework()
    assert [g.by for g in fw.peer_groups] == ["trust_type", "subtype", "region"]
    assert fw.peer_grouping("region") is not None
    assert fw.peer_grouping("size") is None


def _org(code: str, pool_rank: int) -> OrgResult:
    """An organisation scored on OF1082 (sickness absence, pooled over all trusts) only."""
    score = 1.0 + 3.0 * (pool_rank - 1) / 204
    s = MetricScore(
        "OF1082", code, 4.0, score, score, round(score, 2), "published_unrounded", pool_rank, 205
    )
    return OrgResult(
        "Q4 2025/26",
        code,
        code,
        KIND,
        "MH",
        "MHLD",
        "London",
        [s],
        {},
        {},
        score,
        None,
        False,
        None,
        None,
        None,
    )


def test_wider_pools_are_narrowed_to_the_peers_only_when_asked() -> None:
    fw = load_framework()
    peers = [_org("x", 180), _org("y", 12), _org("z", 95)]
    kept = peer_scores(fw, "Q4 2025/26", peers)
    assert {c: s[0].score for c, s in kept.items()} == {
        o.trust_code: o.scores[0].score for o in peers
    }
    narrowed = peer_scores(fw, "Q4 2025/26", peers, wider_pools=True)
    assert {c: (s[0].pool_rank, s[0].pool_size, s[0].score) for c, s in narrowed.items()} == {
        "x": (3, 3, 4.0),
        "y": (1, 3, 1.0),
        "z": (2, 3, 2.5),
    }
