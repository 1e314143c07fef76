"""`oversight demo`: the main job on the bundled NHS England files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from oversight.cli import ingest_cmd, league_cmd, verify_cmd, web_cmd
from oversight.cli.context import context_of
from oversight.cli.options import Format
from oversight.engine.nof.inputs import available_quarters
from oversight.engine.nof.quarter import run_quarter
from oversight.engine.nof.verify import verify_file
from oversight.errors import Problem, UserError


def bundled_data() -> Path:
    """The repository's data/ folder (the package is installed from a checkout)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "data" / "nhs" / "nof"
        if candidate.is_dir():
            return candidate
    raise UserError(
        "The bundled data folder is missing",
        [Problem("run from a checkout of the repository, or pass --data DIR")],
    )


# the source-statistics publications bundled beside the NOF files (data/nhs/...)
BUNDLED_COLLECTIONS = ("ae/monthly", "cancer", "diagnostics", "ambulance", "staff-survey", "ods")


def demo(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Folder of NOF CSV files (default: the bundled data/nhs/nof)."),
    ] = None,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve", help="End by serving the dashboard on localhost (default)."
        ),
    ] = True,
    port: Annotated[int, typer.Option("--port", "-p", help="Port for the dashboard.")] = 8000,
) -> None:
    """Ingest every bundled NHS England publication (one transaction), print the latest
    league table, verify it, then serve the dashboard on http://127.0.0.1:PORT/ (Ctrl+C
    stops it)."""
    state = context_of(ctx)
    folder = data or bundled_data()
    # reference/ holds published values kept for comparison only, not files to ingest
    files = sorted(
        f for f in folder.rglob("*.csv") if "reference" not in f.relative_to(folder).parts
    )
    # every other bundled publication (monthly A&E for the series pages, cancer, diagnostics,
    # ambulance, staff survey, ODS), in the same transaction as the NOF files
    others = [folder.parent / f for f in BUNDLED_COLLECTIONS if (folder.parent / f).is_dir()]
    console = Console()
    console.rule("1. ingest")
    ingest_cmd.show(ingest_cmd.ingest_with_progress(ctx, [*files, *others], new_revision=False))
    con = state.connect(must_exist=True)
    quarter = available_quarters(con)[-1]
    console.rule("2. league tables")
    result = run_quarter(con, state.framework, quarter)
    for t in sorted({o.trust_type for o in result.orgs}):
        league_cmd.emit(result, t, Format.table)
    console.rule("3. verify against NHS England's publication")
    for path in files:
        verify_cmd.show(verify_file(con, state.framework, path))
    console.print(
        "\nNext: [bold]oversight explain RYY[/], "
        "[bold]oversight league-table -t 'Mental health and community trust' --format csv[/]"
    )
    if not serve:
        return
    con.close()  # the server opens the store itself, read-only
    console.rule("4. dashboard")
    web_cmd.serve(ctx, host="127.0.0.1", port=port)
