"""`oversight icbs` (the ICB league table) and `oversight icb CODE` (one ICB: its trusts and the
values they add). Modelled, providers-in-the-ICB; thresholds are Oversight's placeholders."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer

from oversight.cli.context import context_of
from oversight.cli.options import Format, FormatOpt

QuarterOpt = Annotated[str, typer.Option("--quarter", "-q", help='e.g. "Q1 2025/26".')]


def _caveats() -> str:
    from oversight.service.icbs import PROVIDERS_VIEW, THRESHOLDS
    from oversight.service.public_scoring import MODELLED

    return f"{MODELLED} {PROVIDERS_VIEW} {THRESHOLDS}"


def icbs(ctx: typer.Context, quarter: QuarterOpt, fmt: FormatOpt = Format.table) -> None:
    """The 42 ICBs ranked: segment, then average score (modelled, providers-in-the-ICB view)."""
    from oversight.service.icb_pages import league_records

    con = context_of(ctx).connect(must_exist=True)
    records = league_records(con, quarter)
    if fmt is Format.csv:
        out = csv.DictWriter(sys.stdout, fieldnames=list(records[0]), lineterminator="\n")
        out.writeheader()
        out.writerows(records)
        return
    if fmt is Format.json:
        sys.stdout.write(json.dumps({"caveats": _caveats(), "icbs": records}, indent=1) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("Rank", "ICB", "Region", "Trusts", "Average", "Segment", "Metrics")
    for r in records:
        table.add_row(
            str(r["rank"] or ""),
            f"{r['icb_code']} {r['icb_name']}",
            str(r["region"]),
            str(r["trusts"]),
            "" if r["average_score"] is None else f"{r['average_score']:.2f}",
            str(r["segment"] or ""),
            str(r["metrics_scored"]),
        )
    Console().print(table)
    Console(stderr=True).print(_caveats())


def icb(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The ICB's ODS code, e.g. QYG.")],
    quarter: QuarterOpt,
    fmt: FormatOpt = Format.table,
) -> None:
    """One ICB: its result, its metric values, and its trusts with the values they add."""
    from oversight.service.icb_pages import icb_record

    con = context_of(ctx).connect(must_exist=True)
    record = icb_record(con, quarter, code)
    if fmt is Format.json:
        sys.stdout.write(json.dumps(record | {"caveats": _caveats()}, indent=1) + "\n")
        return
    if fmt is Format.csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(
            [
                "icb_code",
                "trust_code",
                "trust_name",
                "metric_id",
                "value",
                "numerator",
                "denominator",
            ]
        )
        for t in record["contributions"]:
            out.writerow(
                [
                    code.upper(),
                    t["trust_code"],
                    t["trust_name"],
                    t["metric_id"],
                    t["value"],
                    t["numerator"],
                    t["denominator"],
                ]
            )
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"{record['icb_code']} {record['icb_name']} ({record['region']}): segment "
        f"{record['segment']}, average {record['average_score']}, rank {record['rank']} of 42"
    )
    metrics = Table("Metric", "Value", "Numerator", "Denominator", "Score")
    for m in record["metrics"]:
        metrics.add_row(
            m["metric_id"],
            _num(m["value"]),
            _num(m["numerator"]),
            _num(m["denominator"]),
            _num(m["score"]),
        )
    console.print(metrics)
    trusts = Table("Trust", "Open", "How mapped", "NOF segment (published)", "Values")
    for t in record["trusts"]:
        values = ", ".join(f"{k} {_num(v)}" for k, v in t["values"].items())
        trusts.add_row(
            f"{t['trust_code']} {t['trust_name']}",
            "yes" if t["open"] else "no",
            t["via"],
            _num(t["nof_segment"]),
            values,
        )
    console.print(trusts)
    Console(stderr=True).print(_caveats())


def _num(v: object) -> str:
    return "" if v is None else f"{v:,.2f}" if isinstance(v, float) else str(v)
