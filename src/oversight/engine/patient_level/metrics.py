"""Metric values from the definition's counts: sums over department types, then the share.

This runs on the small counts table (a few rows per provider-month), after the engine has done
the record-level work, so it is the same Python for every engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from oversight.frameworks.patient_level import PatientLevelDefinition, Sum

METRIC_COLUMNS = ["month", "code", "metric", "value", "numerator", "denominator"]


@dataclass(frozen=True)
class MetricValue:
    month: str  # YYYY-MM
    code: str
    metric: str
    value: float | None  # a share in [0, 1], or a count; None when the denominator is 0
    numerator: int
    denominator: int | None

    def row(self) -> dict[str, Any]:
        return asdict(self)


def _total(part: Sum, by_type: dict[int, dict[str, int]], types: Sequence[int]) -> int:
    return sum(
        by_type[t][m] * sign
        for t in types
        for sign, ids in ((1, part.plus), (-1, part.minus))
        for m in ids
    )


def metric_values(counts: pa.Table, definition: PatientLevelDefinition) -> list[MetricValue]:
    """Every metric of the definition for every provider-month in ``counts``."""
    groups: dict[tuple[date, str], dict[int, dict[str, int]]] = defaultdict(dict)
    for row in counts.to_pylist():
        groups[(row["month"], row["provider"])][row["department_type"]] = row
    out = []
    for (month, code), by_type in sorted(groups.items()):
        for metric in definition.metrics:
            types = [t for t in metric.department_types if t in by_type]
            if not types:  # e.g. the type 1 share of a provider with no type 1 department
                continue
            num = _total(metric.numerator, by_type, types)
            den = None if metric.denominator is None else _total(metric.denominator, by_type, types)
            if den is None:
                value: float | None = float(num)
            else:
                value = num / den if den else None
            out.append(MetricValue(month.strftime("%Y-%m"), code, metric.id, value, num, den))
    return out
