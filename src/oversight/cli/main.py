"""`oversight`: ingest NHS England's oversight files, score, segment and rank, explain, verify."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from oversight.cli import (
    ae_cmd,
    demo_cmd,
    evaluate_cmd,
    explain_cmd,
    fetch_cmd,
    ingest_cmd,
    league_cmd,
    metrics_cmd,
    policy_cmd,
    series_cmd,
    stats_cmd,
    synth_cmd,
    verify_cmd,
    web_cmd,
    whatif_cmd,
)
from oversight.cli.context import STATE
from oversight.errors import UserError

app = typer.Typer(
    name="oversight",
    help="Score, segment and rank NHS organisations under the NHS Oversight Framework.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", envvar="OVERSIGHT_DB", help="DuckDB store (default ./oversight.duckdb)."
        ),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option(
            "--framework", "-f", help="Framework file (YAML) or bundled name; default nof-2025-26."
        ),
    ] = None,
) -> None:
    STATE.db = db
    STATE.framework_source = framework
    STATE._framework = None


app.command("ingest")(ingest_cmd.ingest)
app.command("league-table")(league_cmd.league_table)
app.command("explain")(explain_cmd.explain)
app.command("verify")(verify_cmd.verify)
app.command("releases")(ingest_cmd.releases)
app.command("whatif")(whatif_cmd.whatif)
app.command("gap")(whatif_cmd.gap)
app.command("history")(whatif_cmd.history)
app.command("consequences")(policy_cmd.consequences)
app.command("capital")(policy_cmd.capital)
app.command("payments")(policy_cmd.payments)
app.command("demo")(demo_cmd.demo)
app.add_typer(ae_cmd.app, name="ae")
app.add_typer(metrics_cmd.app, name="metrics")
app.command("synth")(synth_cmd.synth)
app.command("series")(series_cmd.series_command)
app.command("funnel")(stats_cmd.funnel)
app.command("spc")(stats_cmd.spc_cmd)
app.command("sensitivity")(stats_cmd.sensitivity_cmd)
app.command("rank-probabilities")(stats_cmd.rank_probabilities)
app.command("serve")(web_cmd.serve)
app.command("publish")(web_cmd.publish)
app.add_typer(evaluate_cmd.app, name="evaluate")
app.command("fetch")(fetch_cmd.fetch)


def main() -> None:
    try:
        app()
    except UserError as exc:
        # plain text, never wrapped: one line for the summary and one per problem
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(1) from None
