"""Run a plan end to end: load its panel, check it, estimate with each method, judge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from oversight.errors import Problem, UserError
from oversight.evaluation.panel import Panel, load_panel
from oversight.evaluation.periods import parse_period
from oversight.evaluation.power import design_table
from oversight.evaluation.registry import Registration, record_result, registration
from oversight.evaluation.results import EffectResult, table_records
from oversight.evaluation.staggered import callaway_santanna
from oversight.evaluation.synth import PredictorSpec, prepare, synthetic_control
from oversight.evaluation.twfe import twfe
from oversight.evaluation.validate import Design, resolve
from oversight.evaluation.verdict import verdict
from oversight.frameworks.evaluation_plan import (
    CallawaySantAnnaMethod,
    EvaluationPlan,
    PilotDesignMethod,
    SyntheticControlMethod,
    TwfeMethod,
    load_plan,
)
from oversight.store.schema import Connection

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class Evaluation:
    plan: EvaluationPlan
    plan_hash: str
    registration: Registration | None
    panel: Panel
    design: Design
    results: list[EffectResult] = field(default_factory=list)
    verdicts: dict[str, str] = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        """One row per method: the headline figures, as a data frame."""
        rows = []
        for r in self.results:
            s = r.summary()
            rows.append(
                {k: s[k] for k in ("method", "estimate", "ci_low", "ci_high", "p_value", "se")}
                | {"verdict": self.verdicts[r.method], "plan_hash": self.plan_hash}
            )
        return pd.DataFrame(rows)

    def result(self, method: str) -> EffectResult:
        for r in self.results:
            if r.method == method:
                return r
        raise KeyError(method)

    def to_json(self) -> dict[str, Any]:
        reg = self.registration
        return {
            "plan": self.plan.name,
            "plan_hash": self.plan_hash,
            "registered_at": None if reg is None else reg.registered_at.isoformat() + "Z",
            "pre_registered": reg is not None,
            "intervention": self.plan.intervention,
            "outcome": self.plan.outcome.primary,
            "smallest_effect": self.plan.outcome.smallest_effect,
            "data": {"source": self.panel.source, "fingerprint": self.panel.fingerprint},
            "treated": {u: self.panel.label(p) for u, p in self.design.treated.items()},
            "comparison_units": len(self.design.comparison),
            "results": [
                r.summary()
                | {
                    "verdict": self.verdicts[r.method],
                    "tables": {k: table_records(v) for k, v in r.tables.items()},
                }
                for r in self.results
            ],
        }


def _ordinal(plan: EvaluationPlan, value: str) -> int:
    return parse_period(value, plan.frequency)


def evaluate(
    plan: EvaluationPlan,
    plan_dir: Path,
    con: Connection | None = None,
    plan_file: str | None = None,
    progress: bool | Console = False,
    jobs: int = 2,
    on_method: Callable[[str], None] | None = None,
) -> Evaluation:
    """Every method the plan names, on the plan's panel. Nothing is written to the store.
    ``on_method`` hears each method's name as it starts (a face's progress bar)."""
    panel = load_panel(plan, plan_dir, con)
    design = resolve(plan, panel, plan_file)
    frame = panel.frame
    in_window = frame["period"].between(design.pre_start, design.end)
    analysed = frame[in_window & frame["unit"].isin(design.units)]
    outcome = design.outcome
    reg = registration(con, plan.plan_hash) if con is not None else None
    ev = Evaluation(plan, plan.plan_hash, reg, panel, design)
    for spec in plan.methods:
        if on_method is not None:
            on_method(spec.method)
        if isinstance(spec, TwfeMethod):
            res = twfe(analysed, outcome, design.treated, spec.leads, spec.lags, plan.alpha)
        elif isinstance(spec, CallawaySantAnnaMethod):
            res = callaway_santanna(
                analysed,
                outcome,
                design.treated,
                spec.control_group,
                spec.estimation,
                plan.alpha,
                label_period=panel.label,
            )
        elif isinstance(spec, SyntheticControlMethod):
            res = _synth(plan, spec, panel, design, analysed, progress, jobs)
        elif isinstance(spec, PilotDesignMethod):
            res = _pilot(plan, spec, panel, design, progress)
        else:  # pragma: no cover - the plan model admits no other kinds
            raise AssertionError(spec)
        _check_no_treated_dropped(res, design, analysed, outcome)
        ev.results.append(res)
        ev.verdicts[res.method] = verdict(
            res, plan.outcome.smallest_effect, plan.outcome.better, plan.alpha
        )
    return ev


def _check_no_treated_dropped(
    res: EffectResult, design: Design, analysed: pd.DataFrame, outcome: str
) -> None:
    # validation refuses plans with missing treated outcomes; this guards the estimators too
    present = set(analysed.dropna(subset=[outcome])["unit"])
    lost = sorted(set(design.treated) - present)
    if lost:
        raise AssertionError(f"{res.method} would have dropped treated units {lost}")


def _synth(
    plan: EvaluationPlan,
    spec: SyntheticControlMethod,
    panel: Panel,
    design: Design,
    analysed: pd.DataFrame,
    progress: bool | Console,
    jobs: int,
) -> EffectResult:
    ((unit, start),) = design.treated.items()
    wide = analysed.pivot(index="unit", columns="period", values=design.outcome)
    complete = [u for u in design.comparison if u in wide.index and wide.loc[u].notna().all()]
    dropped = sorted(set(design.comparison) - set(complete))
    preds = [
        PredictorSpec(
            p.variable,
            tuple(range(_ordinal(plan, p.start), _ordinal(plan, p.end or p.start) + 1)),
            p.variable if p.end is None or p.end == p.start else f"{p.variable} {p.start}-{p.end}",
        )
        for p in spec.predictors
    ]
    for i, p in enumerate(preds):
        if p.variable not in analysed.columns:
            raise UserError(
                f"Predictor {p.variable!r} is not in the panel",
                [Problem("add it to data.covariates", field=f"methods.predictors.{i}.variable")],
            )
    fit_window = None
    if spec.fit_start is not None or spec.fit_end is not None:
        fit_window = (
            _ordinal(plan, spec.fit_start) if spec.fit_start else design.pre_start,
            _ordinal(plan, spec.fit_end) if spec.fit_end else start - 1,
        )
    data = prepare(
        analysed,
        design.outcome,
        [unit, *complete],
        start,
        design.pre_start,
        design.end,
        preds,
        fit_window,
    )
    bad = [n for n, row in zip(data.predictor_names, data.x, strict=True) if np.isnan(row).any()]
    if bad:
        raise UserError(
            "Synthetic-control predictors have no values for some organisations",
            [
                Problem(
                    f"predictor {n!r} is empty for at least one unit in its window",
                    field="methods.predictors",
                )
                for n in bad
            ],
        )
    res = synthetic_control(
        data,
        unit,
        complete,
        plan.alpha,
        spec.polish,
        spec.random_draws,
        spec.placebo_polish,
        spec.placebo_random_draws,
        spec.seed,
        spec.placebos,
        plan.outcome.smallest_effect,
        {p: panel.label(p) for p in data.periods},
        progress,
        jobs,
    )
    if dropped:
        res.notes.append(
            f"{len(dropped)} comparison organisation(s) left out of the donor pool for "
            f"incomplete outcome data: {', '.join(dropped[:10])}"
        )
    return res


def _pilot(
    plan: EvaluationPlan,
    spec: PilotDesignMethod,
    panel: Panel,
    design: Design,
    progress: bool | Console = False,
) -> EffectResult:
    """Designs on the comparison organisations' history before any treated start."""
    cutoff = min(design.treated.values(), default=design.end + 1)
    hist = panel.frame[
        panel.frame["unit"].isin(design.comparison)
        & panel.frame["period"].between(design.pre_start, cutoff - 1)
    ].pivot(index="unit", columns="period", values=design.outcome)
    complete = hist.dropna()
    y = complete.to_numpy(dtype=float)
    n_pre = max(2, min(12, y.shape[1] - max(spec.post_periods)))
    table = design_table(
        y,
        spec.organisations,
        spec.post_periods,
        n_pre,
        spec.draws,
        plan.alpha,
        spec.target_power,
        plan.outcome.smallest_effect,
        spec.seed,
        progress,
    )
    if table.empty:
        raise UserError(
            "No pilot design fits the historical panel",
            [
                Problem(
                    f"{y.shape[0]} organisations x {y.shape[1]} periods with complete data",
                    field="methods.pilot_design",
                )
            ],
        )
    best = table.sort_values("mde").iloc[0]
    return EffectResult(
        method="pilot_design",
        estimate=float(best["mde"]),
        ci_low=None,
        ci_high=None,
        p_value=None,
        label=(
            f"minimum detectable effect ({spec.target_power:.0%} power, alpha {plan.alpha:g}) "
            f"of the best design: {int(best['organisations'])} organisations, "
            f"{int(best['post_periods'])} periods"
        ),
        tables={"designs": table},
        notes=[
            f"{spec.draws} placebo pilots per design on {y.shape[0]} organisations x "
            f"{y.shape[1]} periods of history ({len(hist) - len(complete)} with gaps left out)"
        ],
    )


def run_plan_file(
    path: str | Path,
    con: Connection | None = None,
    record: bool = True,
    progress: bool | Console = False,
    jobs: int = 2,
    on_method: Callable[[str], None] | None = None,
) -> Evaluation:
    """Python API: load, evaluate and (if the plan is registered) record the results."""
    plan = load_plan(path)
    ev = evaluate(plan, Path(path).resolve().parent, con, str(path), progress, jobs, on_method)
    if record and con is not None and ev.registration is not None:
        record_result(con, ev.plan_hash, ev.panel.fingerprint, [r.summary() for r in ev.results])
    return ev
