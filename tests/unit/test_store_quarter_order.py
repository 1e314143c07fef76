"""Quarters come out of the store in time order, across financial years (not text order:
as text "Q1 2026/27" sorts before "Q4 2025/26")."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.ingest.nof import ParsedFile
from oversight.store import Connection, connect
from oversight.store import nof as nof_store
from oversight.store.releases import store_file, stored_releases

# Written in text order, which is the wrong time order.
QUARTERS = ["Q1 2026/27", "Q4 2025/26", "Q3 2025/26"]
IN_TIME_ORDER = ["Q3 2025/26", "Q4 2025/26", "Q1 2026/27"]
TRUST_TYPE = "acute"


def two_year_file(path: Path) -> ParsedFile:
    """A data file of one organisation and one metric over quarters of two financial years."""
    n = len(QUARTERS)
    return ParsedFile(
        path=path,
        sha256="0" * 64,
        kind="nof_data",
        trust_type=TRUST_TYPE,
        columns={
            "line": list(range(2, n + 2)),
            "quarter": list(QUARTERS),
            "trust_type": [TRUST_TYPE] * n,
            "trust_code": ["RXX"] * n,
            "trust_name": ["Example Trust"] * n,
            "metric_id": ["OF0001"] * n,
            "value": [1.0, 2.0, 3.0],
        },
    )


@pytest.fixture
def con(tmp_path: Path) -> Connection:
    c = connect(tmp_path / "two-years.duckdb")
    store_file(c, two_year_file(tmp_path / "two-years.csv"))
    return c


def test_a_parsed_file_lists_its_quarters_in_time_order(tmp_path: Path) -> None:
    assert two_year_file(tmp_path / "f.csv").quarters == IN_TIME_ORDER


def test_available_quarters_are_in_time_order(con: Connection) -> None:
    assert nof_store.available_quarters(con) == IN_TIME_ORDER


def test_a_metric_series_runs_in_time_order(con: Connection) -> None:
    points = nof_store.metric_series(con, "RXX", "OF0001")
    assert [p.quarter for p in points] == IN_TIME_ORDER
    assert [p.value for p in points] == [3.0, 2.0, 1.0]


def test_releases_are_listed_in_time_order(con: Connection) -> None:
    assert [r.quarter for r in stored_releases(con)] == IN_TIME_ORDER
    assert all(r.current and r.revision == 1 for r in stored_releases(con))
