"""Computed ahead: what a server works out in a background thread as soon as it starts, so no
page waits on a long first computation (an evaluation took 18-21 s on its first open).

Every stored quarter's engine result first (the league tables, organisation and metric pages
need them), then every example evaluation that has its data, fastest first, with its plots.
Until an evaluation is done its page answers 202 "being computed" (``Pending``); the server
listens meanwhile. The thread is one computation at a time and takes none of the gate's slots,
which stay for requests.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from oversight.api import evaluation_records as records
from oversight.engine.nof.quarter import RangeOptions
from oversight.service.expensive import computing_ahead
from oversight.service.site import Site

log = logging.getLogger(__name__)


def plans_to_compute(site: Site) -> list[str]:
    """Plans whose data is in the store, the quick ones first (slow: ``ON_REQUEST``)."""
    runnable = [p for p in records.plan_ids() if records.has_data(site, p)]
    return sorted(runnable, key=lambda p: records.ON_REQUEST.get(p, 0.0))


def compute_all(
    site: Site,
    plans: list[str],
    quarters: bool = True,
    then: Callable[[], None] | None = None,
) -> None:
    """Every quarter (unless ``quarters`` is False), then each plan, then ``then``, in this
    thread."""
    token = computing_ahead.set(True)
    try:
        for q in site.quarters if quarters else []:
            site.computed(q, RangeOptions(skip=True))  # counts for the home page: quick
            site.computed(q)
        for plan_id in plans:
            with site.computing_ahead(records.ahead_key(plan_id)):
                try:
                    if records.view(site, plan_id).status == "computed":
                        records.plots(site, plan_id)
                except Exception:  # the page computes it again on request and shows the error
                    log.exception("computing evaluation %s ahead failed", plan_id)
        if then is not None:
            then()
    finally:
        computing_ahead.reset(token)


def start(site: Site, then: Callable[[], None] | None = None) -> threading.Thread:
    """Schedule every evaluation and compute it all in a daemon thread (``then`` last);
    returns the thread."""
    plans = plans_to_compute(site)
    site.schedule_ahead([records.ahead_key(p) for p in plans])
    thread = threading.Thread(
        target=compute_all,
        args=(site, plans),
        kwargs={"then": then},
        name="oversight-ahead",
        daemon=True,
    )
    thread.start()
    return thread
