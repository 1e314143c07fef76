"""What a server or a static export reads from: one store, one framework, results cached.

Running the engine for a quarter takes a tenth of a second or more (exact likely ranges), so each
quarter's result is computed once per (quarter, framework digest) and kept until something is
written to the store. Responses built from the results are memoised too (bounded LRU), so a busy
page costs a dictionary lookup. DuckDB connections are not safe to share across threads, and
FastAPI runs handlers in a thread pool, so every store access holds one lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from oversight.engine.nof.inputs import QuarterData, available_quarters, load_quarter
from oversight.engine.nof.quarter import RangeOptions, compute_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.errors import Problem, UserError
from oversight.frameworks import Framework, framework_digest, load_framework
from oversight.frameworks.model import TrustType
from oversight.service.expensive import ComputeGate
from oversight.service.quarters import NotFound, quarter_slug, resolve_quarter
from oversight.store import Connection, connect
from oversight.store.releases import IngestReport, store_file

T = TypeVar("T")

__all__ = ["Computed", "NotFound", "Site", "quarter_slug"]


@dataclass(frozen=True)
class Computed:
    data: QuarterData
    result: QuarterResult


class Site:
    """The store and framework behind the API and the dashboard."""

    def __init__(
        self,
        db: Path,
        framework: Framework | None = None,
        writable: bool = False,
        memo_size: int = 4096,
    ) -> None:
        if not db.exists():
            raise UserError(
                f"No store at {db}",
                [Problem("run `oversight ingest FILE...` (or `oversight demo`) first")],
            )
        self.db = db
        self.framework = framework or load_framework()
        self.digest = framework_digest(self.framework)
        self.writable = writable
        self._con = connect(db, read_only=not writable)
        self._lock = threading.RLock()
        self._results: dict[tuple[str, str, RangeOptions], Computed] = {}
        self._data: dict[str, QuarterData] = {}
        self._memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._memo_size = memo_size
        self._quarters: list[str] | None = None
        # a server's limit on expensive first computations (None: compute whatever is asked)
        self.gate: ComputeGate | None = None
        # memo keys a background thread will compute (a request for one is told to wait)
        self._ahead: set[tuple[Any, ...]] = set()
        # bumped whenever what a response says may change (an ingest, a result computed ahead)
        self.generation = 0

    @property
    def caches_responses(self) -> bool:
        return self._memo_size > 0

    def close(self) -> None:
        with self._lock:
            self._con.close()

    # -- what is stored -------------------------------------------------------------------
    @property
    def quarters(self) -> list[str]:
        with self._lock:
            if self._quarters is None:
                self._quarters = available_quarters(self._con)
            return list(self._quarters)

    @property
    def latest(self) -> str:
        return resolve_quarter(self.quarters, None)

    def quarter(self, given: str | None) -> str:
        """A stored quarter from any spelling ('Q4 2025/26', '2025-26-q4'...), None the latest."""
        return resolve_quarter(self.quarters, given)

    def trust_type(self, given: str) -> TrustType:
        """A framework trust type by id ('mental_health_community') or by name."""
        for t in self.framework.trust_types:
            if given == t.id:
                return t
        found = self.framework.trust_type_by_name(given)
        if found is None:
            known = ", ".join(f"{t.id} ({t.name!r})" for t in self.framework.trust_types)
            raise NotFound(
                f"Unknown trust type {given!r}",
                [Problem(f"known trust types: {known}", field="trust_type")],
            )
        return found

    # -- engine results, cached -----------------------------------------------------------
    def computed(self, quarter: str | None, options: RangeOptions | None = None) -> Computed:
        """A quarter's data and engine result (any quarter spelling; None is the latest).

        ``options`` overrides the framework's likely-range settings (the CLI's --method,
        --replicates, --seed, --calibrated); each distinct set is computed once.
        """
        quarter = self.quarter(quarter)
        key = (quarter, self.digest, options or RangeOptions())
        with self._lock:
            hit = self._results.get(key)
            if hit is not None:
                return hit
        # a slot first, then the lock (always in that order: an evaluation holding a slot
        # takes the lock for its cursor)
        with self.expensive(), self._lock:
            hit = self._results.get(key)
            if hit is None:
                data = self.data(quarter)
                hit = Computed(data, compute_quarter(self.framework, data, options))
                self._results[key] = hit
            return hit

    def data(self, quarter: str | None) -> QuarterData:
        """A quarter's inputs as stored (no engine run: cheap, e.g. for its revisions)."""
        quarter = self.quarter(quarter)
        with self._lock:
            hit = self._data.get(quarter)
            if hit is None:
                hit = self._data[quarter] = load_quarter(self._con, quarter)
            return hit

    def result(self, quarter: str | None, options: RangeOptions | None = None) -> QuarterResult:
        return self.computed(quarter, options).result

    def all_results(self) -> list[QuarterResult]:
        return [self.result(q) for q in self.quarters]

    def warm(self, progress: Callable[[str], None] | None = None) -> None:
        """Compute every stored quarter now, so the first visitor does not wait."""
        for q in self.quarters:
            if progress:
                progress(q)
            self.computed(q)

    def read(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` on the store under the lock (a DuckDB connection is not thread-safe)."""
        with self._lock:
            return fn(self._con)

    def memo(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """A built response (model, bytes) by key; least recently used entries are dropped."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]  # type: ignore[no-any-return]
        value = build()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > self._memo_size:
                self._memo.popitem(last=False)
        return value

    def memo_has(self, key: tuple[Any, ...]) -> bool:
        with self._lock:
            return key in self._memo

    # -- expensive computations: limited, or computed ahead --------------------------------
    def expensive(self) -> AbstractContextManager[None]:
        """Hold around an expensive computation: the server's gate, if it has one."""
        return self.gate.slot() if self.gate is not None else nullcontext()

    def schedule_ahead(self, keys: list[tuple[Any, ...]]) -> None:
        with self._lock:
            self._ahead.update(keys)

    def is_ahead(self, key: tuple[Any, ...]) -> bool:
        """Scheduled for the background and not finished yet."""
        with self._lock:
            return key in self._ahead

    @contextmanager
    def computing_ahead(self, key: tuple[Any, ...]) -> Iterator[None]:
        """Around the background computation of ``key``: done (or failed), it is no longer
        awaited, and cached responses that said "being computed" are dropped."""
        try:
            yield
        finally:
            with self._lock:
                self._ahead.discard(key)
                self.generation += 1

    # -- writes (admin only) --------------------------------------------------------------
    def ingest(self, path: Path, new_revision: bool) -> IngestReport:
        from oversight.ingest.nof import parse_nof_file

        if not self.writable:
            raise UserError("This server opened the store read-only")
        with self._lock:
            report = store_file(self._con, parse_nof_file(path, self.framework), new_revision)
            self._results.clear()
            self._data.clear()
            self._memo.clear()
            self._quarters = None
            self.generation += 1
        return report
