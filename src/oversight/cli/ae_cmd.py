"""`oversight ae ...`: NHS England's monthly A&E files in, releases listed, successor candidates."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from oversight import csv_out
from oversight.cli.context import context_of
from oversight.cli.options import Format, FormatOpt
from oversight.engine.sources.ae_candidates import successor_candidates
from oversight.engine.sources.successions import combined, disagreements
from oversight.errors import Problem, UserError
from oversight.frameworks.ae import AE_COLLECTION, ae_successors
from oversight.ingest.ae_monthly import parse_ae_files
from oversight.ingest.ae_ods_successions import read_ods_successions
from oversight.ingest.manifest import (
    RevisionPlan,
    is_manifest,
    manifest_above,
    merge_plans,
    read_manifest,
)
from oversight.store.ae import AeIngestReport, store_ae_files
from oversight.store.collections_query import releases as stored_releases

console = Console()
err_console = Console(stderr=True)
app = typer.Typer(
    help="NHS England's monthly A&E attendances and emergency admissions.",
    no_args_is_help=True,
)


def csv_files(paths: list[Path]) -> tuple[list[Path], RevisionPlan]:
    """Folders expand to the CSV files directly inside them, in name order; a MANIFEST.csv
    named, in a folder given or just above it is the ingest plan, not a file to ingest."""
    out: list[Path] = []
    manifests: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.casefold() == ".csv")
            manifests += [p for p in found if is_manifest(p)]
            found = [p for p in found if p not in manifests]
            if not found:
                raise UserError(f"No CSV files in {path}", [Problem("nothing to ingest")])
            out += found
            above = manifest_above(path)
            manifests += [above] if above is not None else []
        elif is_manifest(path):
            manifests.append(path)
        elif path.exists():
            out.append(path)
        else:
            raise UserError(f"No such file or folder: {path}", [Problem("check the path")])
    return out, merge_plans(read_manifest(m) for m in dict.fromkeys(manifests))


@app.command("ingest")
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(help="Monthly provider CSV files, or folders holding them."),
    ],
    new_revision: Annotated[
        bool,
        typer.Option(
            "--new-revision",
            help="Accept a file with different content for a stored month as its revised "
            "release. Without it, only a file a MANIFEST.csv says supersedes the stored one "
            "(named, in the folder given or just above it) is; never because of its name.",
        ),
    ] = False,
) -> None:
    """Check and store monthly A&E files, all in one transaction: any refused file leaves the
    store unchanged. The same file again is a no-op; a revised release supersedes the first
    and both stay queryable."""
    files, plan = csv_files(paths)
    con = context_of(ctx).connect()
    # no bar when stderr is not a terminal: a refusal must be the first thing on stderr
    with Progress(
        console=err_console, transient=True, disable=not err_console.is_terminal
    ) as progress:
        task = progress.add_task("reading", total=len(files) + 1)

        def advance(path: Path) -> None:
            progress.update(task, advance=1, description=f"read {path.name}")

        parsed = parse_ae_files(files, on_file=advance)
        progress.update(task, description="storing")
        reports = store_ae_files(con, parsed, new_revision, plan)
        progress.advance(task)
    for r in reports:
        console.print(_describe(r), highlight=False, soft_wrap=True)
    stored = sum(r.status == "stored" for r in reports)
    console.print(
        f"{len(reports)} files: {stored} releases stored, "
        f"{sum(r.status == 'unchanged' for r in reports)} unchanged, "
        f"{sum(r.status == 'already ingested' for r in reports)} already ingested",
        highlight=False,
    )


def _describe(r: AeIngestReport) -> str:
    text = f"{r.file_name}: {r.month:%Y-%m}, "
    if r.status == "stored":
        text += f"{r.provider_rows} providers, stored as the {r.release} release (rev {r.revision})"
    elif r.status == "unchanged":
        text += "same content as the stored release, nothing added"
    else:
        text += "already ingested (same sha256), nothing to do"
    if r.ignored_columns:
        text += f"; ignored empty columns {', '.join(r.ignored_columns)}"
    if r.total_mismatches:
        text += "; WARNING total row differs: " + "; ".join(r.total_mismatches)
    return text


@app.command("releases")
def releases(ctx: typer.Context) -> None:
    """Every stored month: revision, release, file, providers, and which is current."""
    con = context_of(ctx).connect(must_exist=True)
    table = Table("month", "rev", "release", "file", "providers", "total row", "current")
    for r in stored_releases(con, AE_COLLECTION):
        table.add_row(
            f"{r.period:%Y-%m}",
            str(r.revision),
            "first" if r.revision == 1 else "revised",
            r.file_name,
            str(r.row_count),
            "yes" if r.has_total else "no",
            "yes" if r.current else "",
        )
    console.print(table)


@app.command("successor-candidates")
def successor_candidates_command(
    ctx: typer.Context,
    all_codes: Annotated[
        bool, typer.Option("--all", help="Every code that stops, not only NHS trusts.")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Codes that stop reporting, with the codes whose attendances rose by about their volume
    the month after (after the national change), and whether the successor mapping covers
    them. Candidates to confirm against public sources, not facts."""
    con = context_of(ctx).connect(must_exist=True)
    smap = ae_successors()
    rows = []
    for c in successor_candidates(con, trusts_only=not all_codes):
        mapped = smap.for_code(c.code)
        rows.append(
            {
                "code": c.code,
                "name": c.name,
                "last_month": f"{c.last_month:%Y-%m}",
                "monthly_volume": round(c.volume),
                "candidates": "; ".join(f"{g[0]} {g[2]:+.0%}" for g in c.gains),
                "in_mapping": ", ".join(
                    f"{m.kind} {'+'.join(s.code for s in m.successors) or '-'} {m.effective}"
                    for m in mapped
                )
                or "NOT MAPPED",
            }
        )
    if fmt is Format.json:
        print(json.dumps(rows))
    elif fmt is Format.csv:
        writer = csv_out.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["code"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table("code", "name", "last", "volume/month", "gained that month", "mapping")
        for r in rows:
            table.add_row(*(str(v) for v in r.values()))
        console.print(table)


@app.command("successions")
def successions_command(
    ods: Annotated[
        Path, typer.Argument(help="The ODS succession file (succ.csv), e.g. data/nhs/ods/succ.csv.")
    ],
    fmt: FormatOpt = Format.table,
) -> None:
    """Where the ODS succession file and the reviewed successor mapping disagree: codes whose
    successors or month differ, or that only one of them records."""
    smap = ae_successors()
    found = read_ods_successions(ods)
    rows = [
        {"code": d.code, "mapping": d.mapping, "ods": d.ods} for d in disagreements(smap, found)
    ]
    agreed = sum("ODS succ.csv" in c.source for c in combined(smap, found).changes)
    if fmt is Format.json:
        print(json.dumps({"agree": agreed, "disagree": rows}))
        return
    table = Table("code", "reviewed mapping", "ODS succ.csv")
    for r in rows:
        table.add_row(r["code"], r["mapping"], r["ods"])
    console.print(table)
    console.print(
        f"{len(smap.changes)} mapping entries: {agreed} taken from ODS (same successors, same "
        f"month), {len(rows)} codes disagree",
        highlight=False,
    )
