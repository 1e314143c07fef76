"""Check a plan against its panel before anything is estimated.

Every problem names the plan field at fault. A run never silently drops a treated
organisation: if one cannot be analysed as planned, the plan is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from oversight.errors import Problem, UserError
from oversight.evaluation.panel import Panel
from oversight.evaluation.periods import PeriodError, parse_period
from oversight.frameworks.evaluation_plan import (
    MIN_PRE_PERIODS,
    EvaluationPlan,
    SyntheticControlMethod,
    TwfeMethod,
)


@dataclass(frozen=True)
class Design:
    """The plan resolved against the panel: ordinals instead of labels, pools as unit lists."""

    treated: dict[str, int]  # unit -> first treated period
    comparison: list[str]
    pre_start: int
    end: int  # last period analysed
    outcome: str

    @property
    def units(self) -> list[str]:
        return sorted(self.treated) + self.comparison


def _empty(plan: EvaluationPlan, plan_file: str | None) -> Problem:
    """Why the panel is empty: for a store source, the data was never ingested."""
    hint = {
        "ae": "the store holds no monthly A&E data; ingest it first "
        "(oversight ingest data/nhs/ae/monthly)",
        "nof": "the store holds no NOF values; ingest the NOF data files first",
    }.get(plan.data.source, "the panel has no rows")
    return Problem(hint, file=plan_file, field="data.source")


def resolve(plan: EvaluationPlan, panel: Panel, plan_file: str | None = None) -> Design:
    """The plan's design on this panel, or a UserError listing every problem found."""
    problems: list[Problem] = []

    def bad(message: str, field: str) -> None:
        problems.append(Problem(message, file=plan_file, field=field))

    units = set(panel.units)
    periods = panel.periods
    if not periods or not units:
        raise UserError(f"No data to evaluate {plan.name!r}", [_empty(plan, plan_file)])
    first, last = periods[0], periods[-1]

    def period(value: str, field: str) -> int | None:
        try:
            p = parse_period(value, plan.frequency)
        except PeriodError as exc:
            bad(str(exc), field)
            return None
        if not first <= p <= last:
            bad(
                f"{value} is outside the data ({panel.label(first)} to {panel.label(last)})",
                field,
            )
            return None
        return p

    pre_start = period(plan.pre_period.start, "pre_period.start")
    end = last if plan.post_period_end is None else period(plan.post_period_end, "post_period_end")

    treated: dict[str, int] = {}
    for i, t in enumerate(plan.treated):
        if t.unit not in units:
            sample = ", ".join(sorted(units)[:5])
            bad(
                f"unknown organisation code {t.unit!r} (the panel has {len(units)} units, "
                f"e.g. {sample})",
                f"treated.{i}.unit",
            )
            continue
        start = period(t.start, f"treated.{i}.start")
        if start is None:
            continue
        if start == first:
            bad(
                f"{t.start} is the first period in the data: nothing to compare before it",
                f"treated.{i}.start",
            )
            continue
        treated[t.unit] = start

    explicit = plan.comparison.pool != "all"
    pool_list = list(plan.comparison.pool) if explicit else sorted(units)
    for j, u in enumerate(pool_list):
        if explicit and u not in units:
            bad(f"unknown organisation code {u!r}", f"comparison.pool.{j}")
        if explicit and u in {t.unit for t in plan.treated}:
            bad(f"treated organisation {u!r} is in its own comparison pool", f"comparison.pool.{j}")
    for j, u in enumerate(plan.comparison.exclude):
        if u not in units:
            bad(f"unknown organisation code {u!r}", f"comparison.exclude.{j}")
    treated_units = {t.unit for t in plan.treated}
    comparison = [
        u
        for u in pool_list
        if u in units and u not in treated_units and u not in plan.comparison.exclude
    ]
    if not comparison:
        bad("no comparison organisations left", "comparison.pool")

    if problems or pre_start is None or end is None:
        raise UserError(f"Plan {plan.name} does not fit its data", problems)

    outcome = panel.wide(plan.outcome.primary)
    window = [p for p in periods if pre_start <= p <= end]
    for i, t in enumerate(plan.treated):
        start = treated.get(t.unit)
        if start is None:
            continue
        if start > end:
            bad(
                f"{t.start} is after the end of the analysis ({panel.label(end)})",
                f"treated.{i}.start",
            )
        row = outcome.loc[t.unit]
        gaps = [panel.label(p) for p in window if p not in row.index or np.isnan(row[p])]
        if gaps:
            bad(
                f"outcome {plan.outcome.primary!r} is missing for treated organisation "
                f"{t.unit!r} in {', '.join(gaps[:6])}{' ...' if len(gaps) > 6 else ''}",
                "outcome.primary",
            )
        n_pre = sum(1 for p in window if p < start)
        for m in plan.methods:
            need = MIN_PRE_PERIODS[m.method]
            if isinstance(m, TwfeMethod):
                need = max(need, 2)
            if n_pre < need:
                bad(
                    f"{t.unit} has {n_pre} pre-period(s) before {t.start}; "
                    f"{m.method} needs at least {need}",
                    "pre_period.start",
                )
    for k, m in enumerate(plan.methods):
        if isinstance(m, SyntheticControlMethod) and len(plan.treated) != 1:
            bad("synthetic control needs exactly one treated organisation", f"methods.{k}")
    if problems:
        raise UserError(f"Plan {plan.name} does not fit its data", problems)
    return Design(
        treated=treated,
        comparison=comparison,
        pre_start=pre_start,
        end=end,
        outcome=plan.outcome.primary,
    )
