"""`oversight fetch`: the latest publications from the publishers' pages, into the cache, then
into the store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from oversight.cli.context import context_of

if TYPE_CHECKING:
    from oversight.frameworks.fetch_model import FetchSource

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def fetch(
    ctx: typer.Context,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Fetch only this publication (repeatable; see --list)."),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option("--cache", help="Cache folder (default ~/.cache/oversight).", file_okay=False),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar="OVERSIGHT_FETCH_BASE_URL",
            help="Fetch from a mirror: every URL becomes <base>/<host>/<path>.",
        ),
    ] = None,
    no_ingest: Annotated[
        bool, typer.Option("--no-ingest", help="Download into the cache only.")
    ] = False,
    list_sources: Annotated[
        bool, typer.Option("--list", help="List the publications and where they are found.")
    ] = False,
) -> None:
    """Find the latest files on each publisher's page, download them into the cache
    (checksummed; an interrupted download resumes), and ingest new or changed ones (a changed
    file becomes a new revision). Exit status 1 only when nothing could be fetched or a file
    was refused at ingest; a missing file among others is a warning."""
    from oversight.fetch.cache import default_cache_dir
    from oversight.fetch.progress import RichHooks
    from oversight.fetch.run import fetch as run_fetch
    from oversight.fetch.sources import check_base_url, select
    from oversight.frameworks.fetch_model import load_fetch_sources

    sources = select(load_fetch_sources(), only)
    if list_sources:
        _list(sources)
        return
    folder = cache or default_cache_dir()
    db = None if no_ingest else context_of(ctx).db_path
    with RichHooks(err_console) as hooks:
        summary = run_fetch(sources, folder, db, check_base_url(base_url), hooks)
    for line in summary.problems:
        err_console.print(f"warning: {line}")
    for f in summary.files:
        if f.status == "failed":
            err_console.print(f"warning: {f.publication}/{f.name}: not fetched: {f.detail}")
        else:
            extra = f" ({f.detail})" if f.detail else ""
            console.print(f"{f.publication}/{f.name}: {f.status}{extra}")
    for o in summary.ingested:
        text = f"{o.path.name}: {o.status}: {o.detail}"
        (err_console if o.status == "refused" else console).print(text)
    n = len(summary.fetched)
    console.print(
        f"{n} of {len(summary.files)} files fetched into {folder}"
        + ("; ingest skipped (--no-ingest)" if db is None else "")
    )
    if summary.exit_code:
        if not summary.fetched:
            err_console.print("error: nothing could be fetched")
        raise typer.Exit(summary.exit_code)


def _list(sources: list[FetchSource]) -> None:
    """Plain lines (not a table), so long URLs and patterns are never wrapped or cut."""
    for s in sources:
        console.print(f"{s.id}: {s.title} ({s.publisher})")
        console.print(f"  page:  {s.page}")
        latest = f" (newest {s.latest})" if s.latest else ""
        console.print(f"  links: {s.links}{latest}")
