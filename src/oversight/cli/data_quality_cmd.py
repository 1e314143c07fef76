"""`oversight data-quality`: the values the framework's data-quality rules flag, and (with
--recompute) the organisations whose segment changes when the table is recomputed without them."""

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
from oversight.cli.options import Format, FormatOpt, QuarterOpt
from oversight.engine.nof.data_quality import QualityReport
from oversight.service.data_quality import data_quality as quality_report

FLAG_COLUMNS = ["trust_code", "metric_id", "score_id", "value", "check", "reason"]
CHANGE_COLUMNS = [
    "trust_code",
    "trust_name",
    "segment_before",
    "segment_after",
    "rank_before",
    "rank_after",
]


def report_payload(report: QualityReport) -> dict[str, Any]:
    return {
        "quarter": report.quarter,
        "trust_type": report.trust_type,
        "flagged": len(report.flags),
        "flags": [asdict(f) for f in report.flags],
        "not_applied": report.not_applied,
        "segment_changes": (
            None if report.changes is None else [asdict(c) for c in report.changes]
        ),
    }


def data_quality(
    ctx: typer.Context,
    trust_type: Annotated[
        str, typer.Option("--trust-type", "-t", help='e.g. "Mental health and community trust".')
    ],
    quarter: QuarterOpt = None,
    recompute: Annotated[
        bool,
        typer.Option("--recompute", help="Recompute the table treating flagged values as missing."),
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Each published value flagged by the framework's data_quality rules (missing or
    suppressed, outside its valid range, below its minimum denominator, a total disagreeing
    with its parts); with --recompute, the organisations whose segment changes without them.
    The official table is unchanged."""
    report = quality_report(context_of(ctx).site(), quarter, trust_type, recompute)
    if fmt is Format.json:
        json.dump(report_payload(report), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    if fmt is Format.csv:
        # one row per flagged value; the segment change (if recomputed) rides along
        moved = {c.trust_code: c for c in report.changes or []}
        columns = [*FLAG_COLUMNS, "segment_before", "segment_after"]
        writer = csv_out.DictWriter(sys.stdout, columns, lineterminator="\n")
        writer.writeheader()
        for f in report.flags:
            row = {k: getattr(f, k) for k in FLAG_COLUMNS}
            ch = moved.get(f.trust_code)
            row["segment_before"] = None if ch is None else ch.segment_before
            row["segment_after"] = None if ch is None else ch.segment_after
            writer.writerow(row)
        return
    console = wide_console()
    t = Table(
        "code",
        "metric",
        "value",
        "flag",
        "reason",
        title=f"Flagged values in {report.quarter} ({report.trust_type}): {len(report.flags)}",
    )
    for f in report.flags:
        value = "" if f.value is None else f"{f.value:g}"
        t.add_row(f.trust_code, f.metric_id, value, f.check, f.reason)
    console.print(t)
    for note in report.not_applied:
        console.print(f"not applied: {note}", highlight=False)
    if report.changes is None:
        return
    c = Table(
        "code",
        "organisation",
        "segment",
        "without flagged",
        "rank",
        "without flagged",
        title=f"Organisations whose segment changes without flagged values: {len(report.changes)}",
    )
    for ch in report.changes:
        c.add_row(
            ch.trust_code,
            ch.trust_name,
            str(ch.segment_before or ""),
            str(ch.segment_after or ""),
            str(ch.rank_before or ""),
            str(ch.rank_after or ""),
        )
    console.print(c)
