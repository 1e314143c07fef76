"""`oversight series CODE --metric ID`: a monthly A&E series, as a table, CSV, JSON or plot."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from oversight import csv_out
from oversight.cli.context import context_of
from oversight.cli.feedback import wrote
from oversight.cli.options import Format, FormatOpt
from oversight.engine.sources.ae_series import ENGLAND, SeriesPoint, series
from oversight.frameworks.ae import AE_COLLECTION, AeMetric, ae_metrics, ae_successors
from oversight.store.collections_query import org_name

console = Console()
CSV_COLUMNS = ["month", "code", "metric", "value", "numerator", "denominator"]


def series_command(
    ctx: typer.Context,
    code: Annotated[
        str,
        typer.Argument(help="Organisation code (today's), region code (Y56 ...) or ENGLAND."),
    ],
    metric: Annotated[
        str, typer.Option("--metric", "-m", help="Metric ID, e.g. ae_4hr_all_types.")
    ],
    fmt: FormatOpt = Format.table,
    as_published: Annotated[
        bool,
        typer.Option(
            "--as-published", help="Only the code's own published rows (no predecessors)."
        ),
    ] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Also draw the series to FILE.png or FILE.svg.")
    ] = None,
) -> None:
    """The monthly series of one organisation as it is today (predecessors summed before
    each merger, shares for split trusts), a region or England."""
    metrics = ae_metrics()
    con = context_of(ctx).connect(must_exist=True)
    points = series(con, metrics, metric, code, ae_successors(), as_published)
    definition = metrics.metric(metric)
    assert definition is not None
    if plot is not None:
        from oversight.cli.series_plot import plot_series

        name = _name(con, points[-1].code)
        note = "Own published rows only." if as_published else _note(points[-1].code)
        plot_series(points, definition, f"{points[-1].code} {name}".strip(), plot, note)
        wrote(plot, f"chart of {points[-1].code} {metric}")
    if fmt is Format.csv:
        writer = csv_out.Writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_row(p, definition) for p in points)
    elif fmt is Format.json:
        print(json.dumps([_json_row(p, definition) for p in points]))
    else:
        table = Table(*CSV_COLUMNS, title=f"{points[-1].code} {metric}")
        for p in points:
            table.add_row(*(str(c) for c in _row(p, definition)))
        console.print(table)


def _json_row(p: SeriesPoint, metric: AeMetric) -> dict[str, object]:
    """The CSV's columns, then the value's 95% interval (Wilson for shares, exact Poisson or
    Byar for counts): the interval travels with the value."""
    row = dict(zip(CSV_COLUMNS, _row(p, metric), strict=True))
    digits = 6 if metric.kind == "share_within" else 1
    for key in ("ci_low", "ci_high"):
        x = getattr(p, key)
        row[key] = None if x is None else round(x, digits)
    return row


def _row(p: SeriesPoint, metric: AeMetric) -> list[object]:
    def num(x: float | None) -> object:
        if x is None:
            return ""
        return int(x) if float(x).is_integer() else round(float(x), 3)

    value: object = (
        ""
        if p.value is None
        else (round(p.value, 6) if metric.kind == "share_within" else num(p.value))
    )
    return [f"{p.month:%Y-%m}", p.code, p.metric, value, num(p.numerator), num(p.denominator)]


def _name(con: object, code: str) -> str:
    if code == ENGLAND:
        return "England"
    return org_name(con, AE_COLLECTION, code) or ""  # type: ignore[arg-type]


def _note(code: str) -> str | None:
    merged = [c for c in ae_successors().changes if any(s.code == code for s in c.successors)]
    if not merged:
        return None
    parts = []
    for c in merged:
        share = f", share {c.successors[0].share}" if c.kind == "partial_transfer" else ""
        parts.append(f"{c.predecessor} (to {c.effective}{share})")
    return "Includes predecessors before each change: " + ", ".join(parts) + "."
