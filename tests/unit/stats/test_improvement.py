"""Improvement against an organisation's own earlier quarters (oversight.stats.improvement)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.stats.improvement import changes, row_means, scored, standardised

NAN = np.nan


def test_change_is_latest_against_the_mean_of_what_is_held() -> None:
    latest = np.array([1.0, 3.0, NAN, 2.0])
    earlier = np.array([[2.0, 4.0], [NAN, 2.0], [1.0, 1.0], [NAN, NAN]])
    got = changes(latest, earlier)
    assert got[0] == pytest.approx(-2.0)
    assert got[1] == pytest.approx(1.0)
    assert np.isnan(got[2]) and np.isnan(got[3])
    assert np.isnan(row_means(np.array([[NAN, NAN]])))[0]


def test_standardised_against_peers() -> None:
    z = standardised(np.array([-1.0, 0.0, 1.0, NAN]))
    assert z[:3] == pytest.approx([-1.0, 0.0, 1.0])
    assert np.isnan(z[3])
    assert standardised(np.array([0.5, 0.5])).tolist() == [0.0, 0.0]
    assert np.isnan(standardised(np.array([0.5, NAN]))).all()


def test_scored_like_the_position_score() -> None:
    got = scored(np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, NAN]), (-1.0, 0.0, 1.0))
    assert got[:7].tolist() == [1, 1, 2, 2, 3, 3, 4]
    assert np.isnan(got[7])


finite = st.floats(-3, 3, allow_nan=False)


@given(st.lists(finite, min_size=3, max_size=30))
@settings(max_examples=60, deadline=None)
def test_standardised_changes_have_mean_zero_and_keep_order(values: list[float]) -> None:
    change = np.array(values)
    z = standardised(change)
    if np.std(change, ddof=1) > 1e-9:
        assert abs(float(np.mean(z))) < 1e-6
        assert float(np.std(z, ddof=1)) == pytest.approx(1.0)
    # a larger change (worse) never gets a better improvement score
    s = scored(z, (-1.0, 0.0, 1.0))
    order = np.argsort(change, kind="stable")
    assert np.all(np.diff(s[order]) >= 0)
