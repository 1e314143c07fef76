"""What series and funnels are made of, whatever their source (NOF quarters, a collection's
monthly measures, a CSV of counts): a leaf both ``engine/nof`` and ``engine/sources`` feed."""

from __future__ import annotations

from dataclasses import dataclass

from oversight.stats.spc import Direction


@dataclass(frozen=True)
class Series:
    code: str
    name: str
    metric: str
    description: str
    periods: list[str]
    values: list[float]
    direction: Direction
    frequency: str  # "quarterly" or "monthly"


@dataclass(frozen=True)
class Unit:
    """One organisation in a funnel plot: its counts."""

    code: str
    name: str
    numerator: float
    denominator: float
