"""``oversight serve``'s server: the app, the gate on expensive first computations, the
background thread that computes ahead, and uvicorn.

uvicorn picks httptools and uvloop when they are installed (both pinned): on its pure-Python
HTTP parser (h11) and asyncio's own loop a kept response costs 2.5 times the server CPU.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from oversight.service.expensive import ComputeGate
from oversight.service.icb_pages import icbs_ahead
from oversight.service.improvement_monthly import monthly_improvements_ahead
from oversight.service.moves import quarter_moves
from oversight.service.org_search import candidates
from oversight.service.provider_services import codes_with_services
from oversight.service.site import Site

log = logging.getLogger(__name__)


def slow_pages(site: Site) -> list[tuple[str, tuple[object, ...]]]:
    """Pages slow to build on a first open even with every quarter and evaluation computed
    (bench/bench_first_open.py): built by the background thread last, with the arguments their
    routes give them (the evaluations index: the plans computed by then, all of them)."""
    from oversight.api.evaluation_records import computed_on_request

    return [
        ("evaluations_index", (computed_on_request(site),)),
        ("ae_index", ("",)),
        ("public_index", ()),
    ]


def funnel_panels(site: Site) -> list[tuple[str, Callable[[], object]]]:
    """Every share's providers in every month (what each A&E funnel page is drawn from), the
    dashboard's default funnel metric first."""
    from oversight.api import ae_records

    if not ae_records.months(site):
        return []
    first = ae_records.FUNNEL_METRIC
    ordered = sorted(ae_records.funnel_metrics(), key=lambda m: m != first)
    return [(f"A&E funnel panel {m}", partial(ae_records.month_panel, site, m)) for m in ordered]


def compile_templates() -> None:
    """Every page template compiled (a template's first use costs a few tenths of a second)."""
    from oversight.web.render import environment

    env = environment()
    for name in env.list_templates():
        env.get_template(name)


def shared_parts(site: Site) -> list[tuple[str, Callable[[], object]]]:
    """What many pages share and is slow to compute, computed ahead before the slow pages: an
    organisation page then finds its quarters' moves, a funnel page is one month's arithmetic,
    an ICB page or league table only records."""
    moves = [(f"moves into {q}", partial(quarter_moves, site, q)) for q in site.quarters[1:]]
    return [("page templates", compile_templates), *moves, *funnel_panels(site), *icbs_ahead(site)]


def late_parts(site: Site) -> list[tuple[str, Callable[[], object]]]:
    """After the slow pages (they read what the public index computed): the search's index,
    which codes have a services page (search, organisation and modelled league pages link
    them), and the monthly improvement of every type's monthly metrics."""
    return [
        ("search candidates", partial(candidates, site)),
        ("codes with services", partial(codes_with_services, site)),
        *monthly_improvements_ahead(site),
    ]


def compute_parts(
    site: Site, parts: Callable[[Site], list[tuple[str, Callable[[], object]]]]
) -> None:
    try:
        steps = parts(site)
    except Exception:  # e.g. a store without the A&E tables: the pages say so on request
        log.exception("listing what to compute ahead failed")
        steps = []
    for name, compute in steps:
        try:
            compute()
        except Exception:  # the pages compute it again on request and show the error
            log.exception("computing the %s ahead failed", name)


def build_slow_pages(site: Site) -> None:
    from oversight.web.routes import page_bytes

    compute_parts(site, shared_parts)
    for kind, args in slow_pages(site):
        try:
            site.memo(("page", kind, args, "html"), partial(page_bytes, site, kind, args, "html"))
        except Exception:  # its route builds it again on request and shows the error
            log.exception("building the %s page ahead failed", kind)
    compute_parts(site, late_parts)


def run(
    site: Site,
    host: str,
    port: int,
    admin_token: str | None = None,
    fast_path: bool = True,
    compute_ahead: bool = True,
    gate: ComputeGate | None = None,
) -> None:
    """Serve until stopped. ``fast_path=False`` routes every request (kept responses are
    still reused from the site's memo; for benchmarks)."""
    import uvicorn

    from oversight.api import ahead
    from oversight.web.app import create_app

    site.gate = gate if gate is not None else ComputeGate()
    app = create_app(site, admin_token, response_cache=site.caches_responses and fast_path)
    if compute_ahead:
        ahead.start(site, then=partial(build_slow_pages, site))
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, http="auto", loop="auto"
    )
