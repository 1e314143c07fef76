"""P(a move has the observed sign) from two independent distributions (oversight.stats.moves)."""

from __future__ import annotations

import numpy as np
import pytest

from oversight.stats.moves import counts_pmf, observed_direction_probability, sign_probabilities


def test_point_masses_give_certain_moves() -> None:
    before = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    after = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    p = observed_direction_probability(before, after, np.array([-2, 2, 0]))
    assert p[:2].tolist() == [1.0, 1.0]
    assert np.isnan(p[2])


def test_hand_computed_pair() -> None:
    # before: rank 1 or 2 (1/2 each); after: rank 1 (1/4), 2 (1/4), 3 (1/2)
    before = np.array([[0.5, 0.5, 0.0]])
    after = np.array([[0.25, 0.25, 0.5]])
    lower, same, higher = sign_probabilities(before, after)
    # lower: after=1 & before=2 -> 1/4 * 1/2
    assert lower[0] == pytest.approx(0.125)
    # same: 1/4*1/2 + 1/4*1/2
    assert same[0] == pytest.approx(0.25)
    # higher: after=2 & before=1 (1/8), after=3 & before 1 or 2 (1/2)
    assert higher[0] == pytest.approx(0.625)


def test_quarters_of_different_sizes_are_padded() -> None:
    before = np.array([[0.0, 1.0]])  # rank 2 of 2
    after = np.array([[0.0, 0.0, 0.5, 0.5]])  # rank 3 or 4 of 4
    assert observed_direction_probability(before, after, np.array([1]))[0] == 1.0


def test_counts_pmf_matches_the_share_of_all_replicate_pairs() -> None:
    rng = np.random.default_rng(1)
    r1 = rng.integers(1, 6, size=(50, 3))
    r2 = rng.integers(1, 6, size=(40, 3))
    lower, _, higher = sign_probabilities(counts_pmf(r1, 5), counts_pmf(r2, 5))
    for j in range(3):
        pairs = r2[:, j][:, None] - r1[:, j][None, :]
        assert lower[j] == pytest.approx((pairs < 0).mean())
        assert higher[j] == pytest.approx((pairs > 0).mean())
