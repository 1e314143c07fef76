"""Consequence policies as data: which results lead to which freedoms, support or intervention.

A policy sits beside a framework. Its rules map an organisation's history (segment per
quarter, how sure the segment is, the financial override, the size of its deficit, domain
results) to consequences, each with an effective period and a plain-English reason. The
thresholds live in ``parameters`` so that a region or ICB can run a variant by changing
numbers, not code: anywhere a number is expected, ``$name`` refers to a parameter.

Deficit bands are written ``{above: a, up_to: b}`` and mean ``a < deficit <= b``: the lower
edge is exclusive, the upper edge inclusive ("over £30m" is above 30). The first band may
omit ``above`` (no lower limit) and the last ``up_to`` (no upper limit); bands must meet
end to end, with neither gaps nor overlaps.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["freedom", "support", "intervention", "sanction", "financial", "capital"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """Every clause given must hold (clauses not given are not checked)."""

    condition: str | None = Field(default=None, description="a named condition, by id")
    segment_in: list[int] | None = Field(
        default=None, description="segment after the financial override; 5 = intensive support"
    )
    sure: bool | None = Field(
        default=None,
        description="likely range of rank wholly inside the rank block of the segment",
    )
    likely_rank_in_bottom: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="the likely range of rank lies wholly in this bottom fraction of the type",
    )
    likely_rank_in_top: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="the likely range of rank lies wholly in this top fraction of the type",
    )
    financial_deficit: bool | None = Field(default=None, description="the override flag")
    deficit_band_in: list[str] | None = None
    domain_segment_in: dict[str, list[int]] | None = None
    metric_score_at_most: dict[str, float] | None = None
    metric_score_at_least: dict[str, float] | None = None
    any_of: list[Condition] | None = None
    for_quarters: int | None = Field(
        default=None, ge=1, description="the condition held in this many consecutive quarters"
    )

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if not any(v is not None for k, v in self if k != "for_quarters"):
            raise ValueError("a condition needs at least one clause")
        for seg in self.segment_in or []:
            if not 1 <= seg <= 5:
                raise ValueError(f"@segment_in: segments run 1 to 5, not {seg}")
        return self


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Kind
    title: str
    consequences: list[str] = Field(min_length=1, description="what happens, in plain English")
    reason: str = Field(min_length=1, description="why, in plain English")
    when: Condition
    keep_while: Condition | None = Field(
        default=None,
        description="once applied, the consequence stays while this holds (default: `when`)",
    )
    effective_from: str = Field(pattern=r"^Q[1-4] \d{4}/\d{2}$")
    effective_to: str | None = Field(default=None, pattern=r"^Q[1-4] \d{4}/\d{2}$")


class DeficitBand(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    above: float | None = None
    up_to: float | None = None


class DeficitMeasure(_Strict):
    """A metric of the framework whose value measures surplus (+) or deficit (-)."""

    metric: str = Field(pattern=r"^OF0\d{3}$")
    units: Literal["percent_of_turnover"] = "percent_of_turnover"
    deficit_is: Literal["negative", "positive"] = "negative"


class DeficitLadder(_Strict):
    """Bands of overspend in £m (when turnover is known) and as % of turnover."""

    measure: DeficitMeasure
    bands_gbp_m: list[DeficitBand] = Field(min_length=1)
    bands_percent: list[DeficitBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _ladders_tile(self) -> DeficitLadder:
        problems = _tiling_problems("bands_gbp_m", self.bands_gbp_m) + _tiling_problems(
            "bands_percent", self.bands_percent
        )
        if [b.id for b in self.bands_gbp_m] != [b.id for b in self.bands_percent]:
            problems.append("@bands_percent: must name the same bands, in order, as bands_gbp_m")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _tiling_problems(name: str, bands: list[DeficitBand]) -> list[str]:
    problems = []
    for i, band in enumerate(bands):
        if band.above is not None and band.up_to is not None and band.up_to <= band.above:
            problems.append(f"@{name}.{i}.up_to: {band.up_to:g} is not above {band.above:g}")
        if i == 0 and band.above is not None:
            problems.append(f"@{name}.0.above: the first band must have no lower limit")
        if i == len(bands) - 1 and band.up_to is not None:
            problems.append(f"@{name}.{i}.up_to: the last band must have no upper limit")
        if i > 0:
            prev = bands[i - 1]
            if prev.up_to is None or band.above is None:
                problems.append(f"@{name}.{i}.above: only the first band may be open below")
            elif band.above < prev.up_to:
                problems.append(
                    f"@{name}.{i}.above: band {band.id!r} overlaps {prev.id!r} "
                    f"({band.above:g} < {prev.up_to:g})"
                )
            elif band.above > prev.up_to:
                problems.append(
                    f"@{name}.{i}.above: gap between {prev.id!r} and {band.id!r} "
                    f"({prev.up_to:g} to {band.above:g})"
                )
    ids = [b.id for b in bands]
    if len(set(ids)) != len(ids):
        problems.append(f"@{name}: band ids repeat")
    return problems


class CapitalFormula(_Strict):
    """Weights multiply; shares are proportional to weight, then held between floor and cap."""

    description: str
    segment_weights: dict[int, float]
    finance_domain: str = Field(description="the domain whose segment shows financial management")
    finance_segment_weights: dict[int, float]
    missing_weight: float = Field(default=1.0, gt=0)
    floor: float = Field(ge=0, le=1, description="least share, as a multiple of the equal share")
    cap: float = Field(ge=1, description="largest share, as a multiple of the equal share")

    @model_validator(mode="after")
    def _positive(self) -> CapitalFormula:
        problems = [
            f"@{field}.{k}: weights must be positive, not {w:g}"
            for field, table in (
                ("segment_weights", self.segment_weights),
                ("finance_segment_weights", self.finance_segment_weights),
            )
            for k, w in table.items()
            if w <= 0
        ]
        missing = {1, 2, 3, 4, 5} - set(self.segment_weights)
        if missing:
            problems.append(f"@segment_weights: no weight for segment(s) {sorted(missing)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class PaymentScheme(_Strict):
    """Part of each contract is paid on performance: attainment 1 at score 1, 0 at score 4."""

    description: str
    performance_share_by_year: dict[str, float] = Field(min_length=1)
    metrics: list[str] | Literal["all"] = "all"
    weights: Literal["framework"] = "framework"

    @model_validator(mode="after")
    def _shares(self) -> PaymentScheme:
        problems = []
        for year, share in self.performance_share_by_year.items():
            if not 0 <= share <= 1:
                problems.append(f"@performance_share_by_year.{year}: a share is 0 to 1")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Policy(_Strict):
    id: str
    version: str
    name: str
    framework: str = Field(description="the framework id this policy reads results of")
    description: str = ""
    sources: list[str] = []
    parameters: dict[str, float] = {}
    conditions: dict[str, Condition] = {}
    rules: list[Rule] = Field(min_length=1)
    deficit_ladder: DeficitLadder
    capital: CapitalFormula
    payments: PaymentScheme

    @model_validator(mode="after")
    def _references(self) -> Policy:
        problems = []
        ids = [r.id for r in self.rules]
        for i, rule in enumerate(self.rules):
            if rule.id in ids[:i]:
                first = ids.index(rule.id)
                problems.append(f"@rules.{i}.id: the id is already used by rules.{first}")
            for part, cond in (("when", rule.when), ("keep_while", rule.keep_while)):
                if cond is not None:
                    problems += _condition_problems(self, cond, f"rules.{i}.{part}")
        for name, cond in self.conditions.items():
            problems += _condition_problems(self, cond, f"conditions.{name}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _condition_problems(policy: Policy, cond: Condition, at: str) -> list[str]:
    problems = []
    bands = {b.id for b in policy.deficit_ladder.bands_gbp_m}
    if cond.condition is not None and cond.condition not in policy.conditions:
        problems.append(f"@{at}.condition: no condition named {cond.condition!r}")
    for band in cond.deficit_band_in or []:
        if band not in bands:
            problems.append(f"@{at}.deficit_band_in: no deficit band {band!r}")
    for i, sub in enumerate(cond.any_of or []):
        problems += _condition_problems(policy, sub, f"{at}.any_of.{i}")
    return problems
