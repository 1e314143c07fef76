"""`oversight peer-league`: a trust type's league table re-ranked within a declared peer group
(subtype, region), beside the official segment and rank."""

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
from oversight.engine.nof.peer_groups import PeerRow, PeerTable
from oversight.service.peer_league import peer_league

ROW_COLUMNS = [
    "peer_group",
    "group_size",
    "trust_code",
    "trust_name",
    "official_average",
    "official_segment",
    "official_rank",
    "average_score",
    "segment",
    "rank",
    "rescored_metrics",
    "segment_changed",
]


def peer_row(r: PeerRow) -> dict[str, Any]:
    return {k: getattr(r, k) for k in ROW_COLUMNS}


def changed_line(table: PeerTable) -> str:
    """How many organisations change segment under the peer grouping, and which."""
    moved = table.changed
    names = "; ".join(f"{r.trust_code} {r.official_segment} -> {r.segment}" for r in moved)
    return (
        f"{len(moved)} of {len(table.rows)} organisations change segment against "
        f"peers by {table.grouping_name}" + (f": {names}" if names else "")
    )


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def peer_league_cmd(
    ctx: typer.Context,
    trust_type: Annotated[
        str, typer.Option("--trust-type", "-t", help='e.g. "Mental health and community trust".')
    ],
    peers: Annotated[
        str,
        typer.Option("--peers", help="A peer grouping the framework declares: subtype, region."),
    ],
    wider_pools: Annotated[
        bool,
        typer.Option(
            "--wider-pools",
            help="Also narrow to the peers the metrics ranked beyond the trust type "
            "(across trust types, or among providers outside the store).",
        ),
    ] = False,
    quarter: QuarterOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Re-rank a trust type's league table within peer groups: metrics ranked within the trust
    type are ranked within the peer group, the average segmented by the national cut-points and
    ranked within the group, beside the official segment and rank."""
    table = peer_league(context_of(ctx).site(), quarter, trust_type, peers, wider_pools)
    rows = [{**peer_row(r)} for r in table.rows]
    if fmt is Format.json:
        payload = {
            "quarter": table.quarter,
            "trust_type": table.trust_type,
            "peers": table.grouping,
            "wider_pools": table.wider_pools,
            "cut_points": list(table.cut_points),
            "changed": [r.trust_code for r in table.changed],
            "organisations": [
                {**asdict(r), "segment_changed": r.segment_changed} for r in table.rows
            ],
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
    t = Table(
        "peer group",
        "peer rank",
        "code",
        "organisation",
        "peer average",
        "peer segment",
        "official average",
        "official segment",
        "official rank",
        title=f"{table.quarter}: {table.trust_type} re-ranked within peers by {table.grouping_name}"
        + (" (wider pools narrowed too)" if table.wider_pools else ""),
    )
    for r in table.rows:
        t.add_row(
            f"{r.peer_group} ({r.group_size})",
            str(r.rank or ""),
            r.trust_code,
            r.trust_name,
            _num(r.average_score),
            str(r.segment or "") + (" *" if r.segment_changed else ""),
            _num(r.official_average),
            str(r.official_segment or ""),
            str(r.official_rank or ""),
        )
    console.print(t)
    console.print(changed_line(table), highlight=False)
