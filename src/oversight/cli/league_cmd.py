"""`oversight league-table`: the ranked table for one quarter and trust type."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from oversight import csv_out
from oversight.cli.context import context_of
from oversight.cli.options import (
    Format,
    FormatOpt,
    MethodOpt,
    QuarterOpt,
    ReplicatesOpt,
    ScoresFrom,
    SeedOpt,
    range_options,
)
from oversight.cli.tables import longest_word
from oversight.engine.nof.results import LEAGUE_COLUMNS, QuarterResult
from oversight.service import nof as service


def wide_console() -> Console:
    """A console at least 110 columns wide, so piped tables are not squeezed to 80."""
    console = Console()
    return console if console.width >= 110 else Console(width=110)


SEGMENT_STYLE = {1: "bold green", 2: "green", 3: "yellow", 4: "bold red", 5: "bold magenta"}


def league_table(
    ctx: typer.Context,
    trust_type: Annotated[
        str, typer.Option("--trust-type", "-t", help='e.g. "Mental health and community trust".')
    ],
    quarter: QuarterOpt = None,
    fmt: FormatOpt = Format.table,
    method: MethodOpt = None,
    replicates: ReplicatesOpt = None,
    seed: SeedOpt = None,
    calibrated: Annotated[
        bool,
        typer.Option(
            "--calibrated",
            help="Empirical-Bayes calibrated likely ranges (docs/statistics.md): they cover the "
            "true rank about 95% of the time where the publisher's method covers 86-88%.",
        ),
    ] = False,
    scores: Annotated[
        ScoresFrom,
        typer.Option(
            "--scores",
            help="published (default): where a file's raw values and its published scores "
            "disagree, keep the publication's scores and say so; computed: score from the raw "
            "values.",
        ),
    ] = ScoresFrom.published,
) -> None:
    """Rank one trust type in a quarter: segment first, then average score; ties share a rank."""
    site = context_of(ctx).site()
    options = replace(
        range_options(method, replicates, seed), calibrate=calibrated, scores=scores.value
    )
    table = service.league(site, quarter, trust_type, options)
    emit(table.result, table.trust_type.id, fmt, calibrated)
    warn_disagreements(table.result, table.trust_type.id)


def warn_disagreements(result: QuarterResult, type_id: str | None) -> None:
    """Every face says when a file's raw values and its published scores disagree."""
    err = Console(stderr=True, soft_wrap=True)
    for line in result.disagreement_lines(type_id):
        err.print(f"warning: {line}", highlight=False)


def rows(result: QuarterResult, type_id: str) -> list[dict[str, Any]]:
    return [o.league_row() for o in result.league_table(type_id)]


def emit(result: QuarterResult, type_id: str, fmt: Format, calibrated: bool = False) -> None:
    table_rows = rows(result, type_id)
    if fmt is Format.csv:
        writer = csv_out.DictWriter(sys.stdout, LEAGUE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in table_rows:
            writer.writerow(
                {**r, "in_financial_deficit": "Yes" if r["in_financial_deficit"] else "No"}
            )
        return
    if fmt is Format.json:
        meta = {
            "framework": f"{result.framework_id} {result.framework_version}",
            "framework_digest": result.framework_digest,
            "quarter": result.quarter,
            "revisions": result.revisions,
            "cut_points": list(result.cut_points.values),
            "cut_points_source": result.cut_points.source,
            "score_disagreements": result.disagreement_lines(type_id),
            "likely_ranges": {
                "method": result.range_method,
                "replicates": result.replicates,
                "seed": result.seed,
                "calibrated": calibrated,
            },
        }
        json.dump({"meta": meta, "rows": table_rows}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    console = wide_console()
    t = Table(
        title=f"{result.quarter}: {table_rows[0]['trust_type'] if table_rows else type_id}",
        caption=f"cut-points {', '.join(f'{c:g}' for c in result.cut_points.values)} "
        f"({result.cut_points.source}); likely ranges: {result.range_method}"
        + (" (calibrated)" if calibrated else ""),
    )
    t.add_column("rank", justify="right", no_wrap=True)
    t.add_column("likely", no_wrap=True, min_width=7)
    t.add_column("code", no_wrap=True)
    # names wrap between words, never cut (longest_word keeps a column wider than any word)
    longest = longest_word(r["trust_name"] for r in table_rows)
    t.add_column("trust", overflow="fold", min_width=longest)
    t.add_column("average", justify="right", no_wrap=True)
    t.add_column("likely", no_wrap=True, min_width=9)
    t.add_column("seg", justify="right", no_wrap=True)
    t.add_column("deficit", no_wrap=True, min_width=7)
    for r in table_rows:
        seg = r["segment"]
        t.add_row(
            str(r["rank"]),
            f"{r['rank_low']}-{r['rank_high']}" if r["rank_low"] is not None else "",
            r["trust_code"],
            r["trust_name"],
            f"{r['average_score']:.2f}",
            f"{r['average_score_low']:.2f}-{r['average_score_high']:.2f}"
            if r["average_score_low"] is not None
            else "",
            f"[{SEGMENT_STYLE.get(seg, '')}]{seg}[/]",
            "Yes" if r["in_financial_deficit"] else "",
        )
    console.print(t)
