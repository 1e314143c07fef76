"""The monthly A&E panel for evaluations: acute trusts as they are today, predecessors summed.

Units are the NHS trusts with a type 1 (major) A&E department in the latest month in the store
that are still organisations today; each trust's monthly series of the plan's A&E metric (e.g.
`ae_4hr_type1`, a share 0-1) comes from the A&E series engine, which sums a merged trust's
predecessors into it before the merger month (the successor mapping). Mergers themselves are
offered as treated units by :func:`acute_mergers`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from oversight.engine.sources.ae_series import series
from oversight.engine.sources.ae_successors import final_change
from oversight.errors import Problem, UserError
from oversight.evaluation.panel import Panel, register_panel_source
from oversight.frameworks.ae import AE_COLLECTION, ae_metrics, ae_successors
from oversight.frameworks.evaluation_plan import AeSource, EvaluationPlan
from oversight.store.collections_query import has_collection_tables, orgs_with_value
from oversight.store.schema import Connection

_TRUST = re.compile(r"^R.{2}$")  # an NHS trust's three-character code


def acute_trusts(con: Connection) -> list[str]:
    """Trust codes with type 1 attendances in the latest month, that exist today."""
    smap = ae_successors()
    rows = orgs_with_value(con, AE_COLLECTION, "type1", "attendances")
    return [c for c in rows if _TRUST.match(c) and final_change(smap, c) is None]


def acute_mergers(con: Connection) -> list[tuple[str, str, list[str]]]:
    """(successor, first month as merged organisation, predecessors) for trust mergers."""
    smap = ae_successors()
    trusts = set(acute_trusts(con))
    out: dict[tuple[str, str], list[str]] = {}
    for c in smap.changes:
        if c.kind in ("merger", "acquisition") and len(c.successors) == 1:
            succ = c.successors[0].code
            if succ in trusts and c.predecessor.startswith("R"):
                out.setdefault((succ, c.effective), []).append(c.predecessor)
    return [(s, m, sorted(p)) for (s, m), p in sorted(out.items())]


def _ae_panel(plan: EvaluationPlan, plan_dir: Path, con: Connection | None) -> Panel:
    src = plan.data
    assert isinstance(src, AeSource)
    if con is None:
        raise UserError("A&E plans read the store", [Problem("pass --db", field="data.source")])
    if not has_collection_tables(con):
        raise UserError(
            "The store has no A&E data",
            [Problem("run `oversight ae ingest data/nhs/ae/monthly/` first", field="data.source")],
        )
    metrics = ae_metrics()
    smap = ae_successors() if src.merge_predecessors else None
    rows = []
    for metric in [plan.outcome.primary, *plan.outcome.secondary]:
        if metrics.metric(metric) is None:
            known = ", ".join(m.id for m in metrics.metrics)
            raise UserError(
                f"Unknown A&E metric {metric!r}",
                [Problem(f"known: {known}", field="outcome.primary")],
            )
        for code in acute_trusts(con):
            for p in series(con, metrics, metric, code, smap, as_published=smap is None):
                rows.append((code, p.month.year * 12 + p.month.month - 1, metric, p.value))
    frame = (
        pd.DataFrame(rows, columns=["unit", "period", "metric", "value"])
        .pivot_table(index=["unit", "period"], columns="metric", values="value", aggfunc="first")
        .reset_index()
    )
    frame.columns.name = None
    digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    labels = {int(p): f"{p // 12}-{p % 12 + 1:02d}" for p in frame["period"].unique()}
    return Panel(frame=frame, frequency="month", source="ae", fingerprint=digest, labels=labels)


register_panel_source("ae", _ae_panel)
