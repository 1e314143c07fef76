"""The panel an evaluation runs on: one outcome per unit and period, from a pluggable source.

Sources: a user's CSV, the NOF quarterly values in the store, or any source registered with
:func:`register_panel_source` (the monthly A&E series registers itself once its ingest exists).
Every panel carries a fingerprint of what it was read from, so a result names its data too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from oversight.errors import Problem, UserError
from oversight.evaluation.periods import Frequency, PeriodError, parse_period, period_label
from oversight.frameworks.evaluation_plan import CsvSource, EvaluationPlan, NofSource
from oversight.store import nof as nof_store
from oversight.store.schema import Connection


@dataclass
class Panel:
    """Long frame with columns unit, period (ordinal), outcome columns and covariates."""

    frame: pd.DataFrame
    frequency: Frequency
    source: str
    fingerprint: str
    labels: dict[int, str] = field(default_factory=dict)

    def label(self, period: int) -> str:
        return self.labels.get(period) or period_label(period, self.frequency)

    @property
    def units(self) -> list[str]:
        return sorted(self.frame["unit"].unique().tolist())

    @property
    def periods(self) -> list[int]:
        return sorted(int(p) for p in self.frame["period"].unique())

    def wide(self, column: str) -> pd.DataFrame:
        """Units x periods matrix of one column (NaN where missing)."""
        return self.frame.pivot(index="unit", columns="period", values=column).sort_index()


PanelLoader = Callable[[EvaluationPlan, Path, Connection | None], Panel]
_SOURCES: dict[str, PanelLoader] = {}


def register_panel_source(kind: str, loader: PanelLoader) -> None:
    """Plug in a panel source (e.g. the monthly A&E series) under the plan's `data.source`."""
    _SOURCES[kind] = loader


def load_panel(plan: EvaluationPlan, plan_dir: Path, con: Connection | None = None) -> Panel:
    kind = plan.data.source
    loader = _SOURCES.get(kind)
    if loader is None:
        raise UserError(
            f"No panel source {kind!r} in this build",
            [
                Problem(
                    "the monthly A&E series needs the A&E ingest (not yet merged); "
                    "use a CSV panel or NOF values meanwhile"
                    if kind == "ae"
                    else f"known sources: {', '.join(sorted(_SOURCES))}",
                    field="data.source",
                )
            ],
        )
    return loader(plan, plan_dir, con)


def _csv_panel(plan: EvaluationPlan, plan_dir: Path, con: Connection | None) -> Panel:
    src = plan.data
    assert isinstance(src, CsvSource)
    path = (plan_dir / src.path).resolve()
    if not path.exists():
        raise UserError(
            f"Panel file not found: {path}", [Problem("check data.path", field="data.path")]
        )
    raw = path.read_bytes()
    frame = pd.read_csv(path)
    wanted = [src.unit_column, src.period_column, plan.outcome.primary, *plan.outcome.secondary]
    wanted += [c for c in [src.denominator_column, *src.covariates] if c]
    missing = [c for c in dict.fromkeys(wanted) if c not in frame.columns]
    if missing:
        raise UserError(
            f"{path.name} lacks column(s) the plan names",
            [Problem(f"no column {c!r}", file=str(path), line=1, field=c) for c in missing],
        )
    out = pd.DataFrame({"unit": frame[src.unit_column].astype(str).str.strip()})
    labels: dict[int, str] = {}
    ordinals: list[int] = []
    problems: list[Problem] = []
    for i, value in enumerate(frame[src.period_column].tolist()):
        try:
            o = parse_period(value, plan.frequency)
        except PeriodError as exc:
            problems.append(Problem(str(exc), file=str(path), line=i + 2, field=src.period_column))
            o = -1
        ordinals.append(o)
        labels.setdefault(o, str(value).removesuffix(".0"))
    if problems:
        raise UserError(f"{path.name} has periods that are not {plan.frequency}s", problems)
    out["period"] = ordinals
    for c in dict.fromkeys(wanted[2:]):
        out[c] = pd.to_numeric(frame[c], errors="coerce")
    dupes = out.duplicated(["unit", "period"])
    if dupes.any():
        i = int(dupes.to_numpy().nonzero()[0][0])
        raise UserError(
            f"{path.name} has more than one row for a unit and period",
            [Problem(f"repeats unit {out['unit'].iloc[i]!r}", file=str(path), line=i + 2)],
        )
    return Panel(
        frame=out,
        frequency=plan.frequency,
        source=f"csv:{src.path}",
        fingerprint=hashlib.sha256(raw).hexdigest(),
        labels=labels,
    )


def _nof_panel(plan: EvaluationPlan, plan_dir: Path, con: Connection | None) -> Panel:
    src = plan.data
    assert isinstance(src, NofSource)
    if con is None:
        raise UserError("NOF plans read the store", [Problem("pass --db", field="data.source")])
    metrics = [plan.outcome.primary, *plan.outcome.secondary]
    trust_type = src.trust_type
    if trust_type is not None:
        from oversight.frameworks import load_framework

        found = load_framework().trust_type_by_name(trust_type)
        trust_type = found.id if found is not None else trust_type
    # current revision of each release only; one value per trust, quarter and metric
    rows = nof_store.panel_values(con, metrics, trust_type).to_pandas()
    if rows.empty:
        raise UserError(
            f"No NOF values for {', '.join(metrics)} in the store",
            [
                Problem(
                    "check outcome.primary (a NOF metric ID) and data.trust_type",
                    field="outcome.primary",
                )
            ],
        )
    frame = rows.pivot_table(
        index=["unit", "quarter"], columns="metric_id", values="value", aggfunc="first"
    ).reset_index()
    labels = {parse_period(q, "quarter"): str(q) for q in frame["quarter"].unique()}
    frame["period"] = [parse_period(q, "quarter") for q in frame["quarter"]]
    frame = frame.drop(columns="quarter")
    for m in metrics:
        if m not in frame.columns:
            frame[m] = float("nan")
    digest = hashlib.sha256(
        rows.sort_values(["unit", "quarter", "metric_id"]).to_csv(index=False).encode()
    ).hexdigest()
    return Panel(frame=frame, frequency="quarter", source="nof", fingerprint=digest, labels=labels)


register_panel_source("csv", _csv_panel)
register_panel_source("nof", _nof_panel)
