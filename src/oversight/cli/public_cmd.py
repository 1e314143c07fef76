"""`oversight public-table`: MODELLED acute and ambulance tables from public statistics (the
composite league, one metric, or the comparison with NHS England's published Q3 2025/26)."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from oversight.cli.context import context_of
from oversight.cli.options import Format, FormatOpt

HEADING = "Modelled from public data — not NHS England's result"


def _number(v: float | None, dp: int = 2) -> str:
    return "" if v is None else f"{v:,.{dp}f}"


def _text(v: object) -> str:
    return "" if v is None else str(v)


def _emit(fmt: Format, whole: Any, rows: list[Any]) -> bool:
    """CSV (the rows; each carries its ``basis``) or JSON (everything); False for a table."""
    if fmt is Format.csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        fields = [f.name for f in dataclasses.fields(rows[0])] if rows else ["basis"]
        out.writerow(fields)
        for r in rows:
            out.writerow([_text(getattr(r, f)) for f in fields])
        return True
    if fmt is Format.json:
        sys.stdout.write(json.dumps(dataclasses.asdict(whole), indent=1) + "\n")
        return True
    return False


def public_table(
    ctx: typer.Context,
    trust_type: Annotated[
        str, typer.Option("--trust-type", "-t", help="acute or ambulance.")
    ] = "acute",
    quarter: Annotated[
        str | None,
        typer.Option("--quarter", "-q", help='e.g. "Q1 2025/26" (default: the latest covered).'),
    ] = None,
    metric: Annotated[
        str | None, typer.Option("--metric", help="One metric's table, e.g. OF0010 or OV0001.")
    ] = None,
    compare: Annotated[
        bool,
        typer.Option("--compare", help="Beside NHS England's published result (Q3 2025/26)."),
    ] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """MODELLED tables from public statistics, scored by the NOF rules: not NHS England's
    result. Every composite says how many of the framework's metrics it uses."""
    from oversight.service import public_compare, public_tables

    con = context_of(ctx).connect(must_exist=True)
    console = Console()
    if compare:
        c = public_compare.published_comparison(con, quarter or "Q3 2025/26")
        if _emit(fmt, c, c.rows):
            return
        table = Table(
            "Trust", "Type", "Published avg", "seg", "rank", "Modelled avg", "seg", "rank",
            title=f"{HEADING}: beside NHS England's {c.quarter}",
        )  # fmt: skip
        for r in c.rows:
            table.add_row(
                f"{r.trust_code} {r.trust_name}", r.trust_type,
                _number(r.published_average), _text(r.published_segment),
                _text(r.published_rank), _number(r.modelled_average),
                _text(r.modelled_segment), _text(r.modelled_rank),
            )  # fmt: skip
        console.print(table)
        for a in c.agreement:
            same = None if a.same_segment_share is None else 100 * a.same_segment_share
            console.print(
                f"{a.trust_type}: {a.common} trusts in both; Spearman rank correlation "
                f"{_number(a.spearman, 3) or 'n/a'}; same segment {_number(same, 0)}%; "
                f"mean absolute rank difference {_number(a.mean_abs_rank_difference, 1)}",
                highlight=False,
            )
        return
    if metric is not None:
        m = public_tables.metric_table(con, quarter, trust_type, metric)
        if _emit(fmt, m, m.rows):
            return
        table = Table(
            "Trust", "Value", "Numerator", "Denominator", "95% low", "95% high", "Peer rank",
            "Score", title=f"{HEADING}: {m.title} ({m.metric_id}), {m.quarter}, {m.period}",
        )  # fmt: skip
        for mr in m.rows:
            table.add_row(
                f"{mr.trust_code} {mr.trust_name}", _number(mr.value), _number(mr.numerator, 0),
                _number(mr.denominator, 0), _number(mr.ci_low), _number(mr.ci_high),
                f"{mr.peer_rank} of {mr.peers}" if mr.peer_rank else "", _number(mr.score),
            )  # fmt: skip
        console.print(table)
        console.print(f"Unit: {m.unit}. Interval: {m.interval}.", highlight=False)
        return
    league = public_tables.public_league(con, quarter, trust_type)
    if _emit(fmt, league, league.rows):
        return
    table = Table(
        "Rank", "Likely range", "Trust", "Metrics", "Average", "Segment",
        title=f"{HEADING}: {league.trust_type_name}s, {league.quarter}",
    )  # fmt: skip
    for lr in league.rows:
        table.add_row(
            _text(lr.rank), f"{lr.rank_low}-{lr.rank_high}" if lr.rank_low else "",
            f"{lr.trust_code} {lr.trust_name}", str(lr.metrics_scored),
            _number(lr.average_score), _text(lr.segment),
        )  # fmt: skip
    console.print(table)
    console.print(f"Coverage: {league.coverage.label}.", highlight=False)
    console.print(f"Minimum {league.minimum_metrics} metrics: {league.minimum_reason}.")
    for o in league.left_out:
        console.print(f"Left out: {o.trust_code} {o.trust_name}: {o.reason}", highlight=False)
