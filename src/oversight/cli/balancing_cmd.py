"""`oversight balancing`: organisations whose headline metric improved while a measure that
gaming it would worsen got worse, each beyond common-cause variation."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Table

from oversight import csv_out
from oversight.cli.context import context_of
from oversight.cli.league_cmd import wide_console
from oversight.cli.options import Format, FormatOpt
from oversight.service.balancing import BalancingAlert, balancing_alerts

ROW_COLUMNS = [
    "code",
    "name",
    "month",
    "headline",
    "headline_value",
    "headline_label",
    "balancing",
    "balancing_value",
    "balancing_label",
]


def alert_row(a: BalancingAlert) -> dict[str, Any]:
    return {k: getattr(a, k) for k in ROW_COLUMNS}


def balancing(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option("--month", "-m", help="Month, e.g. 2025-11 (default: each pair's latest)."),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Balancing-measure alerts: for each declared pair (balancing-measures.yaml), the
    organisations whose headline metric is special-cause improvement in the month while its
    balancing measure is special-cause concern."""
    report = balancing_alerts(context_of(ctx).site(), month)
    if fmt is Format.json:
        payload = {
            "rule": report.rule,
            "pairs": [
                {
                    "headline": p.pair.headline,
                    "balancing": p.pair.balancing,
                    "why": p.pair.why,
                    "month": p.month,
                    "judged": p.judged,
                    "alerts": [asdict(a) for a in p.alerts],
                }
                for p in report.pairs
            ],
        }
        json.dump(payload, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    if fmt is Format.csv:
        writer = csv_out.DictWriter(sys.stdout, ROW_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(alert_row(a) for a in report.alerts)
        return
    console = wide_console()
    console.print(f"Rule: {report.rule}")
    for p in report.pairs:
        console.print(
            f"\n[bold]{p.headline_title}[/bold] balanced by [bold]{p.balancing_title}[/bold] "
            f"({p.month or 'no month stored'}): {len(p.alerts)} alert(s) among "
            f"{p.judged} organisations judged"
        )
        if not p.alerts:
            continue
        t = Table("code", "organisation", "headline", "rule", "balancing", "rule")
        for a in p.alerts:
            t.add_row(
                a.code,
                a.name,
                f"{a.headline_value:.3g}",
                a.headline_label,
                f"{a.balancing_value:.3g}",
                a.balancing_label,
            )
        console.print(t)
