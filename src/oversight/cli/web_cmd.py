"""`oversight serve` and `oversight publish`: the dashboard and API, live or as static files."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from oversight.cli.context import context_of
from oversight.cli.feedback import progress_bar, wrote

if TYPE_CHECKING:
    from oversight.service.site import Site

console = Console(stderr=True)

HostOpt = Annotated[str, typer.Option("--host", help="Interface to listen on.")]
PortOpt = Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="TCP port.")]


def _site(ctx: typer.Context, writable: bool = False, memo_size: int = 4096) -> Site:
    # imported here: the web stack is not needed by (nor should slow down) other commands
    state = context_of(ctx)
    from oversight.service.site import Site

    return Site(state.db_path, state.framework, writable, memo_size)


def serve(
    ctx: typer.Context,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    response_cache: Annotated[
        bool,
        typer.Option(
            "--response-cache/--no-response-cache",
            help="Keep built responses in memory (off: rebuild each one; for benchmarks).",
        ),
    ] = True,
    fast_path: Annotated[
        bool, typer.Option("--fast-path/--no-fast-path", hidden=True, help="For benchmarks.")
    ] = True,
    compute_slots: Annotated[
        int,
        typer.Option(
            "--compute-slots",
            min=1,
            help="Uncached expensive computations (a quarter, an evaluation) run at once; "
            "beyond it a request gets 503 with Retry-After.",
        ),
    ] = 2,
    client_burst: Annotated[
        int,
        typer.Option(
            "--client-burst",
            min=0,
            help="New expensive computations one client may ask for in a burst (refilled at "
            "one every 2 s); 0 for no per-client limit.",
        ),
    ] = 20,
) -> None:
    """Serve the dashboard and the JSON API live from the store.

    Pages at http://HOST:PORT/, API under /api/v1 (schema at /api/openapi.json). The admin
    ingest endpoint works only if OVERSIGHT_ADMIN_TOKEN is set (then the store opens writable).
    """
    from oversight.web.serving import run

    token = os.environ.get("OVERSIGHT_ADMIN_TOKEN") or None
    site = _site(ctx, writable=token is not None, memo_size=4096 if response_cache else 0)
    # the server listens at once; quarters and evaluations are computed in the background
    console.print(f"Dashboard on http://{host}:{port}/  (API: /api/v1, Ctrl+C to stop)")
    from oversight.service.expensive import ComputeGate

    burst = float(client_burst) if client_burst else math.inf
    gate = ComputeGate(concurrent=compute_slots, burst=burst)
    run(site, host, port, token, fast_path=fast_path, gate=gate)


def publish(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the static site into.")
    ] = Path("site"),
) -> None:
    """Write the whole dashboard (every page, with JSON and CSV twins) as static files."""
    from oversight.web.publish import publish as write_site

    site = _site(ctx)
    with progress_bar() as progress:
        task = progress.add_task("writing pages", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        result = write_site(site, out, step)
    site.close()
    wrote(
        f"{out}/",
        f"{result.pages} pages, {result.files} files, {result.bytes / 1e6:.1f} MB; open "
        f"{out}/index.html or serve the folder with any web server",
    )
