"""`oversight metrics compute`: A&E metrics from attendance-level records on DuckDB or Spark."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from oversight import csv_out
from oversight.cli.feedback import progress_bar
from oversight.cli.options import Format, FormatOpt
from oversight.engine.patient_level import (
    METRIC_COLUMNS,
    EngineName,
    compute_counts,
    engine,
    metric_values,
)
from oversight.errors import Problem, UserError
from oversight.frameworks.patient_level import load_patient_level_definition
from oversight.synthetic.labels import synthetic_label

app = typer.Typer(help="Patient-level A&E metrics.", no_args_is_help=True)


@app.command("compute")
def compute(
    records: Annotated[
        str, typer.Option("--records", help="Parquet file of attendance records (ECDS shape).")
    ],
    engine_name: Annotated[
        EngineName, typer.Option("--engine", help="duckdb (embedded) or spark.")
    ] = EngineName.duckdb,
    spark_master: Annotated[
        str | None,
        typer.Option("--spark-master", help="Spark master URL (default local[*])."),
    ] = None,
    definition: Annotated[
        str | None,
        typer.Option("--definition", help="Definition YAML or bundled name (ae-patient-level-v1)."),
    ] = None,
    counts: Annotated[
        bool, typer.Option("--counts", help="Show the per-department-type counts instead.")
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Compute every metric of the definition per provider and month."""
    if spark_master and engine_name is not EngineName.spark:
        raise UserError(
            "--spark-master needs --engine spark", [Problem(f"got --engine {engine_name}")]
        )
    local = "://" not in records or records.startswith("file://")
    if local and not Path(records).exists():
        raise UserError(f"No records file at {records}", [Problem("give a Parquet file", records)])
    d = load_patient_level_definition(definition)
    with progress_bar() as bar:  # a spinner: a large file or a Spark cluster takes a while
        bar.add_task(f"counting attendances on {engine_name}", total=None)
        table = compute_counts(records, engine(engine_name, spark_master), d)
    label = synthetic_label(records) if local else None
    if counts:
        rows = [{**r, "month": f"{r['month']:%Y-%m}"} for r in table.to_pylist()]
    else:
        rows = [m.row() for m in metric_values(table, d)]
    meta: dict[str, object] = {
        "definition": f"{d.id} v{d.version}",
        "engine": str(engine_name),
        "records": records,
        "synthetic": label,
    }
    _emit(rows, meta, fmt, counts)


def _emit(
    rows: list[dict[str, object]], meta: dict[str, object], fmt: Format, counts: bool
) -> None:
    columns = list(rows[0]) if counts and rows else METRIC_COLUMNS
    if fmt is Format.csv:
        writer = csv_out.DictWriter(sys.stdout, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    if fmt is Format.json:
        json.dump({"meta": meta, "rows": rows}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    console = Console()
    if meta["synthetic"]:
        console.print(f"[bold magenta]SYNTHETIC records[/] — {meta['synthetic']}")
    t = Table(title=f"{meta['definition']} on {meta['engine']}: {meta['records']}")
    for c in columns:
        t.add_column(c, justify="left" if c in ("month", "code", "metric", "provider") else "right")
    for r in rows:
        share = r.get("denominator") is not None
        t.add_row(*(_cell(r[c], share and c == "value") for c in columns))
    console.print(t)


def _cell(value: object, share: bool) -> str:
    if value is None:
        return ""
    if share and isinstance(value, float):
        return f"{value:.2%}"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
