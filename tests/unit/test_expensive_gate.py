"""The gate on expensive first computations: a per-client token bucket on an injected clock and
a bounded number of slots, both refusing with ``Busy`` and a Retry-After; work computed ahead
passes. Nothing here depends on how fast the machine is: the clock is a variable, and a slot
is held by the test itself."""

from __future__ import annotations

import pytest

from oversight.service.expensive import (
    Busy,
    ComputeGate,
    TokenBucket,
    computing_ahead,
    requesting_client,
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_bucket_spends_its_burst_then_refills_at_its_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(capacity=3, per_second=0.5, clock=clock)
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take() == pytest.approx(2.0)  # one token at 0.5/s
    clock.now += 1.0
    assert bucket.take() == pytest.approx(1.0)  # half a token so far
    clock.now += 1.0
    assert bucket.take() == 0.0
    clock.now += 1000.0  # never more than its capacity
    assert [bucket.take() for _ in range(4)][-1] > 0


def test_a_client_that_asks_too_often_is_refused_others_are_not() -> None:
    clock = Clock()
    gate = ComputeGate(concurrent=2, burst=2, per_second=0.25, clock=clock)
    token = requesting_client.set("10.0.0.1")
    try:
        for _ in range(2):
            with gate.slot():
                pass
        with pytest.raises(Busy) as refused, gate.slot():
            pass
        assert refused.value.retry_after == 4  # a token every 4 s
        clock.now += 4.0
        with gate.slot():
            pass
    finally:
        requesting_client.reset(token)
    other = requesting_client.set("10.0.0.2")
    try:
        with gate.slot():
            pass
    finally:
        requesting_client.reset(other)


def test_no_more_than_its_slots_run_at_once() -> None:
    gate = ComputeGate(concurrent=2, retry_after=7)
    with gate.slot(), gate.slot():
        with pytest.raises(Busy) as refused, gate.slot():
            pass
        assert refused.value.retry_after == 7
        assert "busy" in refused.value.message
    with gate.slot():  # released: free again
        pass


def test_work_computed_ahead_takes_no_slot_and_no_token() -> None:
    clock = Clock()
    gate = ComputeGate(concurrent=1, burst=1, per_second=0.001, clock=clock)
    client = requesting_client.set("10.0.0.3")
    ahead = computing_ahead.set(True)
    try:
        with gate.slot(), gate.slot(), gate.slot():
            pass
    finally:
        computing_ahead.reset(ahead)
    try:
        with gate.slot():  # the client's one token is still there
            pass
    finally:
        requesting_client.reset(client)
