"""A series with its SPC (XmR) chart, computed once and joined point by point.

The CLI (`oversight spc`) and the API's series views both need each period's value beside the
limits, label and point type of the chart drawn from the known values. ``with_spc`` does that
join once; faces only render its ``SpcPoint`` rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oversight.stats import spc


@dataclass(frozen=True, slots=True)
class SpcPoint:
    """One period: its value and, where the chart covers it, the limits and Making Data Count
    label (None for a missing value or a series too short to chart)."""

    period: str
    value: float | None
    mean: float | None = None
    lower: float | None = None
    upper: float | None = None
    label: str | None = None
    point_type: str | None = None


@dataclass(frozen=True, slots=True)
class SeriesSpc:
    points: list[SpcPoint]
    chart: spc.Chart | None  # None when too few values are known
    direction: spc.Direction


def with_spc(
    periods: Sequence[str],
    values: Sequence[float | None],
    direction: spc.Direction,
    target: float | None = None,
    screen: bool = True,
    fix_after: int | None = None,
    min_points: int = 2,
    change_points: Sequence[str] = (),
) -> SeriesSpc:
    """The XmR chart of the known values, joined back onto every period (gaps kept).

    ``change_points`` (periods, sorting as ``periods`` do: "YYYY-MM" months) start new phases,
    each with its own limits (Making Data Count's rebasing); none gives one set of limits.

    No chart (``chart`` None, points without limits) when fewer than ``min_points`` values are
    known: the dashboard wants two at least (one point has no moving range).
    """
    if len(periods) != len(values):
        raise ValueError(f"{len(periods)} periods but {len(values)} values")
    known = [i for i, v in enumerate(values) if v is not None]
    rebase = spc.phase_starts([periods[i] for i in known], change_points)
    chart = (
        spc.chart(
            [float(values[i]) for i in known],  # type: ignore[arg-type]
            direction,
            target,
            screen=screen,
            fix_after=fix_after,
            rebase=rebase,
        )
        if known and len(known) >= min_points
        else None
    )
    at = {period_index: k for k, period_index in enumerate(known)}
    points = []
    for i, (period, value) in enumerate(zip(periods, values, strict=True)):
        k = at.get(i)
        if chart is None or k is None:
            points.append(SpcPoint(period, value))
            continue
        lim = chart.limits[int(chart.groups[k])]
        points.append(
            SpcPoint(
                period,
                value,
                lim.mean,
                lim.lower,
                lim.upper,
                chart.labels[k],
                chart.point_types[k],
            )
        )
    return SeriesSpc(points, chart, direction)
