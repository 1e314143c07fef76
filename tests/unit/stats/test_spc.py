"""XmR limits and the Making Data Count rules, case by case.

Reference: NHSRplotthedots 0.2.2 (NHS-R Community, MIT; github.com/nhs-r-community/
NHSRplotthedots, commit 050b07d7): tests/testthat/test-ptd_calculate_point_type.R (rule
vectors), test-ptd_spc_standard.R and its snapshots (limits), test-ptd_calculate_assurance_type.R
(assurance), vignettes/deviations.Rmd (screened vs Excel limits). The package is the NHS-R
community's implementation of Making Data Count; the limits below are its printed snapshot
values (7 significant figures), matched to that precision.
"""

from __future__ import annotations

import numpy as np
import pytest

from oversight.stats.spc import (
    Limits,
    assurance,
    chart,
    labels,
    part_of,
    point_type,
    shift_trigger,
    trend_trigger,
    two_in_three,
    variation,
    xmr_limits,
)

# R: set.seed(123); rnorm(20)
RNORM = np.array(
    [
        -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
        -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
        -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
    ]
)  # fmt: skip


def test_limits_snapshot_r1() -> None:
    lim = xmr_limits(RNORM)
    assert lim.mean == pytest.approx(0.1416238, abs=5e-8)
    assert lim.lower == pytest.approx(-3.01138, abs=5e-6)
    assert lim.upper == pytest.approx(3.294627, abs=5e-7)


def test_limits_screening_r2_r3() -> None:
    y = RNORM.copy()
    y[14] = 10
    screened = xmr_limits(y, screen=True)
    assert screened.mean == pytest.approx(0.6694159, abs=5e-8)
    assert screened.lower == pytest.approx(-2.383666, abs=5e-7)
    assert screened.upper == pytest.approx(3.722497, abs=5e-7)
    excel = xmr_limits(y, screen=False)
    assert excel.lower == pytest.approx(-4.596625, abs=5e-7)
    assert excel.upper == pytest.approx(5.935457, abs=5e-7)


def test_facets_and_fixed_limits() -> None:
    c = chart(RNORM, rebase=[10])
    assert c.limits[0].mean == pytest.approx(0.0746, abs=5e-5)
    assert (c.limits[0].lower, c.limits[0].upper) == (
        pytest.approx(-2.60, abs=5e-3),
        pytest.approx(2.75, abs=5e-3),
    )
    assert (c.limits[1].lower, c.limits[1].upper) == (
        pytest.approx(-3.28, abs=5e-3),
        pytest.approx(3.70, abs=5e-3),
    )
    assert set(c.point_types) == {"common_cause"}
    assert len(c.notes) == 2  # both periods have fewer than 12 points
    fixed = xmr_limits(RNORM, fix_after=12)
    assert fixed.mean == pytest.approx(0.19417934, abs=1e-7)
    assert fixed.upper == pytest.approx(2.9957585, abs=1e-6)


def test_summary_all_common_cause() -> None:
    c = chart(RNORM, direction="increase")
    assert c.point_types == ["common_cause"] * 20
    assert c.variation == "common_cause"


def test_deviations_vignette_outlier() -> None:
    y = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    for screen, lower, upper in ((True, -0.72, 4.6), (False, -3.06, 6.95)):
        c = chart(y, direction="increase", screen=screen)
        assert c.limits[0].mean == pytest.approx(1.94, abs=5e-3)
        assert c.limits[0].lower == pytest.approx(lower, abs=5e-3)
        assert c.limits[0].upper == pytest.approx(upper, abs=5e-3)
        assert c.point_types[4] == "special_cause_improvement"
        assert c.point_types.count("common_cause") == 17


def test_two_in_three_on_opposite_sides_does_not_signal() -> None:
    y = np.tile([1.0, -1.0], 8)
    y[14], y[15] = 5.5, -5.5
    c = chart(y, direction="increase")
    assert c.point_types[-2:] == ["common_cause", "common_cause"]


@pytest.mark.parametrize(
    ("rtm", "expected"),
    [
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [0] * 6 + [1, 1, 0]),
        ([-1] * 8 + [1], [0] * 6 + [1, 1, 0]),
        ([1, 1, 1, 0, 1, 1, 1, 1], [0] * 8),  # a point on the mean breaks the run
    ],
)
def test_shift_trigger(rtm: list[int], expected: list[int]) -> None:
    assert shift_trigger(rtm).tolist() == expected


@pytest.mark.parametrize(
    ("trigger", "expected"),
    [
        ([0] * 6, [0] * 6),
        ([0] * 6 + [1, 0], [1] * 7 + [0]),
        ([0] * 7 + [1, 0], [0] + [1] * 7 + [0]),
        ([0] * 6 + [-1, 0], [-1] * 7 + [0]),
        ([0] * 7 + [-1, 0], [0] + [-1] * 7 + [0]),
    ],
)
def test_part_of(trigger: list[int], expected: list[int]) -> None:
    assert part_of(trigger).tolist() == expected


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        ([1, 2, 3, 4, 5, 6], [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
        ([1, 2, 3, 4, 5, 6, 7], [0] * 6 + [1]),
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], [0] * 7 + [1, 0]),
        ([7, 6, 5, 4, 3, 2, 1], [0] * 6 + [-1]),
        ([2, 7, 6, 5, 4, 3, 2, 1, 3], [0] * 7 + [-1, 0]),
    ],
)
def test_trend_trigger(y: list[int], expected: list[int]) -> None:
    assert trend_trigger(y).tolist() == expected


@pytest.mark.parametrize(
    ("close", "rtm", "expected"),
    [
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
        ([1, 0, 0, 1], [1] * 4, [0] * 4),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
    ],
)
def test_two_in_three(close: list[int], rtm: list[int], expected: list[int]) -> None:
    assert two_in_three(close, rtm).tolist() == expected


def test_label_priority() -> None:
    got = labels(
        y=list(range(1, 9)),
        rtm=[1, 1, 1, 1, -1, -1, -1, -1],
        outside=[0, 0, 0, 0, 0, 1, -1, 0],
        trend_part=[1, 1, 0, 0, 0, 0, 0, 0],
        two_of_three=[0, 0, 0, 0, 1, 0, 0, 0],
        shift_part=[0, 0, 1, -1, 0, 0, 0, 0],
    )
    assert got == [
        "7 Point Trend (Increasing)",
        "7 Point Trend (Increasing)",
        "7 Points Above CL",
        "7 Points Above CL",
        "2 in 3 Below CL",
        "Below LCL",
        "Below LCL",
        "Common Cause",
    ]


def test_point_types_and_variation_icons() -> None:
    assert point_type("Above UCL", "increase") == "special_cause_improvement"
    assert point_type("Above UCL", "decrease") == "special_cause_concern"
    assert point_type("7 Point Trend (Decreasing)", "neutral") == "special_cause_neutral_low"
    assert variation("2 in 3 Below CL", "increase") == "concern_low"
    assert variation("7 Points Above CL", "decrease") == "concern_high"
    assert variation("Below LCL", "decrease") == "improvement_low"
    assert variation("Common Cause", "increase") == "common_cause"


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        ("increase", ["consistent_fail", "consistent_pass", "inconsistent"]),
        ("decrease", ["consistent_pass", "consistent_fail", "inconsistent"]),
        ("neutral", [None, None, None]),
    ],
)
def test_assurance(direction: str, expected: list[str | None]) -> None:
    facets = [(1, 2, 3), (5, 6, 7), (1, 4, 5)]
    got = [
        assurance(4, Limits(m, 0, lo, hi, lo, hi, 20), direction)  # type: ignore[arg-type]
        for lo, m, hi in facets
    ]
    assert got == expected


# --- each rule on a constructed series, through the whole chart -------------------------------


def test_each_rule_through_chart() -> None:
    base = [10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 9, 11, 10, 12, 9, 11]
    # beyond a limit
    c = chart([*base, 30], direction="increase")
    assert c.labels[-1] == "Above UCL" and c.variation == "improvement_high"
    # shift: 8 points just above the mean (a rebase-free process)
    c = chart([*base, *[11.2] * 8], direction="decrease")
    mean = c.limits[0].mean
    assert mean < 11.2
    assert c.labels[-8:] == ["7 Points Above CL"] * 8
    assert c.variation == "concern_high"
    # trend: 7 rising points that stay inside the limits
    c = chart([*base, 9.0, 9.3, 9.6, 9.9, 10.2, 10.5, 10.8], direction="increase")
    assert c.labels[-7:] == ["7 Point Trend (Increasing)"] * 7
    assert c.variation == "improvement_high"
    # two of three close to the lower limit
    lim = xmr_limits(base)
    near = (lim.near_lower + lim.lower) / 2
    # limits fixed on the baseline period, as Making Data Count advises once 12+ points exist
    c = chart([*base, near, 10.2, near], direction="increase", fix_after=len(base))
    assert c.limits[0] == lim
    assert c.labels[-3:] == ["2 in 3 Below CL", "Common Cause", "2 in 3 Below CL"]
    assert c.variation == "concern_low"
    # ... but not when the middle point sits exactly on the mean (10.5): it breaks the side
    c = chart([*base, near, 10.5, near], direction="increase", fix_after=len(base))
    assert c.labels[-3:] == ["Common Cause"] * 3


def test_missing_values_rejected() -> None:
    with pytest.raises(ValueError, match="missing"):
        chart([1, np.nan, 2])
    with pytest.raises(ValueError, match="at least 2"):
        xmr_limits([1.0])
