"""`oversight ingest` and `oversight releases`: files in, with provenance and revisions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from oversight.cli.context import context_of
from oversight.ingest.nof import parse_nof_file
from oversight.store.releases import IngestReport, store_files, stored_releases

console = Console()


def ingest(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="NHS England NOF data files and league tables (CSV).",
        ),
    ],
    new_revision: Annotated[
        bool,
        typer.Option(
            "--new-revision",
            help="Store changed quarters as a new revision instead of refusing them.",
        ),
    ] = False,
) -> None:
    """Check and store published NOF files. The same file again is a no-op; a changed quarter
    is refused unless --new-revision is given, and both revisions stay queryable."""
    state = context_of(ctx)
    con = state.connect()
    parsed = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("checking", total=len(files))
        for path in files:
            progress.update(task, description=f"checking {path.name}")
            parsed.append(parse_nof_file(path, state.framework))
            progress.advance(task)
    # all files or none: one transaction for the batch
    reports = store_files(con, parsed, new_revision)
    for r in reports:
        console.print(_describe(r), highlight=False)


def _describe(r: IngestReport) -> str:
    if r.already_ingested:
        return f"{r.file_name}: already ingested (same sha256), nothing to do"
    parts = [f"{q} revision {rev}" for q, rev in sorted(r.stored.items())]
    if r.unchanged:
        parts.append(f"unchanged: {', '.join(r.unchanged)}")
    if r.undeclared_metrics:
        parts.append(
            f"metrics not declared by the framework, scored from the publication: "
            f"{', '.join(r.undeclared_metrics)}"
        )
    return f"{r.file_name}: {r.rows} rows, {r.kind} for {r.trust_type}; " + "; ".join(parts)


def releases(ctx: typer.Context) -> None:
    """List every stored release: quarter, trust type, revision, file and sha256."""
    con = context_of(ctx).connect(must_exist=True)
    rows = stored_releases(con)
    table = Table(
        "quarter", "trust type", "kind", "rev", "rows", "file", "sha256", "ingested", "current"
    )
    for r in rows:
        table.add_row(
            r.quarter,
            r.trust_type,
            r.kind,
            str(r.revision),
            str(r.row_count),
            r.file_name,
            r.sha256[:12],
            f"{r.ingested_at:%Y-%m-%d %H:%M}",
            "yes" if r.current else "",
        )
    console.print(table)
