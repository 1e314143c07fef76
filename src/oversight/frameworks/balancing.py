"""Balancing measures as data (``definitions/balancing-measures.yaml``): for each incentivised
(headline) metric, the measures that gaming it would worsen, and why.

Plain validated models, no database imports. Metric IDs refer to the source-metric set the file
names (:mod:`oversight.frameworks.source_metrics`) and are checked against it when loaded.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oversight.errors import Problem, UserError
from oversight.frameworks.loader import load_validated
from oversight.frameworks.source_metrics import SourceMetric, SourceMetricSet, source_metrics

BUNDLED = "balancing-measures.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BalancingPair(_Strict):
    headline: str  # the incentivised metric
    balancing: str  # a measure that gaming the headline would worsen
    why: str = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> BalancingPair:
        if self.headline == self.balancing:
            raise ValueError(f"{self.headline} cannot balance itself")
        return self


class BalancingSet(_Strict):
    id: str
    version: int = 1
    metric_set: str  # the id of the source-metric set the IDs refer to
    rule: str = Field(min_length=1)
    pairs: list[BalancingPair] = Field(min_length=1)


def checked(declared: BalancingSet, metrics: SourceMetricSet) -> BalancingSet:
    """``declared`` if every ID it names is a monthly-computable metric of ``metrics``."""
    problems = []
    if declared.metric_set != metrics.id:
        problems.append(Problem(f"metric_set {declared.metric_set!r} is not {metrics.id!r}"))
    for i, pair in enumerate(declared.pairs):
        for role in ("headline", "balancing"):
            found = metrics.metric(getattr(pair, role))
            if found is None:
                problems.append(
                    Problem(f"unknown metric {getattr(pair, role)!r}", field=f"pairs.{i}.{role}")
                )
            elif found.period_basis != "quarter_months" or found.kind == "value":
                problems.append(
                    Problem(f"{found.metric_id} has no monthly series", field=f"pairs.{i}.{role}")
                )
    if problems:
        raise UserError("Balancing measures refer to metrics that cannot be computed", problems)
    return declared


def metric_of(metrics: SourceMetricSet, metric_id: str) -> SourceMetric:
    found = metrics.metric(metric_id)
    if found is None:  # checked() refuses such a file; kept for a hand-built set
        raise UserError(f"Unknown metric {metric_id!r}", [Problem("see balancing-measures.yaml")])
    return found


@cache
def balancing_measures(path: Path | None = None) -> BalancingSet:
    if path is None:
        path = Path(str(resources.files("oversight.frameworks") / "definitions" / BUNDLED))
    declared = load_validated(path, BalancingSet, "balancing measures")
    return checked(declared, source_metrics())
