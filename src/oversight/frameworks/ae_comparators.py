"""The A&E peer groups red/amber/green may be judged against, as data: the size bands declared
in the ``comparators`` block of ``definitions/collections/ae_monthly.yaml`` (the reason for the
bounds is written there). Plain validated models, no database imports."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oversight.errors import Problem, UserError
from oversight.frameworks.collections import collection


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SizeBand(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    lower: float = Field(alias="from", ge=0)  # the band holds sizes from here to the next band


class SizeBands(_Strict):
    metric: str  # the A&E metric whose denominator is the provider's size
    title: str
    bands: list[SizeBand] = Field(min_length=2)

    @model_validator(mode="after")
    def _ordered(self) -> SizeBands:
        bounds = [b.lower for b in self.bands]
        if bounds != sorted(set(bounds)) or bounds[0] != 0:
            raise ValueError("bands: 'from' must start at 0 and rise strictly")
        return self

    def band_of(self, size: float) -> SizeBand:
        """The band a size falls in (the last band whose lower bound it reaches)."""
        return [b for b in self.bands if size >= b.lower][-1]


class AeComparators(_Strict):
    size_bands: SizeBands


@cache
def ae_comparators(collection_id: str = "ae_monthly") -> AeComparators:
    """The collection's declared peer groups (read once)."""
    block = collection(collection_id).comparators
    try:
        return AeComparators.model_validate(block)
    except ValueError as exc:
        raise UserError(
            f"{collection_id}.yaml: the comparators block is not valid",
            [Problem(str(exc).splitlines()[0], field="comparators")],
        ) from exc
