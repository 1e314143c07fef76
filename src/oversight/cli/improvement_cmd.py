"""`oversight improvement`: organisations ranked by improvement against their own earlier
quarters, beside their official position."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Table

from oversight import csv_out
from oversight.cli.context import context_of
from oversight.cli.improvement_monthly_cmd import show
from oversight.cli.league_cmd import wide_console
from oversight.cli.options import Format, FormatOpt, QuarterOpt
from oversight.engine.nof.improvement import OrgImprovement
from oversight.service.improvement import improvement_table
from oversight.service.improvement_monthly import MONTHS

ROW_COLUMNS = [
    "trust_code",
    "trust_name",
    "position_rank",
    "improvement_score",
    "improvement_rank",
    "average_change",
    "average_z",
    "beyond_noise",
]


def improvement_row(r: OrgImprovement) -> dict[str, Any]:
    return {k: getattr(r, k) for k in ROW_COLUMNS}


def _z(value: float | None) -> str:
    return "" if value is None else f"{value:+.2f}"


def improvement(
    ctx: typer.Context,
    trust_type: Annotated[
        str, typer.Option("--trust-type", "-t", help='e.g. "Mental health and community trust".')
    ],
    quarter: QuarterOpt = None,
    fmt: FormatOpt = Format.table,
    monthly: Annotated[
        bool,
        typer.Option(
            "--monthly",
            help="From the monthly source series instead: each provider's latest months "
            "against its own SPC (A&E, cancer, diagnostics, ambulance metrics).",
        ),
    ] = False,
    metric: Annotated[
        str | None,
        typer.Option(
            "--metric", "-m", help="With --monthly: one metric, e.g. OF0013 (default: every one)."
        ),
    ] = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month", help="With --monthly: the window's last month, YYYY-MM (default: latest)."
        ),
    ] = None,
    months: Annotated[
        int, typer.Option("--months", min=1, max=12, help="With --monthly: months in the window.")
    ] = MONTHS,
) -> None:
    """Each organisation's improvement score (1 = most improved .. 4, the mean over its metrics
    of its change against its own earlier quarters, standardised by its peers' changes), its
    improvement rank beside its official rank, and whether its change in average score is
    beyond common-cause variation. With --monthly, computed from the monthly series: each
    provider's latest months against the SPC limits of its own earlier months, in sigma units,
    scored 1-4 among its peers, with Making Data Count's rules saying whether the change is
    beyond common-cause variation."""
    if monthly:
        show(context_of(ctx).site(), trust_type, metric, month, months, fmt)
        return
    table = improvement_table(context_of(ctx).site(), quarter, trust_type)
    rows = [improvement_row(r) for r in table.rows]
    if fmt is Format.json:
        payload = {
            "quarter": table.quarter,
            "earlier": table.earlier,
            "trust_type": table.trust_type,
            "beyond_noise_at": table.beyond_noise_at,
            "organisations": [asdict(r) for r in table.rows],
        }
        json.dump(payload, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    if fmt is Format.csv:
        writer = csv_out.DictWriter(sys.stdout, ROW_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    console = wide_console()
    against = ", ".join(table.earlier) or "no earlier quarter"
    t = Table(
        "improvement rank",
        "code",
        "organisation",
        "improvement score",
        "official rank",
        "average change",
        "z",
        "beyond noise",
        title=f"Improvement in {table.quarter} against {against} ({table.trust_type})",
    )
    for r in table.rows:
        t.add_row(
            str(r.improvement_rank or ""),
            r.trust_code,
            r.trust_name,
            "" if r.improvement_score is None else f"{r.improvement_score:.2f}",
            str(r.position_rank or ""),
            _z(r.average_change),
            _z(r.average_z),
            "yes" if r.beyond_noise else "",
        )
    console.print(t)
    for label, chosen in (
        ("most improved", table.most_improved()),
        ("most deteriorated", table.most_deteriorated()),
    ):
        names = "; ".join(
            f"{r.trust_name} ({r.trust_code}) z {_z(r.average_z)}"
            + (" beyond common-cause variation" if r.beyond_noise else "")
            for r in chosen
        )
        console.print(f"{label}: {names}", highlight=False)
