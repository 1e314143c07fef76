"""Pre-registration: plans recorded (hash + timestamp) before results exist, and results
recorded against the plan hash they followed.

A plan is identified by the hash of its canonical content, so any change to what the plan
says - a treated organisation, a date, a method, the smallest effect that matters - makes a new
plan with a new hash; re-registering an unchanged plan is a no-op that keeps the first time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from oversight.frameworks.evaluation_plan import EvaluationPlan

DDL = [
    """CREATE TABLE IF NOT EXISTS evaluation_plan (
        plan_hash VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        registered_at TIMESTAMP NOT NULL,
        plan_json VARCHAR NOT NULL,
        source_text VARCHAR,
        data_fingerprint VARCHAR
    )""",
    """CREATE SEQUENCE IF NOT EXISTS evaluation_result_id""",
    """CREATE TABLE IF NOT EXISTS evaluation_result (
        result_id INTEGER PRIMARY KEY DEFAULT nextval('evaluation_result_id'),
        plan_hash VARCHAR NOT NULL,
        run_at TIMESTAMP NOT NULL,
        data_fingerprint VARCHAR NOT NULL,
        method VARCHAR NOT NULL,
        estimate DOUBLE,
        ci_low DOUBLE,
        ci_high DOUBLE,
        p_value DOUBLE,
        result_json VARCHAR NOT NULL
    )""",
]


@dataclass(frozen=True)
class Registration:
    plan_hash: str
    name: str
    registered_at: datetime
    data_fingerprint: str | None
    new: bool
    previous_versions: int  # other registered plans with the same name


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
        con.execute(statement)


def register(
    con: duckdb.DuckDBPyConnection,
    plan: EvaluationPlan,
    source_text: str | None = None,
    data_fingerprint: str | None = None,
) -> Registration:
    ensure_schema(con)
    h = plan.plan_hash
    con.execute("BEGIN")
    try:
        found = con.execute(
            "SELECT registered_at, data_fingerprint FROM evaluation_plan WHERE plan_hash = ?", [h]
        ).fetchone()
        new = found is None
        if found is None:
            at = datetime.now(UTC).replace(tzinfo=None)
            con.execute(
                "INSERT INTO evaluation_plan VALUES (?, ?, ?, ?, ?, ?)",
                [h, plan.name, at, plan.canonical_json(), source_text, data_fingerprint],
            )
            fingerprint = data_fingerprint
        else:
            at, fingerprint = found[0], found[1]
        others = con.execute(
            "SELECT count(*) FROM evaluation_plan WHERE name = ? AND plan_hash <> ?",
            [plan.name, h],
        ).fetchone()
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return Registration(h, plan.name, at, fingerprint, new, int(others[0]) if others else 0)


def registration(con: duckdb.DuckDBPyConnection, plan_hash: str) -> Registration | None:
    # read only: a server opens the store read-only, and a store without the table has no plans
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'evaluation_plan'"
    ).fetchone()
    if not found or not found[0]:
        return None
    row = con.execute(
        "SELECT name, registered_at, data_fingerprint FROM evaluation_plan WHERE plan_hash = ?",
        [plan_hash],
    ).fetchone()
    if row is None:
        return None
    return Registration(plan_hash, row[0], row[1], row[2], False, 0)


def record_result(
    con: duckdb.DuckDBPyConnection,
    plan_hash: str,
    data_fingerprint: str,
    summaries: list[dict[str, Any]],
) -> datetime:
    ensure_schema(con)
    at = datetime.now(UTC).replace(tzinfo=None)
    con.execute("BEGIN")
    try:
        for s in summaries:
            con.execute(
                "INSERT INTO evaluation_result (plan_hash, run_at, data_fingerprint, method, "
                "estimate, ci_low, ci_high, p_value, result_json) VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    plan_hash,
                    at,
                    data_fingerprint,
                    s["method"],
                    s.get("estimate"),
                    s.get("ci_low"),
                    s.get("ci_high"),
                    s.get("p_value"),
                    json.dumps(s, sort_keys=True),
                ],
            )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return at
