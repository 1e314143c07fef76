"""Pre-registration: plans recorded (hash + timestamp) before results exist, and results
recorded against the plan hash they followed.

A plan is identified by the hash of its canonical content, so any change to what the plan
says - a treated organisation, a date, a method, the smallest effect that matters - makes a new
plan with a new hash; re-registering an unchanged plan is a no-op that keeps the first time.
The tables and queries are the store's (:mod:`oversight.store.evaluations`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from oversight.frameworks.evaluation_plan import EvaluationPlan
from oversight.store import evaluations as registry_store
from oversight.store.evaluations import PlanRecord as Registration
from oversight.store.schema import Connection

__all__ = ["Registration", "record_result", "register", "registration"]


def register(
    con: Connection,
    plan: EvaluationPlan,
    source_text: str | None = None,
    data_fingerprint: str | None = None,
) -> Registration:
    return registry_store.register_plan(
        con, plan.plan_hash, plan.name, plan.canonical_json(), source_text, data_fingerprint
    )


def registration(con: Connection, plan_hash: str) -> Registration | None:
    return registry_store.plan_record(con, plan_hash)


def record_result(
    con: Connection,
    plan_hash: str,
    data_fingerprint: str,
    summaries: list[dict[str, Any]],
) -> datetime:
    return registry_store.record_results(con, plan_hash, data_fingerprint, summaries)
