"""`oversight explain`: each metric's value, peer rank and score, and how the segment came about."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from typing import Annotated

import typer
from rich.table import Table

from oversight import csv_out
from oversight.cli.context import context_of
from oversight.cli.league_cmd import warn_disagreements, wide_console
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
from oversight.service import nof as service


def explain(
    ctx: typer.Context,
    ods_code: Annotated[str, typer.Argument(help="The organisation's ODS code, e.g. RYY.")],
    quarter: QuarterOpt = None,
    fmt: FormatOpt = Format.table,
    method: MethodOpt = None,
    replicates: ReplicatesOpt = None,
    seed: SeedOpt = None,
    scores: Annotated[
        ScoresFrom,
        typer.Option(
            "--scores", help="published (default) or computed from the file's raw values."
        ),
    ] = ScoresFrom.published,
) -> None:
    """Show why an organisation has its segment and rank."""
    site = context_of(ctx).site()
    options = replace(range_options(method, replicates, seed), scores=scores.value)
    data = service.explanation(site, quarter, ods_code, options).detail
    result = site.result(quarter, options)
    org = result.org(ods_code.strip().upper())
    warn_disagreements(result, None if org is None else org.trust_type)
    if fmt is Format.json:
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    if fmt is Format.csv:
        writer = csv_out.DictWriter(sys.stdout, list(data["metrics"][0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(data["metrics"])
        return
    console = wide_console()
    console.print(
        f"[bold]{data['trust_name']}[/] ({data['trust_code']}), {data['trust_type']}, "
        f"{data['region']}: {data['quarter']}",
        highlight=False,
    )
    t = Table("metric", "name", "value", "peer rank", "score", "source")
    for m in data["metrics"]:
        rank = f"{m['pool_rank']} of {m['pool_size']}" if m["pool_rank"] else ""
        value = "" if m["value"] is None else f"{m['value']:g}"
        name = m["name"] if m["used_in_average"] else m["name"] + " (via OF1080)"
        t.add_row(m["metric_id"], name, value, rank, f"{m['score_2dp']:.2f}", m["source_text"])
    console.print(t)
    d = Table("domain", "score", "segment")
    for dom in data["domains"]:
        d.add_row(
            dom["name"],
            "" if dom["score"] is None else f"{dom['score']:.2f}",
            "" if dom["segment"] is None else str(dom["segment"]),
        )
    console.print(d)
    for i, step in enumerate(data["steps"], 1):
        console.print(f"{i}. {step}", highlight=False)
