"""Patient-level A&E metrics as data: which attendance records each count takes, and how the
published metrics are made from those counts.

A definition names *measures* (counts of attendance records meeting every listed condition,
per provider, month and department type) and *metrics* (sums and differences of measures over
some department types, optionally over a denominator). It says nothing about engines: the same
validated object is compiled for DuckDB and for Spark by ``oversight.engine.patient_level``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oversight.errors import Problem, UserError

TimeColumn = Literal["arrival", "departure", "decision_to_admit"]
FlagColumn = Literal["admitted", "booked"]
DepartmentType = Literal[1, 2, 3]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Flag(_Strict):
    """The record's flag equals ``equals`` (a missing flag never matches)."""

    kind: Literal["flag"] = "flag"
    flag: FlagColumn
    equals: bool = True


class Missing(_Strict):
    """The time column is missing (``missing: true``) or present (``missing: false``)."""

    kind: Literal["missing"] = "missing"
    column: TimeColumn
    missing: bool = True


class Wait(_Strict):
    """The time from ``start`` to ``end`` lies within the given bounds, in hours.

    ``more_than`` and ``less_than`` are strict, ``at_least`` and ``at_most`` inclusive. When
    either time is missing the condition is ``if_missing`` (a stay with no recorded end cannot
    be shown to have ended in time).
    """

    kind: Literal["wait"] = "wait"
    start: TimeColumn
    end: TimeColumn
    more_than: float | None = Field(default=None, ge=0)
    at_least: float | None = Field(default=None, ge=0)
    at_most: float | None = Field(default=None, ge=0)
    less_than: float | None = Field(default=None, ge=0)
    if_missing: bool = False

    @model_validator(mode="after")
    def _one_bound_each_side(self) -> Wait:
        if self.more_than is not None and self.at_least is not None:
            raise ValueError("give more_than or at_least, not both")
        if self.at_most is not None and self.less_than is not None:
            raise ValueError("give at_most or less_than, not both")
        if all(b is None for b in (self.more_than, self.at_least, self.at_most, self.less_than)):
            raise ValueError("a wait needs at least one bound")
        if self.start == self.end:
            raise ValueError("start and end must be different columns")
        return self


Condition = Annotated[Flag | Missing | Wait, Field(discriminator="kind")]


class Measure(_Strict):
    """A count of records meeting every condition (no conditions: every record)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str
    where: list[Condition] = Field(default_factory=list)


class Sum(_Strict):
    """``sum(plus) - sum(minus)`` over the metric's department types."""

    plus: list[str] = Field(min_length=1)
    minus: list[str] = Field(default_factory=list)


class Metric(_Strict):
    """value = numerator / denominator (a share), or the numerator alone (a count)."""

    id: str = Field(pattern=r"^ae_[a-z0-9_]+$")
    description: str
    department_types: list[DepartmentType] = Field(min_length=1)
    numerator: Sum
    denominator: Sum | None = None


class PatientLevelDefinition(_Strict):
    id: str
    version: str
    name: str
    sources: list[str] = Field(default_factory=list)
    month_from: TimeColumn = Field(
        default="arrival", description="the time whose calendar month an attendance counts in"
    )
    measures: list[Measure] = Field(min_length=1)
    metrics: list[Metric] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_exist(self) -> PatientLevelDefinition:
        ids = [m.id for m in self.measures]
        problems = [f"@measures: duplicate measure id {i!r}" for i in set(ids) if ids.count(i) > 1]
        known = set(ids)
        for n, metric in enumerate(self.metrics):
            parts = [("numerator", metric.numerator), ("denominator", metric.denominator)]
            for name, part in parts:
                if part is None:
                    continue
                for ref in [*part.plus, *part.minus]:
                    if ref not in known:
                        problems.append(f"@metrics.{n}.{name}: unknown measure {ref!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def measure_ids(self) -> list[str]:
        return [m.id for m in self.measures]

    def metric(self, metric_id: str) -> Metric:
        for m in self.metrics:
            if m.id == metric_id:
                return m
        raise KeyError(metric_id)


BUNDLED_DEFINITIONS = {"ae-patient-level-v1": "ae-patient-level-v1.yaml"}
DEFAULT_DEFINITION = "ae-patient-level-v1"


def load_patient_level_definition(source: str | Path | None = None) -> PatientLevelDefinition:
    """A bundled definition by name (default: the A&E definition v1), or a YAML file by path."""
    from oversight.frameworks.loader import load_validated

    name = str(source) if source is not None else DEFAULT_DEFINITION
    if name in BUNDLED_DEFINITIONS:
        ref = resources.files("oversight.frameworks") / "definitions" / BUNDLED_DEFINITIONS[name]
        path = Path(str(ref))
    else:
        path = Path(name)
    if not path.exists():
        raise UserError(
            f"No patient-level definition at {path}",
            [Problem(f"bundled: {', '.join(BUNDLED_DEFINITIONS)}", file=str(path))],
        )
    return load_validated(path, PatientLevelDefinition, "patient-level definition")
