"""The collection layer is generic: a tiny annual collection declared in this folder, with its
own reader, is ingested, revised and queried as a series through the same store tables and
engine as monthly A&E, without touching A&E's rows."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from oversight.engine.sources.measures import metric_points, metric_table, with_intervals
from oversight.errors import UserError
from oversight.frameworks.ae import AeMetricSet
from oversight.frameworks.collections import CollectionDef, collection, load_collection
from oversight.ingest.readers import READERS, reader_for, register
from oversight.ingest.release import VALUE_SCHEMA, ParsedRelease
from oversight.store import connect
from oversight.store.collections import store_releases, total_mismatches
from oversight.store.collections_query import (
    current_release_count,
    org_name,
    periods,
    releases,
)

HERE = Path(__file__).parent
TINY = load_collection(HERE / "tiny_survey.yaml")
METRICS = AeMetricSet.model_validate(
    {
        "id": "tiny-metrics",
        "version": 1,
        "source": "test",
        "collection": "tiny_survey",
        "metrics": [
            {
                "id": "agree_share",
                "title": "Agreeing",
                "description": "share of staff asked who agreed",
                "kind": "share_within",
                "higher_is_better": True,
                # agreeing = asked minus those not agreeing; here "exceeding" is the disagreeing
                "denominator": {"measures": ["asked"], "department_types": ["nurses", "doctors"]},
                "exceeding": {"measures": ["disagreed"], "department_types": ["nurses", "doctors"]},
            },
            {
                "id": "asked_all",
                "title": "Asked",
                "description": "staff asked",
                "kind": "count",
                "higher_is_better": True,
                "count": {"measures": ["asked"], "department_types": ["nurses", "doctors"]},
            },
        ],
    }
)


@register("tiny_csv")
def read_tiny(path: Path, collection: CollectionDef) -> ParsedRelease:
    """Year, Code, Group, Asked, Agreed; a Code of TOTAL is the published total."""
    cols = collection.layout["columns"]
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[bool, list[dict[str, object]]] = {True: [], False: []}
    for line, r in enumerate(rows, start=2):
        for measure, column in (("asked", "Asked"), ("disagreed", None), ("agreed", "Agreed")):
            if column is None:
                value = float(r["Asked"]) - float(r["Agreed"])
            else:
                value = float(r[column])
            out[r[cols["code"]] == "TOTAL"].append(
                {
                    "sheet": None,
                    "line": line,
                    "period": date(int(r[cols["year"]]), 1, 1),
                    "org_code": r[cols["code"]],
                    "org_name": f"Trust {r[cols['code']]}",
                    "parent_org": None,
                    "breakdown": r[cols["group"]],
                    "subgroup": "all",
                    "measure": measure,
                    "value": value,
                }
            )
    values = pa.Table.from_pylist(out[False], schema=VALUE_SCHEMA)
    totals = pa.Table.from_pylist(out[True], schema=VALUE_SCHEMA) if out[True] else None
    found = sorted(set(values.column("period").to_pylist()))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return ParsedRelease(collection.id, path, digest, "v1", tuple(found), values, totals)


def write(path: Path, rows: list[tuple[int, str, str, int, int]]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Year", "Code", "Group", "Asked", "Agreed"])
        w.writerows(rows)
    return path


FIRST = [
    (2023, "RAA", "nurses", 100, 60),
    (2023, "RAA", "doctors", 50, 40),
    (2023, "RBB", "nurses", 80, 20),
    (2023, "TOTAL", "nurses", 180, 80),
    (2024, "RAA", "nurses", 110, 77),
    (2024, "RAA", "doctors", 40, 30),
]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return connect(":memory:")


def ingest(con: duckdb.DuckDBPyConnection, *paths: Path, new_revision: bool = False) -> list[str]:
    parsed = [reader_for(TINY)(p, TINY) for p in paths]
    reports = store_releases(con, parsed, new_revision, definitions={TINY.id: TINY})
    return [r.status for r in reports]


def test_declared_collection_is_read_by_its_registered_reader(tmp_path: Path) -> None:
    assert READERS["tiny_csv"] is read_tiny and TINY.frequency == "annual"
    parsed = read_tiny(write(tmp_path / "a.csv", FIRST), TINY)
    assert parsed.periods == (date(2023, 1, 1), date(2024, 1, 1))
    assert total_mismatches(parsed) == []
    assert METRICS.unknown_parts(TINY) == []
    wrong = METRICS.model_copy(update={"collection": "ae_monthly"})
    assert "agree_share: measure 'asked'" in wrong.unknown_parts(collection("ae_monthly"))


def test_ingest_revise_and_query_as_a_series(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    first = write(tmp_path / "tiny-2024.csv", FIRST)
    assert ingest(con, first) == ["stored"]
    assert ingest(con, first) == ["already ingested"]
    assert [(r.period.year, r.revision, r.row_count) for r in releases(con, TINY.id)] == [
        (2023, 1, 3),
        (2024, 1, 2),
    ]
    # the same content under another name adds nothing
    assert ingest(con, write(tmp_path / "copy.csv", list(reversed(FIRST)))) == ["unchanged"]
    # changed 2024 content: refused (naming the year) unless a new revision is asked for
    changed = [*FIRST[:4], (2024, "RAA", "nurses", 110, 99), FIRST[5]]
    with pytest.raises(UserError) as refused:
        ingest(con, write(tmp_path / "tiny-2024-b.csv", changed))
    assert refused.value.problems[0].message.startswith("2024 is already stored (revision 1)")
    assert current_release_count(con, TINY.id) == 2
    assert ingest(con, tmp_path / "tiny-2024-b.csv", new_revision=True) == ["stored"]
    assert [(r.period.year, r.revision, r.current) for r in releases(con, TINY.id)] == [
        (2023, 1, True),
        (2024, 1, False),
        (2024, 2, True),
    ]
    assert periods(con, TINY.id) == [date(2023, 1, 1), date(2024, 1, 1)]
    assert org_name(con, TINY.id, "RBB") == "Trust RBB"

    share = METRICS.metric("agree_share")
    assert share is not None
    raa = with_intervals(metric_points(con, TINY.id, share, "RAA", codes=["RAA"]), share)
    assert [(p.month.year, p.numerator, p.denominator) for p in raa] == [
        (2023, 100.0, 150.0),
        (2024, 129.0, 150.0),  # the revised release is current
    ]
    assert raa[1].value == pytest.approx(129 / 150)
    assert raa[1].ci_low is not None and raa[1].ci_low < raa[1].value < (raa[1].ci_high or 0)
    # weighted rows: half of RBB's 2023 counts towards RAA
    weighted = metric_points(
        con, TINY.id, share, "RAA", weights=[("RAA", date(2023, 1, 1), 1.0),
                                             ("RBB", date(2023, 1, 1), 0.5)]
    )  # fmt: skip
    assert [(p.numerator, p.denominator) for p in weighted] == [(110.0, 190.0)]
    # the published total row is read like any other unit
    total = metric_points(con, TINY.id, share, "TOTAL", totals=True)
    assert [(p.numerator, p.denominator) for p in total] == [(80.0, 180.0)]
    table = metric_table(con, TINY.id, share).to_pylist()
    assert [(r["code"], r["month"].year) for r in table] == [
        ("RAA", 2023),
        ("RAA", 2024),
        ("RBB", 2023),
    ]
    # nothing of it shows among A&E's rows
    assert con.execute("SELECT count(*) FROM ae_value").fetchall() == [(0,)]


def test_refused_batch_writes_nothing(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    ingest(con, write(tmp_path / "a.csv", FIRST))
    before = con.execute("SELECT count(*) FROM collection_value").fetchall()
    other = write(tmp_path / "b.csv", [(2025, "RAA", "nurses", 1, 1)])
    clash = write(tmp_path / "c.csv", [(2023, "RAA", "nurses", 2, 1)])
    with pytest.raises(UserError, match="overwrite published periods"):
        ingest(con, other, clash)
    assert con.execute("SELECT count(*) FROM collection_value").fetchall() == before
    assert ingest(con, other) == ["stored"]
