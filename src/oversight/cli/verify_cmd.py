"""`oversight verify`: agreement with NHS England's publication, field by field."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from oversight.cli.context import context_of
from oversight.cli.league_cmd import wide_console
from oversight.cli.options import MethodOpt, ReplicatesOpt, SeedOpt, range_options
from oversight.engine.nof.verify import Verification, verify_file


def verify(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(exists=True, dir_okay=False, help="Published league tables or data files."),
    ],
    method: MethodOpt = None,
    replicates: ReplicatesOpt = None,
    seed: SeedOpt = None,
) -> None:
    """Recompute what each published file shows and print the agreement field by field.
    Exits 1 if any field disagrees beyond its stated tolerance."""
    state = context_of(ctx)
    con = state.connect(must_exist=True)
    ok = True
    for path in files:
        v = verify_file(con, state.framework, path, range_options(method, replicates, seed))
        show(v)
        ok &= v.full_agreement
    raise typer.Exit(0 if ok else 1)


def show(v: Verification) -> None:
    console = wide_console()
    t = Table(title=f"{v.file_name} ({', '.join(v.quarters)})")
    for col in ("field", "agree", "of", "rate", "tolerance", "max |diff|"):
        t.add_column(col, justify="left" if col == "field" else "right")
    for f in v.fields:
        style = "green" if f.agreed == f.compared else "red"
        t.add_row(
            f.field,
            str(f.agreed),
            str(f.compared),
            f"[{style}]{100 * f.rate:.1f}%[/]",
            f"{f.tolerance:g}",
            f"{f.max_abs_diff:.3f}",
        )
    console.print(t)
    for f in v.fields:
        for e in f.examples:
            console.print(f"  [red]{f.field}[/]: {e}", highlight=False)
    sources = ", ".join(f"{k} {n}" for k, n in sorted(v.score_sources.items()))
    console.print(f"metric scores used: {sources}", highlight=False)
    verdict = "[bold green]full agreement[/]" if v.full_agreement else "[bold red]disagreement[/]"
    console.print(f"{v.file_name}: {verdict}")
