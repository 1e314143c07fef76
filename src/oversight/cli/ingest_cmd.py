"""`oversight ingest` and `oversight releases`: published files of every kind in (recognised by
content, one transaction), with provenance and revisions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from oversight.cli.context import context_of
from oversight.store.releases import IngestReport, stored_releases

if TYPE_CHECKING:
    from oversight.service.ingest import IngestResult

console = Console()
_NOTES = 3  # notes shown per file (ignored columns, total rows that differ)


def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            exists=True,
            readable=True,
            help="Published files, or folders holding them (walked recursively): NOF data "
            "files and league tables, monthly A&E, cancer waiting times, DM01 diagnostics, "
            "AmbSYS, the staff survey, ODS and ONS reference files. Each is recognised by its "
            "content.",
        ),
    ],
    new_revision: Annotated[
        bool,
        typer.Option(
            "--new-revision",
            help="Store changed quarters or periods as a new revision instead of refusing "
            "them. A file's name never makes it a revision; without this option only a file "
            "a MANIFEST.csv's supersedes column names (see docs/ae-monthly.md) is one.",
        ),
    ] = False,
) -> None:
    """Check and store published files of every kind, all in one transaction: a refused file
    leaves the store unchanged. The same file again is a no-op; a changed quarter or period
    is refused unless --new-revision is given (or a MANIFEST.csv among the files, or just above
    a folder given, says which file supersedes which), and both revisions stay queryable. A
    file in a folder that no collection recognises is skipped; one named explicitly is
    refused."""
    result = ingest_with_progress(ctx, paths, new_revision)
    show(result)


def ingest_with_progress(ctx: typer.Context, paths: list[Path], new_revision: bool) -> IngestResult:
    """Recognise, check and store (one transaction) into the command's store, with a progress
    bar over the files; a line for each file skipped."""
    from oversight.service.ingest import ingest_plan
    from oversight.service.ingest_plan import expand_paths, recognise_files

    state = context_of(ctx)
    found = expand_paths(paths)
    err = Console(stderr=True)
    # a bar only on a terminal: piped or captured, stderr keeps just the error lines
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("recognising", total=len(found))

        def step(verb: str) -> Callable[[Path], None]:
            def advance(path: Path) -> None:
                progress.update(task, advance=1, description=f"{verb} {path.name}")

            return advance

        def storing() -> None:
            progress.update(task, description="storing, one transaction")

        plan = recognise_files(found, step("recognised"))
        progress.update(task, total=len(found) + len(plan.files) + 1)
        con = state.connect()
        result = ingest_plan(con, plan, state.framework, new_revision, step("checked"), storing)
        progress.advance(task)
    for s in result.skipped:
        console.print(f"{s.path}: skipped, {s.reason}", highlight=False, soft_wrap=True)
    return result


def show(result: IngestResult) -> None:
    """A line per NOF file (as before the other collections came), a line per other file only
    when it has something to say, then the summary table by kind."""
    for f in result.files:
        if f.nof is not None:
            console.print(_describe(f.nof), highlight=False)
        elif f.notes:
            more = f"; and {len(f.notes) - _NOTES} more" if len(f.notes) > _NOTES else ""
            text = "; ".join(f.notes[:_NOTES]) + more
            console.print(f"{f.file_name}: {text}", highlight=False, soft_wrap=True)
    table = Table(title="ingested, by kind")
    table.add_column("kind", no_wrap=True)
    # (not "already ingested": that phrase is each NOF file's own line, which scripts count)
    for name in ("files", "periods stored", "periods unchanged", "revisions", "already stored"):
        table.add_column(name, justify="right")
    for k in result.by_kind():
        table.add_row(
            k.kind,
            str(k.files),
            str(k.periods_stored),
            str(k.periods_unchanged),
            str(k.revisions),
            str(k.already_ingested),
        )
    console.print(table)
    already = sum(f.status == "already ingested" for f in result.files)
    new = sum(f.status == "stored" for f in result.files)
    console.print(
        f"{len(result.files)} files: {new} with new releases, "
        f"{len(result.files) - new - already} unchanged, {already} already stored"
        + (f"; {len(result.skipped)} skipped" if result.skipped else ""),
        highlight=False,
    )


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
