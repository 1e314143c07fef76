"""The evaluation plan registry: plans recorded (hash and time) before their results exist, and
results recorded against the hash of the plan they followed. Tables: ``EVALUATION_DDL`` in
:mod:`oversight.store.schema`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from oversight.store.schema import EVALUATION_DDL, Connection, table_exists


@dataclass(frozen=True)
class PlanRecord:
    """A registered plan: when it was first registered, and what it said of its data."""

    plan_hash: str
    name: str
    registered_at: datetime
    data_fingerprint: str | None
    new: bool  # registered by this call (False: it was already there)
    previous_versions: int  # other registered plans with the same name


def ensure_evaluation_tables(con: Connection) -> None:
    """The registry's tables, for a store opened before they were part of the schema."""
    for statement in EVALUATION_DDL:
        con.execute(statement)


def register_plan(
    con: Connection,
    plan_hash: str,
    name: str,
    plan_json: str,
    source_text: str | None = None,
    data_fingerprint: str | None = None,
) -> PlanRecord:
    """Record a plan unless its hash is already registered (which keeps the first time)."""
    ensure_evaluation_tables(con)
    con.execute("BEGIN")
    try:
        found = con.execute(
            "SELECT registered_at, data_fingerprint FROM evaluation_plan WHERE plan_hash = ?",
            [plan_hash],
        ).fetchone()
        new = found is None
        if found is None:
            at = datetime.now(UTC).replace(tzinfo=None)
            con.execute(
                "INSERT INTO evaluation_plan VALUES (?, ?, ?, ?, ?, ?)",
                [plan_hash, name, at, plan_json, source_text, data_fingerprint],
            )
            fingerprint = data_fingerprint
        else:
            at, fingerprint = found[0], found[1]
        others = con.execute(
            "SELECT count(*) FROM evaluation_plan WHERE name = ? AND plan_hash <> ?",
            [name, plan_hash],
        ).fetchone()
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return PlanRecord(plan_hash, name, at, fingerprint, new, int(others[0]) if others else 0)


def plan_record(con: Connection, plan_hash: str) -> PlanRecord | None:
    """The registered plan with this hash, if any (reads only: a server opens the store
    read-only, and a store without the table has no plans)."""
    if not table_exists(con, "evaluation_plan"):
        return None
    row = con.execute(
        "SELECT name, registered_at, data_fingerprint FROM evaluation_plan WHERE plan_hash = ?",
        [plan_hash],
    ).fetchone()
    if row is None:
        return None
    return PlanRecord(plan_hash, row[0], row[1], row[2], False, 0)


def record_results(
    con: Connection,
    plan_hash: str,
    data_fingerprint: str,
    summaries: Sequence[dict[str, Any]],
) -> datetime:
    """One row per method's summary, all stamped with the same time, in one transaction."""
    ensure_evaluation_tables(con)
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
