"""Capital allocation: to the penny, within floor and cap, whatever order the input comes in."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.errors import UserError
from oversight.policy.capital import split_pence

codes = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=3, max_size=5)
weights = st.dictionaries(
    codes, st.floats(min_value=0.05, max_value=20, allow_nan=False), min_size=1, max_size=60
)
envelopes = st.integers(min_value=0, max_value=10**13)  # up to £100bn, in pence
floors = st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0])
caps = st.sampled_from([1.0, 1.1, 1.5, 2.0, 5.0])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(weights, envelopes, floors, caps)
def test_shares_sum_to_the_envelope_to_the_penny(
    w: dict[str, float], envelope: int, floor: float, cap: float
) -> None:
    pence, _ = split_pence(envelope, w, floor, cap)
    assert sum(pence.values()) == envelope
    assert set(pence) == set(w)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(weights, envelopes, floors, caps)
def test_every_share_is_within_floor_and_cap(
    w: dict[str, float], envelope: int, floor: float, cap: float
) -> None:
    pence, limited = split_pence(envelope, w, floor, cap)
    equal = Fraction(envelope, len(w))
    lo, hi = equal * Fraction(floor), equal * Fraction(cap)
    assert all(math.floor(lo) <= p <= math.ceil(hi) for p in pence.values())
    for code, why in limited.items():
        assert abs(pence[code] - (lo if why == "floor" else hi)) < 1


@settings(max_examples=200, deadline=None, derandomize=True)
@given(weights, envelopes, floors, caps, st.randoms(use_true_random=False))
def test_the_split_does_not_depend_on_input_order(
    w: dict[str, float], envelope: int, floor: float, cap: float, rnd: object
) -> None:
    items = list(w.items())
    rnd.shuffle(items)  # type: ignore[attr-defined]
    assert split_pence(envelope, dict(items), floor, cap) == split_pence(envelope, w, floor, cap)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(weights, envelopes, floors, caps)
def test_a_larger_weight_never_gets_less(
    w: dict[str, float], envelope: int, floor: float, cap: float
) -> None:
    pence, _ = split_pence(envelope, w, floor, cap)
    ordered = sorted(w, key=lambda k: w[k])
    for a, b in zip(ordered, ordered[1:], strict=False):
        if w[a] < w[b]:
            assert pence[a] <= pence[b] + 1  # a penny of rounding either way, never more


def test_without_limits_shares_are_proportional_to_weight() -> None:
    pence, limited = split_pence(100_000_00, {"A": 1, "B": 3}, 0.0, 10.0)
    assert pence == {"A": 25_000_00, "B": 75_000_00} and not limited


def test_floor_and_cap_are_applied_and_the_rest_shared_by_weight() -> None:
    # equal share £25; D's proportional share is under half of it, C's over twice it
    pence, limited = split_pence(100_00, {"A": 1, "B": 1, "C": 10, "D": 0.1}, 0.5, 2.0)
    assert pence == {"A": 18_75, "B": 18_75, "C": 50_00, "D": 12_50}
    assert limited == {"C": "cap", "D": "floor"}


def test_a_cap_of_the_equal_share_is_met_to_the_penny() -> None:
    pence, _ = split_pence(101, {"A": 1, "B": 5, "C": 1}, 1.0, 1.0)
    assert sorted(pence.values()) == [33, 34, 34]


def test_impossible_limits_are_refused() -> None:
    with pytest.raises(UserError, match="floor and cap cannot both be met"):
        split_pence(101, {"A": 1, "B": 1, "C": 1}, 1.2, 2.0)
