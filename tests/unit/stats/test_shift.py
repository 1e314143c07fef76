"""Improvement against a series' own SPC (stats/shift.py) and the monthly table built from it
(engine/sources/monthly_improvement.py), on hand-built series."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.engine.sources.monthly_improvement import MIN_BASELINE, monthly_improvement
from oversight.frameworks.source_metrics import source_metrics
from oversight.periods import Month
from oversight.stats.shift import best_first_ranks, improvement_scores, judge_shift


def _noise(seed: int, n: int, centre: float = 75.0, sd: float = 1.0) -> list[float]:
    return list(np.random.default_rng(seed).normal(centre, sd, n))


def test_planted_step_up_is_special_cause_improvement() -> None:
    baseline = _noise(1, 24)
    found = judge_shift(baseline, [81.0, 80.5, 81.5], "increase")
    assert found is not None and found.beyond
    assert found.signal == "special_cause_improvement" and found.rule == "Above UCL"
    assert found.improvement is not None and found.improvement > 4
    # the same step where lower is better is a concern, the shift negated
    worse = judge_shift(baseline, [81.0, 80.5, 81.5], "decrease")
    assert worse is not None and worse.signal == "special_cause_concern"
    assert worse.improvement == pytest.approx(-found.improvement)


def test_shift_in_sigma_units_against_the_baseline_limits() -> None:
    baseline = [10.0, 12.0, 10.0, 12.0, 10.0, 12.0]  # centre 11, mean moving range 2
    found = judge_shift(baseline, [13.0], "increase")
    assert found is not None
    sigma = 2.0 / 1.128
    assert found.centre == pytest.approx(11.0)
    assert found.sigma == pytest.approx(sigma, rel=1e-3)
    assert found.shift == pytest.approx(2.0 / sigma, rel=1e-3)
    assert found.upper == pytest.approx(11.0 + 2.66 * 2.0)


def test_flat_noisy_series_is_not_flagged() -> None:
    found = judge_shift(_noise(7, 24), _noise(8, 3), "increase")
    assert found is not None and not found.beyond and found.signal is None
    # and over many flat series the flags stay rare (the rules' false-alarm rate)
    flags = [judge_shift(_noise(s, 24), _noise(s + 1000, 3), "increase") for s in range(300)]
    rate = np.mean([f is not None and f.beyond for f in flags])
    assert rate < 0.08, rate


def test_run_of_seven_across_the_window_is_a_shift() -> None:
    # alternating baseline, then 7 points just above the centre: no point beyond a limit
    baseline = [10.0, 12.0] * 8 + [10.5, 11.5, 10.5, 11.5]
    found = judge_shift(baseline, [11.3, 11.2, 11.3], "increase")
    assert found is not None and not found.beyond
    found = judge_shift(baseline[:-4] + [11.2, 11.3, 11.2, 11.3], [11.3, 11.2, 11.3], "increase")
    assert found is not None and found.beyond and found.rule == "7 Points Above CL"


def test_too_short_a_baseline_is_not_judged() -> None:
    assert judge_shift([1.0], [2.0], "increase") is None
    assert judge_shift([1.0, 2.0], [], "increase") is None


def test_scores_run_from_one_to_four_ties_sharing_mid_ranks() -> None:
    scores = improvement_scores(np.array([3.0, np.nan, 1.0, 1.0, -2.0]))
    assert scores[0] == 1.0 and scores[-1] == 4.0 and np.isnan(scores[1])
    assert scores[2] == scores[3] == pytest.approx(2.5)
    ranks = best_first_ranks(np.array([1.0, 3.0, 3.0, np.nan]), higher_is_better=True)
    assert list(ranks[:3]) == [3.0, 1.0, 1.0] and np.isnan(ranks[3])


def _values(series: dict[str, list[float]], first: Month) -> dict[str, dict[date, float]]:
    return {
        code: {first.plus(i).first_day: v for i, v in enumerate(values)}
        for code, values in series.items()
    }


def test_monthly_table_planted_step_scores_one_and_drop_scores_four() -> None:
    metric = source_metrics().metric("OF0013")
    assert metric is not None and metric.polarity == "higher_is_better"
    series = {f"R{i:02d}": _noise(i, 30) for i in range(10)}
    series["RUP"] = _noise(50, 27) + [82.0, 81.0, 82.5]
    series["RDN"] = _noise(51, 27) + [68.0, 69.0, 67.5]
    series["RGAP"] = _noise(52, 29)  # no value in the window's last month: not judged
    first = Month(2023, 1)
    last = first.plus(29)
    table = monthly_improvement(metric, _values(series, first), {"RUP": "Up"}, last, 3, ["2023-04"])
    assert table.window == [str(last.plus(-2)), str(last.plus(-1)), str(last)]
    assert table.baseline_from == "2023-04"
    by = {r.code: r for r in table.rows}
    assert "RGAP" not in by and len(by) == 12
    assert by["RUP"].improvement_score == 1.0 and by["RUP"].improvement_rank == 1
    assert by["RUP"].beyond_noise and by["RUP"].signal == "special_cause_improvement"
    assert by["RDN"].improvement_score == 4.0 and by["RDN"].signal == "special_cause_concern"
    assert by["RUP"].baseline_points == 27 - 3  # the months before the change point left out
    assert by["RUP"].name == "Up" and by["RDN"].name == "RDN"
    assert by["RUP"].position_rank == 1 and by["RDN"].position_rank == 12
    assert table.most_improved(1)[0].code == "RUP"
    assert table.most_deteriorated(1)[0].code == "RDN"
    assert [r.improvement_rank for r in table.rows] == sorted(
        r.improvement_rank or 0 for r in table.rows
    )


def test_a_baseline_shorter_than_the_minimum_is_not_judged() -> None:
    metric = source_metrics().metric("OF0013")
    assert metric is not None
    first = Month(2024, 1)
    series = {"RA": _noise(1, MIN_BASELINE + 3), "RB": _noise(2, MIN_BASELINE + 2)}
    table = monthly_improvement(
        metric, _values(series, first), {}, first.plus(MIN_BASELINE + 2), 3, []
    )
    assert [r.code for r in table.rows] == ["RA"]


series_strategy = st.lists(
    st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False),
    min_size=5,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(series_strategy, min_size=1, max_size=8))
def test_scores_in_one_to_four_and_reversing_direction_mirrors_them(
    providers: list[list[float]],
) -> None:
    judged = {
        way: [judge_shift(s[:-3], s[-3:], way) for s in providers]  # type: ignore[arg-type]
        for way in ("increase", "decrease")
    }
    scores = {
        way: improvement_scores(
            np.array(
                [np.nan if j is None or j.improvement is None else j.improvement for j in found],
                dtype=float,
            )
        )
        for way, found in judged.items()
    }
    up, down = scores["increase"], scores["decrease"]
    held = ~np.isnan(up)
    assert np.array_equal(held, ~np.isnan(down))
    assert np.all((up[held] >= 1.0) & (up[held] <= 4.0))
    assert np.allclose(up[held] + down[held], 5.0)
    for a, b in zip(judged["increase"], judged["decrease"], strict=True):
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert a.beyond == b.beyond  # the rules do not depend on the direction
