"""What every method returns: an effect, its interval, the checks of its assumptions, tables."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Check:
    """One assumption check: what was tested, the figure, and whether it raises doubt."""

    name: str
    value: float | None
    passed: bool | None  # None: informative only
    detail: str


@dataclass
class EffectResult:
    method: str
    estimate: float
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    se: float | None = None
    label: str = ""  # what the estimate is, e.g. "average effect on the treated, post-period"
    checks: list[Check] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    weights: dict[str, float] | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The headline as plain JSON types (NaN and infinities become null)."""
        out: dict[str, Any] = {
            "method": self.method,
            "label": self.label,
            "estimate": _num(self.estimate),
            "ci_low": _num(self.ci_low),
            "ci_high": _num(self.ci_high),
            "p_value": _num(self.p_value),
            "se": _num(self.se),
            "checks": [
                {"name": c.name, "value": _num(c.value), "passed": c.passed, "detail": c.detail}
                for c in self.checks
            ],
            "notes": list(self.notes),
        }
        if self.weights is not None:
            out["weights"] = {k: round(v, 6) for k, v in self.weights.items()}
        return out


def _num(x: float | None) -> float | None:
    if x is None:
        return None
    f = float(x)
    return None if math.isnan(f) or math.isinf(f) else f


def table_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table as JSON-ready records."""
    out = []
    for rec in frame.to_dict(orient="records"):
        out.append(
            {
                str(k): (_num(v) if isinstance(v, float | int) and not isinstance(v, bool) else v)
                for k, v in rec.items()
            }
        )
    return out
