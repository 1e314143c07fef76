"""`oversight synth`: synthetic attendance records reproducing a published month's counts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import pyarrow.compute as pc
import typer
from rich.console import Console

from oversight.cli.context import context_of
from oversight.cli.feedback import progress_bar, wrote
from oversight.errors import Problem, UserError
from oversight.synthetic.counts import reconcile
from oversight.synthetic.published import provider_months, stored_month
from oversight.synthetic.write import replicate, write_records


def _month(text: str) -> date:
    try:
        year, month = (int(p) for p in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise UserError(
            f"--month {text!r} is not a month", [Problem("write it as YYYY-MM")]
        ) from None


def synth(
    ctx: typer.Context,
    month: Annotated[str, typer.Option("--month", help="Published month to reproduce, YYYY-MM.")],
    out: Annotated[Path, typer.Option("--out", help="Parquet file to write.")],
    providers: Annotated[
        str | None, typer.Option("--providers", help="Comma-separated codes (default: all).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    rows: Annotated[
        int | None,
        typer.Option(
            "--rows",
            min=1,
            help="For benchmarks: replicate the month into earlier months up to about N records.",
        ),
    ] = None,
) -> None:
    """Write SYNTHETIC attendance records whose counts equal the month's published counts."""
    console = Console(stderr=True)
    wanted = _month(month)
    codes = [c.strip() for c in providers.split(",") if c.strip()] if providers else None
    con = context_of(ctx).connect(must_exist=True)
    long = stored_month(con, wanted, codes)
    con.close()
    counts, notes = reconcile(provider_months(long))
    source = f"NHS England A&E monthly counts {wanted:%Y-%m}"
    description = "SYNTHETIC A&E attendances: random records, no real patient"
    if rows is not None:
        counts = replicate(counts, rows)
        source += f", replicated into earlier months to about {rows:,} records"
    total = int(pc.sum(counts.column("attendances")).as_py() or 0)
    with progress_bar() as progress:
        task = progress.add_task("synthetic records", total=total)
        written = write_records(
            counts, out, seed, description, source, on_rows=lambda n: progress.advance(task, n)
        )
    wrote(out, f"SYNTHETIC {written:,} attendance records, Parquet")
    console.print(f"source: {source}; seed {seed}")
    if notes:
        console.print(
            f"{len(notes)} provider-months whose published counts contradict each other "
            "(reproduced as described):"
        )
        for note in notes:
            console.print(f"  - {note}", soft_wrap=True)
