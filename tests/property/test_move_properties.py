"""Invariants of the move probabilities (oversight.stats.moves), on random distributions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from oversight.stats.moves import sign_probabilities


@st.composite
def pmfs(draw: st.DrawFn, width: int, rows: int = 3) -> NDArray[np.float64]:
    """(rows, width) probabilities, each row summing to 1, some values impossible."""
    raw = np.array(
        draw(
            st.lists(
                st.lists(st.floats(0, 1), min_size=width, max_size=width),
                min_size=rows,
                max_size=rows,
            )
        )
    )
    raw[:, 0] += 1e-3  # never all zero
    return raw / raw.sum(axis=1, keepdims=True)


pairs = st.integers(2, 8).flatmap(lambda w: st.tuples(pmfs(w), pmfs(w)))


@given(pairs)
@settings(max_examples=60, deadline=None)
def test_probabilities_partition_every_pair(pair: tuple[NDArray[np.float64], ...]) -> None:
    before, after = pair
    lower, same, higher = sign_probabilities(before, after)
    for p in (lower, same, higher):
        assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(lower + same + higher, 1.0, atol=1e-9)
    # swapping the quarters swaps the directions
    l2, s2, h2 = sign_probabilities(after, before)
    np.testing.assert_allclose(l2, higher, atol=1e-12)
    np.testing.assert_allclose(h2, lower, atol=1e-12)
    np.testing.assert_allclose(s2, same, atol=1e-12)


@given(pmfs(6), st.integers(1, 3))
@settings(max_examples=60, deadline=None)
def test_a_later_quarter_moved_better_is_more_surely_better(
    before: NDArray[np.float64], step: int
) -> None:
    """Moving the later distribution to smaller values (better ranks) never lowers P(better);
    the same distribution in both quarters is never surely better or worse."""
    lower, same, higher = sign_probabilities(before, before)
    np.testing.assert_allclose(lower, higher, atol=1e-12)
    assert np.all(lower <= 0.5 + 1e-12)
    shifted = np.zeros((len(before), 6 + step))
    shifted[:, step:] = before  # the same distribution, `step` places worse
    lower_worse, _, _ = sign_probabilities(before, shifted)
    assert np.all(lower_worse <= lower + 1e-12)
