"""Each A&E series value carries its 95% interval: Wilson for a share, Poisson for a count."""

from __future__ import annotations

from datetime import date

import pytest

from oversight.engine.sources.ae_series import SeriesPoint, with_intervals
from oversight.frameworks.ae import AeMetric, MeasureSum


def share_metric() -> AeMetric:
    part = MeasureSum(measures=["attendances"], department_types=["all"])
    return AeMetric(
        id="s", title="s", description="", kind="share_within", higher_is_better=True,
        denominator=part, exceeding=part,
    )  # fmt: skip


def test_a_share_gets_the_wilson_interval() -> None:
    # 81 of 263: Wilson score 95% interval 0.2553 to 0.3662 (Newcombe 1998, Stat Med 17:857,
    # Table I, method 3), to the 4 decimals published
    (point,) = with_intervals(
        [SeriesPoint(date(2025, 4, 1), "X", "s", 81 / 263, 81, 263)], share_metric()
    )
    assert point.ci_low == pytest.approx(0.2553, abs=5e-5)
    assert point.ci_high == pytest.approx(0.3662, abs=5e-5)


def test_a_missing_value_has_no_interval() -> None:
    (point,) = with_intervals(
        [SeriesPoint(date(2025, 4, 1), "X", "s", None, None, None)], share_metric()
    )
    assert point.ci_low is None and point.ci_high is None
