"""`oversight metric-values`: every metric value the store can give for a trust type and
quarter, computed from source statistics or taken from a NOF file, with where it came from."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from oversight import csv_out
from oversight.cli.context import context_of
from oversight.cli.options import Format, FormatOpt


def metric_values(
    ctx: typer.Context,
    trust_type: Annotated[
        str, typer.Option("--trust-type", "-t", help="acute, ambulance, or a type's name.")
    ],
    quarter: Annotated[str, typer.Option("--quarter", "-q", help='e.g. "Q1 2025/26".')],
    fmt: FormatOpt = Format.table,
) -> None:
    """Every value for a trust type and quarter, with its numerator and denominator, the period
    it covers and its source (the collection and files, or the NOF file it was published in)."""
    from oversight.periods import Quarter
    from oversight.service.metric_values import COLUMNS, metric_values

    state = context_of(ctx)
    con = state.connect(must_exist=True)
    rows = metric_values(con, state.framework, trust_type, Quarter.parse(quarter))
    if fmt is Format.csv:
        out = csv_out.Writer(sys.stdout, lineterminator="\n")
        out.writerow(COLUMNS)
        for r in rows:
            out.writerow(["" if v is None else v for v in r.as_record().values()])
        return
    if fmt is Format.json:
        sys.stdout.write(json.dumps([r.as_record() for r in rows], indent=1) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("Trust", "Metric", "Value", "Numerator", "Denominator", "Period", "Source")
    for r in rows:
        table.add_row(
            f"{r.trust_code} {r.trust_name}",
            r.metric_id,
            "" if r.value is None else f"{r.value:,.2f}",
            "" if r.numerator is None else f"{r.numerator:,.1f}",
            "" if r.denominator is None else f"{r.denominator:,.1f}",
            r.period,
            ("computed: " if r.computed else "published: ") + r.source,
        )
    Console().print(table)
    Console(stderr=True).print(f"{len(rows)} values; computed ones are modelled from public data")
