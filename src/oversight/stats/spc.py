"""Statistical process control: XmR charts with NHS England's "Making Data Count" rules.

Limits (an XmR, or individuals, chart): the centre line is the mean; the moving range is the
absolute difference between consecutive points; the process limits are
mean +/- 2.66 x (mean moving range), and the "close to the limit" lines sit two-thirds of the way
out (mean +/- 1.773 x mean moving range, about 2 sigma). Moving ranges of at least 3.267 times
their mean are screened out before the mean moving range is taken (the default of the NHS-R
package NHSRplotthedots; the Making Data Count spreadsheet does not screen: ``screen=False``).

Special-cause rules, as Making Data Count defines them (and NHSRplotthedots implements them):

* a point beyond a process limit (strictly);
* a shift: 7 or more consecutive points on the same side of the mean (a point on the mean
  breaks the run); every point of the run is flagged;
* a trend: 7 or more consecutive points each strictly higher (or lower) than the one before
  (a repeated value breaks it); every point of the trend is flagged;
* two out of three consecutive points close to a limit (beyond the 2-sigma line but not
  beyond the limit), all three on the same side of the mean; the points close to the limit
  are flagged.

A point matching several rules is labelled by the first in the order: beyond a limit, trend,
two-in-three, shift. With the direction of improvement, each special-cause point is an
improvement or a concern (or, with no preferred direction, neutral high/low). The variation
icon describes the latest point; the assurance icon compares a target with the limits.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of 2
SCREEN_FACTOR = 3.267  # D4 for moving ranges of 2: the upper limit of the moving range chart
RUN = 7

Direction = Literal["increase", "decrease", "neutral"]
Variation = Literal[
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
]
Assurance = Literal["consistent_pass", "consistent_fail", "inconsistent"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Limits:
    mean: float
    mean_moving_range: float
    lower: float  # lower process limit
    upper: float
    near_lower: float  # two-thirds of the way to the lower limit (about 2 sigma)
    near_upper: float
    points_used: int


def xmr_limits(y: ArrayLike, screen: bool = True, fix_after: int | None = None) -> Limits:
    """XmR limits of a series (the first ``fix_after`` points only, if given)."""
    arr = np.asarray(y, dtype=np.float64)
    base = arr[:fix_after] if fix_after else arr
    if base.size < 2:
        raise ValueError("an XmR chart needs at least 2 points")
    mean = float(base.mean())
    mr = np.abs(np.diff(base))
    mr_bar = float(mr.mean())
    if screen and mr_bar > 0:
        kept = mr[mr < SCREEN_FACTOR * mr_bar]
        mr_bar = float(kept.mean()) if kept.size else mr_bar
    width = LIMIT_FACTOR * mr_bar
    return Limits(
        mean,
        mr_bar,
        mean - width,
        mean + width,
        mean - 2 / 3 * width,
        mean + 2 / 3 * width,
        int(base.size),
    )


def relative_to_mean(y: ArrayLike, mean: ArrayLike) -> IntArray:
    out: IntArray = np.sign(np.asarray(y, dtype=np.float64) - np.asarray(mean)).astype(np.int64)
    return out


def beyond_limits(y: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> IntArray:
    """+1 above the upper limit, -1 below the lower, else 0 (a point on a limit is inside)."""
    v = np.asarray(y, dtype=np.float64)
    lower = np.asarray(lower, dtype=np.float64)
    upper = np.asarray(upper, dtype=np.float64)
    out: IntArray = np.where(v > upper, 1, np.where(v < lower, -1, 0)).astype(np.int64)
    return out


def close_to_limits(
    y: ArrayLike, limits_: Sequence[Limits] | Limits, groups: ArrayLike
) -> IntArray:
    """+1 / -1 for points beyond the upper / lower 2-sigma line but not beyond the limit."""
    v = np.asarray(y, dtype=np.float64)
    g = np.asarray(groups, dtype=np.int64)
    table = [limits_] if isinstance(limits_, Limits) else list(limits_)
    near_hi = np.array([table[i].near_upper for i in g])
    near_lo = np.array([table[i].near_lower for i in g])
    out = beyond_limits(v, [table[i].lower for i in g], [table[i].upper for i in g])
    close: IntArray = np.where(out != 0, 0, np.where(v > near_hi, 1, np.where(v < near_lo, -1, 0)))
    return close.astype(np.int64)


def run_lengths(signs: ArrayLike) -> IntArray:
    """For each point, the length of the run of equal non-zero values ending there (0 if 0)."""
    s = np.asarray(signs, dtype=np.int64)
    out = np.zeros(s.size, dtype=np.int64)
    for i, v in enumerate(s):
        if v == 0:
            continue
        out[i] = out[i - 1] + 1 if i and s[i - 1] == v else 1
    return out


def shift_trigger(rtm: ArrayLike, run: int = RUN) -> IntArray:
    """1 at each point that is the ``run``-th or later of a run on one side of the mean."""
    out: IntArray = (run_lengths(rtm) >= run).astype(np.int64)
    return out


def trend_trigger(y: ArrayLike, run: int = RUN) -> IntArray:
    """+1 / -1 at the ``run``-th or later point of a strictly rising / falling sequence."""
    v = np.asarray(y, dtype=np.float64)
    steps = np.concatenate([[0], np.sign(np.diff(v)).astype(np.int64)])
    # a trend of `run` points has run - 1 steps in one direction
    out: IntArray = np.where(run_lengths(steps) >= run - 1, steps, 0).astype(np.int64)
    return out


def part_of(trigger: ArrayLike, run: int = RUN) -> IntArray:
    """Spread each trigger back over the run it completes: the trigger's sign, else 0.

    A point is part of a run if it or any of the next ``run - 1`` points carries a trigger;
    it takes the sign of the nearest such trigger.
    """
    t = np.asarray(trigger, dtype=np.int64)
    out = np.zeros(t.size, dtype=np.int64)
    for i in range(t.size - 1, -1, -1):
        window = t[i : i + run]
        hit = np.flatnonzero(window)
        if hit.size:
            out[i] = window[hit[0]]
    return out


def two_in_three(close: ArrayLike, rtm: ArrayLike) -> IntArray:
    """1 for points close to a limit within a window of 3 consecutive points on one side of
    the mean of which at least 2 are close to the limit."""
    c = np.asarray(close, dtype=np.int64) != 0
    r = np.asarray(rtm, dtype=np.int64)
    window = np.zeros(c.size, dtype=bool)
    for i in range(c.size - 2):
        side = r[i : i + 3]
        if c[i : i + 3].sum() >= 2 and side[0] != 0 and np.all(side == side[0]):
            window[i : i + 3] = True
    out: IntArray = (window & c).astype(np.int64)
    return out


def labels(
    y: ArrayLike,
    rtm: ArrayLike,
    outside: ArrayLike,
    trend_part: ArrayLike,
    two_of_three: ArrayLike,
    shift_part: ArrayLike,
    trend_run: int = RUN,
    shift_run: int = RUN,
) -> list[str]:
    """Each point's label, the first matching rule winning (beyond limit, trend, 2-in-3, shift)."""
    r = np.asarray(rtm, dtype=np.int64)
    o = np.asarray(outside, dtype=np.int64)
    t = np.asarray(trend_part, dtype=np.int64)
    w = np.asarray(two_of_three, dtype=np.int64)
    s = np.asarray(shift_part, dtype=np.int64)
    out = []
    for i in range(len(np.asarray(y))):
        above = r[i] > 0
        if o[i]:
            out.append("Above UCL" if above else "Below LCL")
        elif t[i]:
            way = "Increasing" if t[i] > 0 else "Decreasing"
            out.append(f"{trend_run} Point Trend ({way})")
        elif w[i]:
            out.append("2 in 3 Above CL" if above else "2 in 3 Below CL")
        elif s[i]:
            out.append(f"{shift_run} Points {'Above' if above else 'Below'} CL")
        else:
            out.append("Common Cause")
    return out


def point_type(label: str, direction: Direction) -> str:
    """common_cause, special_cause_improvement / _concern, or special_cause_neutral_high/_low."""
    if label == "Common Cause":
        return "common_cause"
    high = "Above" in label or "Increasing" in label
    if direction == "neutral":
        return "special_cause_neutral_high" if high else "special_cause_neutral_low"
    good = high == (direction == "increase")
    return "special_cause_improvement" if good else "special_cause_concern"


def variation(label: str, direction: Direction) -> Variation:
    """The variation icon of a point (Making Data Count uses the latest point)."""
    kind = point_type(label, direction)
    if kind == "common_cause":
        return "common_cause"
    high = "Above" in label or "Increasing" in label
    side = "high" if high else "low"
    if kind.startswith("special_cause_neutral"):
        return "neutral_high" if high else "neutral_low"
    prefix = "improvement" if kind == "special_cause_improvement" else "concern"
    out: Variation = f"{prefix}_{side}"  # type: ignore[assignment]
    return out


def assurance(target: float | None, limits_: Limits, direction: Direction) -> Assurance | None:
    """Will the process meet the target? A target outside the limits is met (or missed) by
    every point the process produces; inside them, sometimes. None with no target or no
    preferred direction."""
    if target is None or direction == "neutral":
        return None
    if target > limits_.upper:
        return "consistent_fail" if direction == "increase" else "consistent_pass"
    if target < limits_.lower:
        return "consistent_pass" if direction == "increase" else "consistent_fail"
    return "inconsistent"


def phase_starts(
    keys: Sequence[str], change_points: Sequence[str], min_points: int = 2
) -> list[int]:
    """Where each phase begins: for each change point, the index of the first of the sorted
    ``keys`` at or after it (e.g. "YYYY-MM" months, which sort as text). A change point at or
    before the first key, or after the last, starts no phase; two landing on one key, one. A
    change point that would leave a phase of fewer than ``min_points`` keys (an XmR chart needs
    two) is dropped, so that phase's points join the one before."""
    found = sorted({bisect_left(keys, c) for c in change_points})
    out: list[int] = []
    for i in found:
        previous = out[-1] if out else 0
        if i - previous >= min_points and len(keys) - i >= min_points:
            out.append(i)
    return out


@dataclass
class Chart:
    """An XmR chart of one series, point by point, with its icons."""

    y: FloatArray
    groups: IntArray  # rebase group of each point
    limits: list[Limits]
    labels: list[str]
    point_types: list[str]
    variation: Variation
    assurance: Assurance | None
    direction: Direction
    target: float | None = None
    notes: list[str] = field(default_factory=list)

    def point_limits(self, attr: str) -> FloatArray:
        return np.array([getattr(self.limits[g], attr) for g in self.groups])


def chart(
    y: ArrayLike,
    direction: Direction = "neutral",
    target: float | None = None,
    screen: bool = True,
    fix_after: int | None = None,
    rebase: Sequence[int] = (),
    shift_run: int = RUN,
    trend_run: int = RUN,
) -> Chart:
    """Limits, rules, labels and icons for a series.

    ``rebase`` lists the indices at which a new period starts (limits recalculated from there);
    ``fix_after`` bases each period's limits on its first n points only. ``shift_run`` and
    ``trend_run`` are the rule lengths: 7 and 7 as NHSRplotthedots and the Making Data Count
    spreadsheet use; some guidance uses 6 for a trend (NHSRplotthedots issue #202).
    """
    v = np.asarray(y, dtype=np.float64)
    if np.isnan(v).any():
        raise ValueError("the series has missing values; drop or fill them first")
    starts = sorted({0, *(int(i) for i in rebase if 0 < int(i) < v.size)})
    groups = np.zeros(v.size, dtype=np.int64)
    for g, start in enumerate(starts):
        groups[start:] = g
    table = [xmr_limits(v[groups == g], screen, fix_after) for g in range(len(starts))]
    mean = np.array([table[g].mean for g in groups])
    rtm = relative_to_mean(v, mean)
    outside = beyond_limits(v, [table[g].lower for g in groups], [table[g].upper for g in groups])
    close = close_to_limits(v, table, groups)
    trend = np.zeros(v.size, dtype=np.int64)
    shift = np.zeros(v.size, dtype=np.int64)
    two = np.zeros(v.size, dtype=np.int64)
    for g in range(len(starts)):
        # rules look within a period only: a rebase starts every run afresh
        m = groups == g
        trend[m] = part_of(trend_trigger(v[m], trend_run), trend_run)
        shift[m] = part_of(shift_trigger(rtm[m], shift_run), shift_run)
        two[m] = two_in_three(close[m], rtm[m])
    point_labels = labels(v, rtm, outside, trend, two, shift, trend_run, shift_run)
    notes = []
    for g, lim in enumerate(table):
        if lim.points_used < 12:
            notes.append(
                f"period {g + 1}: limits from {lim.points_used} points; Making Data Count "
                "advises at least 12 (treat them as trial limits)"
            )
    return Chart(
        y=v,
        groups=groups,
        limits=table,
        labels=point_labels,
        point_types=[point_type(lab, direction) for lab in point_labels],
        variation=variation(point_labels[-1], direction),
        assurance=assurance(target, table[-1], direction),
        direction=direction,
        target=target,
        notes=notes,
    )
