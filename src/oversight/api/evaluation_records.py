"""The bundled example evaluations (examples/evaluations/*.yaml) for the API and dashboard.

Every figure comes from ``oversight.evaluation.run_plan_file`` on the site's store and the
bundled reference data; nothing is stored or hard-coded here. Runs are cached in the site's
memo. Plans measured slower than about 3 s (synthetic control with a V search and placebos on
39 states; anything reading the A&E panel, whose load alone takes ~3.5 s) are computed on
first request (``ON_REQUEST``), so they never slow start-up or the index; the index and a
static export carry the fast ones.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from oversight.errors import Problem, UserError
from oversight.frameworks.evaluation_plan import EvaluationPlan, load_plan
from oversight.service.expensive import Pending, computing_ahead
from oversight.service.site import NotFound, Site
from oversight.store import Connection, row_count

if TYPE_CHECKING:  # the estimators pull in scipy, linearmodels and matplotlib: imported on use
    from oversight.evaluation import Evaluation

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "evaluations"

# measured seconds on 2 shared cores, one process (docs/publish.md): computed when first asked
ON_REQUEST: dict[str, float] = {
    "prop99": 8.3,
    "ae_mergers": 9.7,
    "ae_merger_raj": 4.3,
    "ae_pilot_design": 5.0,
}
# what a plan's data source needs in the store before it can run
NEEDS: dict[str, tuple[str, str]] = {
    "ae": ("ae_value", "the monthly A&E data ingested (oversight ae ingest data/nhs/ae/monthly/)"),
    "nof": ("nof_value", "NOF data ingested (`oversight ingest FILE`)"),
}
Status = Literal["computed", "on request", "being computed", "not available"]
_locks: dict[tuple[int, str], threading.Lock] = {}
_locks_guard = threading.Lock()


class CheckOut(BaseModel):
    name: str
    value: float | None
    passed: bool | None
    detail: str


class WeightOut(BaseModel):
    donor: str
    weight: float


class MethodOut(BaseModel):
    method: str
    label: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    se: float | None
    verdict: str
    pre_trend_p: float | None
    pre_rmspe: float | None
    placebo_rank: str | None
    checks: list[CheckOut]
    notes: list[str]
    weights: list[WeightOut]
    tables: dict[str, list[dict[str, Any]]]


class EvaluationRow(BaseModel):
    """One row per plan and method: the index page's table and its CSV twin."""

    plan_id: str
    name: str
    intervention: str
    status: Status
    status_detail: str
    plan_hash: str
    method: str | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    pre_trend_p: float | None
    pre_rmspe: float | None
    placebo_rank: str | None
    verdict: str | None


class EvaluationView(BaseModel):
    plan_id: str
    name: str
    intervention: str
    frequency: str
    outcome: str
    smallest_effect: float | None
    methods: list[str]
    plan_hash: str
    status: Status
    status_detail: str
    pre_registered: bool | None
    data_source: str
    data_fingerprint: str | None
    treated: dict[str, str]
    comparison_units: int | None
    results: list[MethodOut]


class EvaluationIndex(BaseModel):
    plans: list[EvaluationView]
    rows: list[EvaluationRow]


def plan_ids() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def _plan(plan_id: str) -> EvaluationPlan:
    if plan_id not in plan_ids():
        raise NotFound(
            f"No example evaluation {plan_id!r}",
            [Problem(f"examples: {', '.join(plan_ids()) or 'none'}", field="plan_id")],
        )
    return load_plan(EXAMPLES / f"{plan_id}.yaml")


def missing_data(site: Site, plan: EvaluationPlan) -> str | None:
    """What the store lacks for the plan's data source (None: nothing)."""
    need = NEEDS.get(plan.data.source)
    if need is None:
        return None
    table, what = need

    def rows(con: Connection) -> int:
        return row_count(con, table)

    return None if site.read(rows) else f"needs {what}"


def has_data(site: Site, plan_id: str) -> bool:
    return missing_data(site, _plan(plan_id)) is None


def evaluation(site: Site, plan_id: str) -> Evaluation:
    """The plan run on the store (cached in the site's memo; one run at a time per plan)."""
    _plan(plan_id)
    with _locks_guard:
        lock = _locks.setdefault((id(site), plan_id), threading.Lock())
    with lock:
        return site.memo(("evaluation", plan_id), lambda: _run(site, plan_id))


def _run(site: Site, plan_id: str) -> Evaluation:
    # a cursor is a connection of its own: the run does not hold the site's lock for seconds
    from oversight.evaluation import run_plan_file

    with site.expensive():  # a server bounds how many run at once (503 when it cannot)
        con = site.read(lambda c: c.cursor())
        try:
            # one process: forking a threaded server for the placebo pool is not safe
            return run_plan_file(EXAMPLES / f"{plan_id}.yaml", con, record=False, jobs=1)
        finally:
            con.close()


def ahead_key(plan_id: str) -> tuple[str, str]:
    return ("evaluation", plan_id)


def is_cached(site: Site, plan_id: str) -> bool:
    return site.memo_has(ahead_key(plan_id))


def is_pending(site: Site, plan_id: str) -> bool:
    """Being computed in the background (a server's warm-up) and not done yet."""
    return site.is_ahead(ahead_key(plan_id)) and not computing_ahead.get()


def computed_on_request(site: Site) -> tuple[str, ...]:
    """The plans run so far and not still awaited (what the index shows changes with them:
    part of its cache key only)."""
    return tuple(p for p in plan_ids() if is_cached(site, p) and not is_pending(site, p))


def _check(r: dict[str, Any], name: str) -> float | None:
    for c in r["checks"]:
        if c["name"] == name:
            v: float | None = c["value"]
            return v
    return None


def _placebo_rank(ev: Evaluation, method: str, p: float | None) -> str | None:
    tables = ev.result(method).tables
    if p is None or "placebos" not in tables:
        return None
    n = len(tables["placebos"])
    return f"{round(p * n)} of {n}"


def _method(ev: Evaluation, summary: dict[str, Any]) -> MethodOut:
    from oversight.evaluation.results import table_records

    m = summary["method"]
    res = ev.result(m)
    placebo_p = _check(summary, "placebo rank")
    return MethodOut(
        method=m,
        label=summary["label"],
        estimate=summary["estimate"],
        ci_low=summary["ci_low"],
        ci_high=summary["ci_high"],
        p_value=summary["p_value"],
        se=summary["se"],
        verdict=ev.verdicts[m],
        pre_trend_p=_check(summary, "pre-trends"),
        pre_rmspe=_check(summary, "pre-period fit"),
        placebo_rank=_placebo_rank(ev, m, placebo_p),
        checks=[CheckOut(**c) for c in summary["checks"]],
        notes=summary["notes"],
        weights=[
            WeightOut(donor=str(d), weight=float(w))
            for d, w in zip(
                res.tables["weights"]["donor"], res.tables["weights"]["weight"], strict=True
            )
        ]
        if "weights" in res.tables
        else [],
        tables={k: table_records(v) for k, v in res.tables.items() if k not in ("placebo_gaps",)},
    )


def view(site: Site, plan_id: str, compute: bool = True) -> EvaluationView:
    """A plan with its results; ``compute=False`` leaves on-request plans not yet run alone."""
    plan = _plan(plan_id)
    base: dict[str, Any] = {
        "plan_id": plan_id,
        "name": plan.name,
        "intervention": plan.intervention,
        "frequency": plan.frequency,
        "outcome": plan.outcome.primary,
        "smallest_effect": plan.outcome.smallest_effect,
        "methods": [m.method for m in plan.methods],
        "plan_hash": plan.plan_hash,
        "data_source": plan.data.source,
        "pre_registered": None,
        "data_fingerprint": None,
        "treated": {},
        "comparison_units": None,
        "results": [],
    }
    missing = missing_data(site, plan)
    if missing is not None:
        return EvaluationView(**base, status="not available", status_detail=missing)
    if is_pending(site, plan_id):
        waiting = EvaluationView(
            **base,
            status="being computed",
            status_detail="being computed since the server started: refresh in a moment",
        )
        if not compute:
            return waiting
        raise Pending(f"{plan.name} is being computed; refresh in a moment", waiting)
    slow = ON_REQUEST.get(plan_id)
    if slow is not None and not compute and not is_cached(site, plan_id):
        return EvaluationView(
            **base,
            status="on request",
            status_detail=f"takes about {slow:g} s: computed when its page is first opened",
        )
    try:
        ev = evaluation(site, plan_id)
    except UserError as exc:
        detail = "; ".join([exc.summary, *(p.message for p in exc.problems)])
        return EvaluationView(**base, status="not available", status_detail=detail)
    return EvaluationView(
        **base
        | {
            "pre_registered": ev.registration is not None,
            "data_fingerprint": ev.panel.fingerprint,
            "treated": {u: ev.panel.label(p) for u, p in ev.design.treated.items()},
            "comparison_units": len(ev.design.comparison),
            "results": [_method(ev, r.summary()) for r in ev.results],
        },
        status="computed",
        status_detail="computed by oversight.evaluation from the store and bundled data",
    )


def rows_of(v: EvaluationView) -> list[EvaluationRow]:
    head: dict[str, Any] = {
        "plan_id": v.plan_id,
        "name": v.name,
        "intervention": v.intervention,
        "status": v.status,
        "status_detail": v.status_detail,
        "plan_hash": v.plan_hash,
    }
    if not v.results:
        empty: dict[str, Any] = dict.fromkeys(
            (
                "method",
                "estimate",
                "ci_low",
                "ci_high",
                "p_value",
                "pre_trend_p",
                "pre_rmspe",
                "placebo_rank",
                "verdict",
            ),
        )
        return [EvaluationRow(**head, **empty)]
    return [
        EvaluationRow(
            **head,
            method=r.method,
            estimate=r.estimate,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            p_value=r.p_value,
            pre_trend_p=r.pre_trend_p,
            pre_rmspe=r.pre_rmspe,
            placebo_rank=r.placebo_rank,
            verdict=r.verdict,
        )
        for r in v.results
    ]


def index(site: Site) -> EvaluationIndex:
    plans = [view(site, p, compute=False) for p in plan_ids()]
    return EvaluationIndex(plans=plans, rows=[row for v in plans for row in rows_of(v)])


def plots(site: Site, plan_id: str) -> dict[str, str]:
    """The plan's plots as inline SVG (event study; synthetic-control gap with placebos),
    drawn in the dashboard's chart style (``web.evaluation_charts``)."""

    def build() -> dict[str, str]:
        from oversight.web.evaluation_charts import figures

        return figures(evaluation(site, plan_id), site.framework)

    return site.memo(("evaluation-plots", plan_id), build)
