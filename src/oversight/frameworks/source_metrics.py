"""NOF metrics computed from public source statistics, declared as data.

Each metric names its collection (:mod:`oversight.frameworks.collections`), the measures summed
for its numerator and denominator, which breakdowns and subgroups count, and its *period basis*:
the quarter's three months summed, the latest month of the quarter, or the survey year the
framework names for the quarter. A metric that public data cannot give (finance plans,
infections, SHMI, sickness absence ...) is listed under ``not_computable`` with the reason, so a
user sees it is missing rather than a guess.

Plain validated models, no database imports.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oversight.frameworks.loader import load_validated


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Part(_Strict):
    """A sum of measures over the given breakdowns and subgroups (``None``: every one)."""

    measures: list[str] = Field(min_length=1)
    breakdowns: list[str] | None = None
    subgroups: list[str] | None = None


class SourceMetric(_Strict):
    metric_id: str  # the NOF ID (OF0010) or, where NHS England publishes none, an Oversight ID
    title: str
    trust_types: list[str] = Field(min_length=1)
    collection: str
    kind: Literal["share", "share_within", "ratio", "value"]
    # share: numerator / denominator * scale; share_within: (1 - exceeding / denominator) *
    # scale; ratio: numerator / denominator (a mean from a total and a count); value: the
    # numerator's measure as published (a survey score), no denominator
    numerator: Part
    denominator: Part | None = None
    scale: float = 1.0
    unit: str
    polarity: Literal["higher_is_better", "lower_is_better"]
    period_basis: Literal["quarter_months", "latest_month", "survey_year"]
    definition: str  # plain English, including where it departs from NHS England's own
    nof_id_verified: bool = True  # False: NHS England's ID for this measure is not confirmed

    @model_validator(mode="after")
    def _parts(self) -> SourceMetric:
        needs = self.kind != "value"
        if needs and self.denominator is None:
            raise ValueError(f"{self.metric_id}: a {self.kind} needs a denominator")
        if not needs and self.denominator is not None:
            raise ValueError(f"{self.metric_id}: a value has no denominator")
        return self


class NotComputable(_Strict):
    metric_id: str
    title: str
    reason: str


class SourceMetricSet(_Strict):
    id: str
    framework: str
    # quarter label -> survey year whose results the framework uses in that quarter
    survey_year_for_quarter: dict[str, int] = Field(default_factory=dict)
    # the collection whose breakdown gives every trust's type, and how its groups map to types
    trust_types_from: str | None = None
    trust_type_by_group: dict[str, str] = Field(default_factory=dict)
    metrics: list[SourceMetric]
    not_computable: list[NotComputable] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> SourceMetricSet:
        ids = [m.metric_id for m in self.metrics] + [m.metric_id for m in self.not_computable]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"metric ids declared twice: {', '.join(dupes)}")
        return self

    def for_type(self, trust_type: str) -> list[SourceMetric]:
        return [m for m in self.metrics if trust_type in m.trust_types]

    def metric(self, metric_id: str) -> SourceMetric | None:
        return next((m for m in self.metrics if m.metric_id == metric_id), None)


BUNDLED = "source-metrics-2025-26.yaml"


@cache
def source_metrics(path: Path | None = None) -> SourceMetricSet:
    if path is None:
        path = Path(str(resources.files("oversight.frameworks") / "definitions" / BUNDLED))
    return load_validated(path, SourceMetricSet, "source metric set")
