"""Valid values in NHS England's NOF publication files, declared as data.

The declaration is ``definitions/nof-publication.yaml``; the NOF reader
(:mod:`oversight.ingest.nof`) checks every row against it, so a bound lives in one place.
"""

from __future__ import annotations

import math
import re
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from oversight.frameworks.loader import load_validated


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueRange(_Strict):
    """An inclusive range, optionally of whole numbers; NaN and infinity are never inside."""

    min: float | None = None
    max: float | None = None
    integer: bool = False
    at_most_trusts: bool = False  # max is the number of trusts in the file that quarter

    @model_validator(mode="after")
    def _ordered(self) -> ValueRange:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self

    def describe(self, trusts: int | None = None) -> str:
        high = trusts if self.at_most_trusts and trusts is not None else self.max
        kind = "a whole number" if self.integer else "a number"
        if self.min is not None and high is not None:
            return f"{kind} from {_fmt(self.min)} to {_fmt(high)}"
        if self.min is not None:
            return f"{kind} of at least {_fmt(self.min)}"
        if high is not None:
            return f"{kind} of at most {_fmt(high)}"
        return f"a finite {kind[2:]}"

    def contains(self, value: float, trusts: int | None = None) -> bool:
        if not math.isfinite(value):
            return False
        if self.integer and value != int(value):
            return False
        if self.min is not None and value < self.min:
            return False
        high = trusts if self.at_most_trusts and trusts is not None else self.max
        return high is None or value <= high


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


class MetricFamily(_Strict):
    pattern: str
    what: str
    value: ValueRange

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        re.compile(v)
        return v


class DataFileRules(_Strict):
    rank: ValueRange
    families: list[MetricFamily] = Field(min_length=1)
    raw_pattern: str
    units: dict[str, ValueRange]
    metrics: dict[str, ValueRange] = Field(default_factory=dict)

    def value_range(self, metric_id: str, units: str) -> tuple[str, ValueRange] | None:
        """What a metric's values must be (and what the rule is called), if anything is declared."""
        if metric_id in self.metrics:
            return f"metric {metric_id}", self.metrics[metric_id]
        for family in self.families:
            if re.match(family.pattern, metric_id):
                return family.what, family.value
        if re.match(self.raw_pattern, metric_id) and units in self.units:
            return f"units {units!r}", self.units[units]
        return None


class LeagueTableRules(_Strict):
    average_score: ValueRange
    segment: ValueRange
    rank: ValueRange


class NofPublication(_Strict):
    """The declaration of valid values in the NOF data file and league table."""

    data_file: DataFileRules
    league_table: LeagueTableRules


def bundled_publication_path() -> Path:
    ref = resources.files("oversight.frameworks") / "definitions" / "nof-publication.yaml"
    return Path(str(ref))


@cache
def nof_publication() -> NofPublication:
    """The bundled declaration (read once)."""
    return load_validated(bundled_publication_path(), NofPublication, "NOF publication rules")
