"""An evaluation plan as data: what was done, to whom and when, how it will be judged.

Written before the results exist and registered (hashed, timestamped) so that the analysis
cannot quietly drift towards a pleasing answer. The plan is pure definition: no data access.
Whether its organisations, dates and outcomes exist is checked against the panel at run time
(:mod:`oversight.evaluation.validate`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from oversight.errors import Problem, UserError
from oversight.frameworks.yaml_files import read_yaml

Period = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _period_text(value: Any) -> Any:
    # YAML reads 1989 as an int and 2019-04 as a string; periods are compared as text labels
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class TreatedUnit(_Strict):
    unit: str = Field(min_length=1, description="Organisation code (or unit name in a CSV panel).")
    start: Period = Field(description="First period under the intervention.")

    _start = field_validator("start", mode="before")(_period_text)


class CsvSource(_Strict):
    """A user's own long panel: one row per unit and period."""

    source: Literal["csv"]
    path: str = Field(description="CSV file, relative to the plan file.")
    unit_column: str = "unit"
    period_column: str = "period"
    denominator_column: str | None = None
    covariates: list[str] = Field(default_factory=list)


class NofSource(_Strict):
    """Quarterly NOF metric values already in the store."""

    source: Literal["nof"]
    trust_type: str | None = Field(default=None, description="Limit to one trust type.")


class AeSource(_Strict):
    """Monthly A&E attendances and 4-hour performance (needs the A&E ingest)."""

    source: Literal["ae"]
    organisation_level: Literal["trust"] = "trust"
    merge_predecessors: bool = Field(
        default=True, description="Sum predecessors before a merger into the successor."
    )


DataSource = Annotated[CsvSource | NofSource | AeSource, Field(discriminator="source")]


class Outcome(_Strict):
    primary: str = Field(min_length=1, description="Outcome column, NOF metric ID or A&E measure.")
    secondary: list[str] = Field(default_factory=list)
    smallest_effect: float = Field(
        gt=0, description="Smallest effect (in outcome units) that would matter in practice."
    )
    better: Literal["higher", "lower"] = Field(
        default="higher", description="Which direction is an improvement."
    )


class Comparison(_Strict):
    pool: Literal["all"] | list[str] = Field(
        default="all", description="'all' untreated units, or the list of comparison units."
    )
    exclude: list[str] = Field(default_factory=list)


class Window(_Strict):
    start: Period
    end: Period | None = None

    _periods = field_validator("start", "end", mode="before")(_period_text)


class TwfeMethod(_Strict):
    """Two-way fixed-effects DiD with an event study (leads and lags)."""

    method: Literal["twfe"]
    leads: int = Field(default=3, ge=1, le=24)
    lags: int = Field(default=3, ge=0, le=60)


class CallawaySantAnnaMethod(_Strict):
    """Group-time effects for staggered adoption (Callaway & Sant'Anna 2021)."""

    method: Literal["callaway_santanna"]
    control_group: Literal["never_treated", "not_yet_treated"] = "never_treated"
    estimation: Literal["reg", "dr", "ipw"] = "reg"


class Predictor(_Strict):
    variable: str
    start: Period
    end: Period | None = None
    op: Literal["mean"] = "mean"

    _periods = field_validator("start", "end", mode="before")(_period_text)


class SyntheticControlMethod(_Strict):
    """Synthetic control for one treated organisation (Abadie, Diamond & Hainmueller 2010)."""

    method: Literal["synthetic_control"]
    predictors: list[Predictor] = Field(
        default_factory=list, description="Empty: the pre-period outcome averaged by year/quarter."
    )
    polish: int = Field(default=6, ge=1, le=100, description="V-search: starts polished.")
    random_draws: int = Field(default=40, ge=0, le=10_000, description="V-search: random Vs.")
    placebo_polish: int = Field(default=2, ge=1, le=100)
    placebo_random_draws: int = Field(default=10, ge=0, le=10_000)
    seed: int = 0
    placebos: bool = True
    fit_start: Period | None = Field(
        default=None, description="First period of the fit window (default: pre-period start)."
    )
    fit_end: Period | None = Field(
        default=None, description="Last period of the fit window (default: before the start)."
    )

    _fit = field_validator("fit_start", "fit_end", mode="before")(_period_text)


class PilotDesignMethod(_Strict):
    """Power and minimum detectable effect by placebo simulation on the historical panel."""

    method: Literal["pilot_design"]
    organisations: list[int] = Field(default=[3, 5, 10], min_length=1)
    post_periods: list[int] = Field(default=[6, 12], min_length=1)
    draws: int = Field(default=1000, ge=50, le=100_000)
    target_power: float = Field(default=0.8, gt=0, lt=1)
    seed: int = 0

    @field_validator("organisations", "post_periods")
    @classmethod
    def _positive(cls, values: list[int]) -> list[int]:
        if any(v < 1 for v in values):
            raise ValueError("must be positive whole numbers")
        return values


MethodSpec = Annotated[
    TwfeMethod | CallawaySantAnnaMethod | SyntheticControlMethod | PilotDesignMethod,
    Field(discriminator="method"),
]

MIN_PRE_PERIODS = {"twfe": 2, "callaway_santanna": 1, "synthetic_control": 5, "pilot_design": 2}


class EvaluationPlan(_Strict):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    intervention: str = Field(min_length=1)
    frequency: Literal["year", "quarter", "month"]
    data: DataSource
    treated: list[TreatedUnit] = Field(default_factory=list)
    outcome: Outcome
    comparison: Comparison = Comparison()
    pre_period: Window
    post_period_end: Period | None = None
    methods: list[MethodSpec] = Field(min_length=1)
    alpha: float = Field(default=0.05, gt=0, lt=0.5)

    _post = field_validator("post_period_end", mode="before")(_period_text)

    @model_validator(mode="after")
    def _consistent(self) -> EvaluationPlan:
        units = [t.unit for t in self.treated]
        dupes = sorted({u for u in units if units.count(u) > 1})
        if dupes:
            raise ValueError(f"treated organisations listed twice: {', '.join(dupes)}")
        kinds = {m.method for m in self.methods}
        if kinds - {"pilot_design"} and not self.treated:
            raise ValueError("treated: at least one treated organisation is needed for effects")
        return self

    def canonical_json(self) -> str:
        """Stable text of the plan's meaning: the same plan always hashes the same."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))

    @property
    def plan_hash(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()


def load_plan(path: str | Path) -> EvaluationPlan:
    """Read and validate a plan file; every problem names the file and the field."""
    p = Path(path)
    if not p.exists():
        raise UserError(f"No plan file at {p}", [Problem("check the path", file=str(p))])
    _, raw = read_yaml(p)
    if not isinstance(raw, dict):
        raise UserError(f"Plan {p.name} must be a YAML mapping", [Problem("", file=str(p))])
    try:
        return EvaluationPlan.model_validate(raw)
    except ValidationError as exc:
        raise UserError(
            f"Plan {p.name} is not a valid evaluation plan",
            [
                Problem(
                    err["msg"],
                    file=str(p),
                    field=".".join(str(x) for x in err["loc"]) or None,
                )
                for err in exc.errors()
            ],
        ) from None
