"""Expensive first computations (a quarter's engine run with likely ranges, an evaluation, its
plots): bounded, so a flood of distinct uncached requests cannot pin the server's CPU.

A server installs a ``ComputeGate`` on its site. Every computation that is about to start (its
result not cached) first takes a token from the asking client's bucket (a client that keeps
asking for new expensive things is refused until its bucket refills) and then one of a few
slots (at most that many computations at once, whoever asks). Either refusal raises ``Busy``,
which the server answers with 503 and Retry-After. Cached answers never come here.

Work computed ahead in the background (a server's warm-up: one thread) takes no slot and is
charged to no client. A request for something still being computed
ahead raises ``Pending`` (202: "being computed, refresh in a moment").

Nothing here reads the time of day directly: the clock is injected, so tests do not depend
on how fast the machine is.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

# who is asking: set per request by the server (the client's address); None outside a request
requesting_client: ContextVar[str | None] = ContextVar("requesting_client", default=None)
# set in the thread that computes ahead (a server's warm-up): no slot taken, no client charged
computing_ahead: ContextVar[bool] = ContextVar("computing_ahead", default=False)


class Busy(Exception):  # noqa: N818 (a state, like NotFound)
    """Refused for now: too many expensive computations running, or this client asked too often."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Pending(Exception):  # noqa: N818
    """What was asked for is being computed in the background; ``model`` says so (JSON)."""

    def __init__(self, message: str, model: Any = None, retry_after: int = 3) -> None:
        super().__init__(message)
        self.message = message
        self.model = model
        self.retry_after = retry_after


@dataclass
class TokenBucket:
    """``capacity`` tokens, refilled at ``per_second``; ``take`` says how long until one is due."""

    capacity: float
    per_second: float
    clock: Callable[[], float] = time.monotonic
    tokens: float = field(init=False)
    stamp: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.capacity
        self.stamp = self.clock()

    def take(self) -> float:
        """Take a token: 0.0 if there was one, else the seconds until one will be (none taken)."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.per_second


class ComputeGate:
    """At most ``concurrent`` expensive computations at once; per client, a token bucket of
    ``burst`` uncached computations refilled at ``per_second``."""

    def __init__(
        self,
        concurrent: int = 2,
        burst: float = 20.0,
        per_second: float = 0.5,
        retry_after: int = 5,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.concurrent = concurrent
        self._slots = threading.BoundedSemaphore(concurrent)
        self._burst, self._per_second, self._clock = burst, per_second, clock
        self._retry_after = retry_after
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        self._max_clients = max_clients
        self._guard = threading.Lock()

    def _charge(self, client: str) -> None:
        with self._guard:
            bucket = self._buckets.get(client)
            if bucket is None:
                bucket = self._buckets[client] = TokenBucket(
                    self._burst, self._per_second, self._clock
                )
                if len(self._buckets) > self._max_clients:  # forget the longest unseen
                    self._buckets.popitem(last=False)
            self._buckets.move_to_end(client)
            wait = bucket.take()
        if wait > 0:
            raise Busy(
                "Too many new computations asked for by this client; cached pages still answer",
                retry_after=max(1, math.ceil(wait)),
            )

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a slot for one computation asked for by a request: charged to its client,
        refused if no slot is free. Work computed ahead (one background thread, bounded by
        itself) passes without a slot, so it never crowds out a request."""
        if computing_ahead.get():
            yield
            return
        client = requesting_client.get()
        if client is not None:
            self._charge(client)
        if not self._slots.acquire(blocking=False):
            raise Busy(
                f"The server is busy with {self.concurrent} long computations; "
                "try again in a moment",
                retry_after=self._retry_after,
            )
        try:
            yield
        finally:
            self._slots.release()
