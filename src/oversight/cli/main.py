"""`oversight`: ingest NHS England's oversight files, score, segment and rank, explain, verify.

Commands are registered lazily: ``COMMANDS`` names each command's module and one-line help, so
``oversight --help`` lists them without importing a single command module (those pull in
DuckDB, numpy, scipy, matplotlib, the web stack). A command's module is imported only when that
command runs (or its own ``--help`` is asked for).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Annotated

import typer
from typer import _click as click  # typer 0.29 vendors click: its classes, not click's
from typer.core import TyperCommand, TyperGroup

from oversight.cli.context import Context
from oversight.errors import UserError


@dataclass(frozen=True)
class Entry:
    """Where a command lives and what ``oversight --help`` says about it."""

    module: str
    attribute: str  # a function (one command) or a Typer app (a group of commands)
    help: str


COMMANDS: dict[str, Entry] = {
    "icbs": Entry("icb_cmd", "icbs", "The 42 ICBs ranked (modelled, providers-in-the-ICB view)."),
    "icb": Entry("icb_cmd", "icb", "One ICB: its result, metric values and trusts (modelled)."),
    "icb-consequences": Entry(
        "icb_policy_cmd", "icb_consequences", "Consequences for ICBs under the ICB policy."
    ),
    "icb-capital": Entry("icb_policy_cmd", "icb_capital", "Split capital among the 42 ICBs."),
    "icb-payments": Entry(
        "icb_policy_cmd", "icb_payments", "ICBs' performance-linked payments (modelled)."
    ),
    "ingest": Entry(
        "ingest_cmd", "ingest", "Check and store published files of every kind, by their content."
    ),
    "league-table": Entry(
        "league_cmd",
        "league_table",
        "Rank one trust type in a quarter: segment first, then average score; ties share a rank.",
    ),
    "explain": Entry(
        "explain_cmd", "explain", "Show why an organisation has its segment and rank."
    ),
    "verify": Entry(
        "verify_cmd",
        "verify",
        "Recompute what each published file shows and print the agreement field by field.",
    ),
    "releases": Entry(
        "ingest_cmd",
        "releases",
        "List every stored release: quarter, trust type, revision, file and sha256.",
    ),
    "whatif": Entry(
        "whatif_cmd",
        "whatif",
        "Recompute an organisation's scores, segment, rank and likely ranges with changed inputs.",
    ),
    "gap": Entry(
        "whatif_cmd",
        "gap",
        "The smallest improvement in each metric that would move the organisation up a segment.",
    ),
    "history": Entry(
        "whatif_cmd",
        "history",
        "An organisation's segment, rank and likely rank in every stored quarter.",
    ),
    "improvement": Entry(
        "improvement_cmd", "improvement", "Organisations ranked by improvement, beside position."
    ),
    "data-quality": Entry(
        "data_quality_cmd", "data_quality", "Values flagged by data-quality rules; --recompute."
    ),
    "peer-league": Entry(
        "peer_league_cmd", "peer_league_cmd", "A league table re-ranked within peer groups."
    ),
    "moves": Entry(
        "moves_cmd", "moves", "Moves of segment and rank into a quarter: real or noise."
    ),
    "balancing": Entry(
        "balancing_cmd",
        "balancing",
        "Headline metrics improving while their balancing measure worsens.",
    ),
    "consequences": Entry(
        "policy_cmd", "consequences", "Which consequences apply to whom in a quarter, and why."
    ),
    "capital": Entry("policy_cmd", "capital", "Split a capital envelope by the policy's formula."),
    "payments": Entry(
        "policy_cmd", "payments", "Each provider's performance-linked payment and what it bought."
    ),
    "demo": Entry(
        "demo_cmd",
        "demo",
        "Ingest the bundled NHS England files, print the latest league table, verify, serve.",
    ),
    "ae": Entry("ae_cmd", "app", "NHS England's monthly A&E attendances and emergency admissions."),
    "metrics": Entry("metrics_cmd", "app", "Patient-level A&E metrics."),
    "synth": Entry(
        "synth_cmd",
        "synth",
        "Write SYNTHETIC attendance records whose counts equal the month's published counts.",
    ),
    "series": Entry(
        "series_cmd",
        "series_command",
        "The monthly series of one organisation as it is today, a region or England.",
    ),
    "funnel": Entry(
        "stats_cmd",
        "funnel",
        "Funnel plot: each organisation against 95% and 99.8% limits for its size.",
    ),
    "spc": Entry(
        "stats_cmd",
        "spc_cmd",
        "SPC (XmR) chart of one organisation's metric with the Making Data Count rules.",
    ),
    "sensitivity": Entry(
        "stats_cmd",
        "sensitivity_cmd",
        "How ranks move under other reasonable weightings: domain-equal, leave-one-out, random.",
    ),
    "rank-probabilities": Entry(
        "stats_cmd",
        "rank_probabilities",
        "Probability of each segment and of the top / bottom decile.",
    ),
    "serve": Entry("web_cmd", "serve", "Serve the dashboard and the JSON API live from the store."),
    "publish": Entry(
        "web_cmd", "publish", "Write the whole dashboard (every page, JSON, CSV) as static files."
    ),
    "evaluate": Entry(
        "evaluate_cmd", "app", "Evaluate pilots and reorganisations against pre-registered plans."
    ),
    "fetch": Entry(
        "fetch_cmd",
        "fetch",
        "Download the latest publications into a local cache (checksums, resume), then ingest.",
    ),
    "metric-values": Entry(
        "metric_values_cmd",
        "metric_values",
        "Every metric value for a trust type and quarter: computed from source statistics or "
        "as published.",
    ),
    "public-table": Entry(
        "public_cmd",
        "public_table",
        "MODELLED acute and ambulance tables from public statistics (not NHS England's result).",
    ),
}


def load_command(name: str) -> click.Command:
    """Import a command's module and build its click command (a group for a Typer app)."""
    entry = COMMANDS[name]
    target = getattr(import_module(f"oversight.cli.{entry.module}"), entry.attribute)
    if isinstance(target, typer.Typer):
        group = typer.main.get_group(target)
        group.name = name
        return group
    single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    single.command(name)(target)
    command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """Lists commands from ``COMMANDS`` (no imports); imports one only when it is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        # a stand-in for the help listing; resolve_command swaps in the real command
        return TyperCommand(cmd_name, help=entry.help, short_help=entry.help)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, _, rest = super().resolve_command(ctx, args)
        return name, (load_command(name) if name is not None else None), rest


app = typer.Typer(
    name="oversight",
    cls=LazyGroup,
    # plain click help for the command list: rich (and markdown-it) would cost more than all
    # of typer; each command's own --help still renders with rich
    rich_markup_mode=None,
    help="Score, segment and rank NHS organisations under the NHS Oversight Framework.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    ctx: typer.Context,
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
    # one Context per invocation, handed to every command through ctx.obj (no global state)
    ctx.obj = Context(db=db, framework_source=framework)


def main() -> None:
    try:
        app()
    except UserError as exc:
        # plain text, never wrapped: one line for the summary and one per problem
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(1) from None
