"""Response models of the balancing route: headline metrics improving while a measure that gaming
them would worsen gets worse (issue 15, item 5)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class BalancingAlertOut(BaseModel):
    code: str
    name: str
    month: str
    headline: str = Field(description="the incentivised metric's ID")
    headline_title: str
    headline_value: float
    headline_label: str = Field(description="the Making Data Count rule that fired")
    balancing: str = Field(description="the balancing measure's ID")
    balancing_title: str
    balancing_value: float
    balancing_label: str
    why: str


class BalancingPairOut(BaseModel):
    headline: str
    headline_title: str
    balancing: str
    balancing_title: str
    why: str = Field(description="why gaming the headline would worsen the balancing measure")
    month: str | None = Field(description="the month judged; null when nothing is stored")
    judged: int = Field(description="organisations with both values that month")
    alerts: list[BalancingAlertOut]


class BalancingOut(BaseModel):
    rule: str
    pairs: list[BalancingPairOut]
