"""Filtering and sorting league rows (service/league_query.py) and matching organisations
(service/org_search.py), on small made-up tables."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from oversight.service.league_query import BadQuery, Facets, LeagueQuery, options, refine
from oversight.service.org_search import Found, find


@dataclass
class Row:
    trust_code: str
    trust_name: str
    region: str
    icb: str
    subtype: str
    segment: int | None
    rank: int | None
    average_score: float | None


ROWS = [
    Row("RAA", "Alpha Trust", "London", "QMJ", "Community", 1, 1, 1.5),
    Row("RBB", "bravo Trust", "London", "QRV", "Mental Health", 2, 2, 2.1),
    Row("RCC", "Charlie Trust", "North West", "QYG", "Community", 2, 3, 2.4),
    Row("RDD", "Delta Trust", "North West", "QYG", "Mental Health", None, None, None),
]
COLUMNS = ("rank", "trust_name", "average_score", "segment")


def facets(r: Row) -> Facets:
    return Facets(r.region, r.icb, f"ICB {r.icb}", r.subtype, r.segment)


def codes(query: LeagueQuery) -> list[str]:
    return [r.trust_code for r in refine(ROWS, query, facets, COLUMNS)]


def test_no_query_keeps_the_table_as_it_is() -> None:
    assert codes(LeagueQuery()) == ["RAA", "RBB", "RCC", "RDD"]


def test_filters_combine_and_ignore_case() -> None:
    assert codes(LeagueQuery(region="london")) == ["RAA", "RBB"]
    assert codes(LeagueQuery(icb="qyg")) == ["RCC", "RDD"]
    assert codes(LeagueQuery(subtype="community", region="North West")) == ["RCC"]
    assert codes(LeagueQuery(segment=2)) == ["RBB", "RCC"]


def test_sort_any_column_missing_values_last_either_way() -> None:
    assert codes(LeagueQuery(sort="average_score", order="desc")) == ["RCC", "RBB", "RAA", "RDD"]
    assert codes(LeagueQuery(sort="average_score")) == ["RAA", "RBB", "RCC", "RDD"]
    # names sort without regard to case
    assert codes(LeagueQuery(sort="trust_name", order="desc")) == ["RDD", "RCC", "RBB", "RAA"]
    # ties keep the table's (rank) order
    assert codes(LeagueQuery(sort="segment")) == ["RAA", "RBB", "RCC", "RDD"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (LeagueQuery(region="Atlantis"), "region"),
        (LeagueQuery(icb="QQQ"), "icb"),
        (LeagueQuery(subtype="Acute"), "subtype"),
        (LeagueQuery(segment=9), "segment"),
        (LeagueQuery(sort="secret_column"), "sort"),
        (LeagueQuery(order="sideways"), "order"),
    ],
)
def test_unknown_values_are_refused_naming_the_parameter(query: LeagueQuery, field: str) -> None:
    with pytest.raises(BadQuery) as caught:
        refine(ROWS, query, facets, COLUMNS)
    assert caught.value.problems[0].field == field


def test_options_are_what_the_rows_have() -> None:
    offered = options(ROWS, facets, COLUMNS)
    assert offered.regions == ["London", "North West"]
    assert [c for c, _ in offered.icbs] == ["QMJ", "QRV", "QYG"]
    assert offered.segments == [1, 2]


FOUND = [
    Found("nof", "RRAJ", "Made-up trust whose code contains RAJ", "mental_health_community",
          "Mental health and community trust", "", "Q4 2025/26", None, None),
    Found("public", "RAJ", "Mid and South Essex NHS Foundation Trust", "acute", "Acute trust",
          "East of England", "Q1 2025/26", 4, 127),
    Found("nof", "RX3", "Tees, Esk and Wear Valleys NHS Foundation Trust",
          "mental_health_community", "Mental health and community trust",
          "North East and Yorkshire", "Q4 2025/26", 2, 15),
    Found("icb", "QMJ", "NHS North Central London Integrated Care Board", "icb",
          "Integrated care board", "London", "Q1 2025/26", 2, 11),
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("RAJ", ["RAJ", "RRAJ"]),  # the exact code first
        ("raj", ["RAJ", "RRAJ"]),
        ("rx3", ["RX3"]),
        ("qmj", ["QMJ"]),
        ("central london", ["QMJ"]),
        ("essex foundation", ["RAJ"]),
        ("nowhere", []),
    ],
)
def test_find_by_code_or_name_any_case_any_part(query: str, expected: list[str]) -> None:
    assert [f.code for f in find(FOUND, query)] == expected
