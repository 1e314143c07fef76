"""SPC limits recalculated at change points (Making Data Count "rebasing").

A phased chart is one XmR chart per phase: each phase's limits, labels and rules are exactly
those of the phase charted on its own (the rules never look across a change point). A level
shift planted at a declared change point is therefore no signal in the new phase, while one set
of limits across both phases flags it.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.service.series import with_spc
from oversight.stats.spc import chart, phase_starts


def wobble(level: float, n: int) -> list[float]:
    """n points alternating about ``level`` (never 7 on one side, never 7 rising or falling,
    never near a limit): common cause by every rule."""
    return [level + 0.01 * (-1) ** i * (1 + (i % 3) / 3) for i in range(n)]


def test_a_level_shift_at_a_change_point_is_no_signal_in_the_new_phase() -> None:
    y = wobble(0.90, 24) + wobble(0.70, 24)
    single = chart(y, "increase")
    phased = chart(y, "increase", rebase=[24])
    # one set of limits: the shift flags most months (every point sits 0.1 from the mean)
    assert sum(t != "common_cause" for t in single.point_types) >= 40
    assert all(t == "common_cause" for t in phased.point_types)
    assert [round(lim.mean, 2) for lim in phased.limits] == [0.90, 0.70]
    assert list(phased.groups) == [0] * 24 + [1] * 24
    # without the change point the new phase is special cause (a concern: higher is better)
    assert set(single.point_types[24:]) == {"special_cause_concern"}


def test_a_shift_inside_a_phase_is_still_found() -> None:
    y = wobble(0.90, 12) + wobble(0.90, 12) + [0.80] * 8 + wobble(0.70, 16)
    phased = chart(y, "increase", rebase=[32])
    assert all(t == "common_cause" for t in phased.point_types[32:])
    assert any(t != "common_cause" for t in phased.point_types[:32])


values = st.floats(min_value=0, max_value=1, allow_nan=False, allow_infinity=False)


@st.composite
def phased_series(draw: st.DrawFn) -> tuple[list[float], list[int]]:
    """A series of 2-6 phases, each of 2-20 points."""
    sizes = draw(st.lists(st.integers(2, 20), min_size=1, max_size=6))
    y = [draw(values) for _ in range(sum(sizes))]
    starts = list(np.cumsum(sizes)[:-1].astype(int))
    return y, starts


@settings(max_examples=150, deadline=None)
@given(phased_series(), st.sampled_from(["increase", "decrease", "neutral"]))
def test_phased_limits_equal_each_phase_charted_alone(
    case: tuple[list[float], list[int]], direction: str
) -> None:
    y, starts = case
    way = direction  # a Direction literal
    phased = chart(y, way, rebase=starts)  # type: ignore[arg-type]
    bounds = [0, *starts, len(y)]
    assert len(phased.limits) == len(bounds) - 1
    for g, (lo, hi) in enumerate(zip(bounds, bounds[1:], strict=False)):
        alone = chart(y[lo:hi], way)  # type: ignore[arg-type]
        assert phased.limits[g] == alone.limits[0]
        assert phased.labels[lo:hi] == alone.labels
        assert phased.point_types[lo:hi] == alone.point_types
    assert phased.variation == chart(y[bounds[-2] :], way).variation  # type: ignore[arg-type]


def test_phase_starts_from_months() -> None:
    months = ["2020-01", "2020-02", "2020-03", "2020-05", "2020-06", "2020-07"]
    # a change point in a month with no value starts the phase at the next month that has one
    assert phase_starts(months, ["2020-04"]) == [3]
    # two change points one month apart would leave a phase of one point: the later is dropped
    assert phase_starts(months, ["2020-03", "2020-04"]) == [2]
    # before the first month, or after the last: no phase
    assert phase_starts(months, ["2019-01", "2021-01"]) == []
    # a phase of one point would have no moving range: the change point is dropped
    assert phase_starts(months, ["2020-07"]) == []
    assert phase_starts(months, ["2020-02"]) == []
    assert phase_starts(months, ["2020-03", "2020-06"]) == [2, 4]
    assert phase_starts(months, ["2020-02", "2020-07"], min_points=1) == [1, 5]


def test_with_spc_phases_the_known_values_and_keeps_gaps() -> None:
    periods = [f"2024-{m:02d}" for m in range(1, 13)]
    values: list[float | None] = [0.9, 0.91, 0.89, 0.9, None, 0.7, 0.71, 0.69, 0.7, 0.71, 0.7, 0.69]
    charted = with_spc(periods, values, "increase", change_points=["2024-05"])
    assert charted.chart is not None and len(charted.chart.limits) == 2
    assert charted.points[4].mean is None  # the gap keeps no limits
    assert charted.points[3].mean == charted.chart.limits[0].mean
    assert charted.points[5].mean == charted.chart.limits[1].mean
    single = with_spc(periods, values, "increase")
    assert single.chart is not None and len(single.chart.limits) == 1


def test_rule_lengths_are_options_defaulting_to_seven() -> None:
    # six rising points after a flat start: a trend only when the rule is 6 points long
    y = [0.5, 0.52, 0.49, 0.51, 0.5, 0.49, 0.49, 0.5, 0.51, 0.52, 0.53, 0.54, 0.5, 0.51]
    default = chart(y, "increase")
    six = chart(y, "increase", trend_run=6)
    assert not any("Trend" in label for label in default.labels)
    assert six.labels[6:12] == ["6 Point Trend (Increasing)"] * 6
    assert chart(y, "increase", trend_run=7, shift_run=7).labels == default.labels
