"""``oversight serve``'s server: the app, the gate on expensive first computations, the
background thread that computes ahead, and uvicorn.

uvicorn picks httptools and uvloop when they are installed (both pinned): on its pure-Python
HTTP parser (h11) and asyncio's own loop a kept response costs 2.5 times the server CPU.
"""

from __future__ import annotations

from oversight.service.expensive import ComputeGate
from oversight.service.site import Site


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
        ahead.start(site)
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, http="auto", loop="auto"
    )
