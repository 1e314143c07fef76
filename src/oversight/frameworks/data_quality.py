"""Data-quality rules declared per metric (the framework file's ``data_quality`` section).

A rule flags a published value; flagged values are shown as flagged and, on request, the league
table is recomputed treating them as missing. The official table never changes. With no rules
(the default) nothing is flagged.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValidRange(_Strict):
    """An inclusive range a metric's values must lie in."""

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ValidRange:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class EveryMetric(_Strict):
    """Checks made on every declared metric of the trust type."""

    # a raw value that is absent or suppressed (published empty) while its score is published
    missing: bool = False
    # the range the publication file declares for the metric (definitions/nof-publication.yaml)
    publication_range: bool = False


class QualityRule(_Strict):
    """The checks on one metric, named by its raw ID (OF0xxx) or its score ID (OF1xxx)."""

    metric: str
    min_denominator: float | None = Field(default=None, gt=0)
    # the published ID whose value is the metric's denominator; None: the denominator the
    # source statistics give for the metric (service/metric_values.py). A rule whose denominator
    # is not in the store is reported as not applied rather than flagging anything
    denominator_id: str | None = None
    valid_range: ValidRange | None = None
    # the metric is a total of these published IDs: flagged when it disagrees beyond tolerance
    parts: list[str] = []
    tolerance: float = Field(default=0.0, ge=0)
    note: str = ""


class DataQuality(_Strict):
    every_metric: EveryMetric = EveryMetric()
    rules: list[QualityRule] = []

    @property
    def is_empty(self) -> bool:
        e = self.every_metric
        return not (e.missing or e.publication_range or self.rules)
