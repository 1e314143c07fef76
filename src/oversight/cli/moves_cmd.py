"""`oversight moves`: which moves of segment and rank into a quarter are real, which are noise."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from oversight import csv_out
from oversight.cli.context import context_of
from oversight.cli.league_cmd import wide_console
from oversight.cli.options import Format, FormatOpt, QuarterOpt
from oversight.engine.nof.moves import Move
from oversight.service import moves as service

MOVE_COLUMNS = [
    "trust_code",
    "trust_name",
    "trust_type",
    "before",
    "after",
    "segment_before",
    "segment_after",
    "segment_probability",
    "segment_real",
    "rank_before",
    "rank_after",
    "rank_probability",
    "rank_real",
    "rank_low_before",
    "rank_high_before",
    "rank_low_after",
    "rank_high_after",
]


def move_row(m: Move) -> dict[str, Any]:
    return {
        "trust_code": m.trust_code,
        "trust_name": m.trust_name,
        "trust_type": m.trust_type,
        "before": m.before,
        "after": m.after,
        "segment_before": m.segment_before,
        "segment_after": m.segment_after,
        "segment_probability": m.segment_probability,
        "segment_real": m.segment_real,
        "rank_before": m.rank_before,
        "rank_after": m.rank_after,
        "rank_probability": m.rank_probability,
        "rank_real": m.rank_real,
        "rank_low_before": m.rank_range_before[0] if m.rank_range_before else None,
        "rank_high_before": m.rank_range_before[1] if m.rank_range_before else None,
        "rank_low_after": m.rank_range_after[0] if m.rank_range_after else None,
        "rank_high_after": m.rank_range_after[1] if m.rank_range_after else None,
    }


def describe(change: int, probability: float | None, real: bool | None) -> str:
    """'up 3 (0.99, real)' / 'down 1 (0.62, noise)' / '' (no move): smaller is better."""
    if change == 0 or probability is None:
        return ""
    way = "up" if change < 0 else "down"
    return f"{way} {abs(change)} ({probability:.2f}, {'real' if real else 'noise'})"


def moves(
    ctx: typer.Context,
    quarter: QuarterOpt = None,
    trust_type: Annotated[
        str | None,
        typer.Option("--trust-type", "-t", help="Only this trust type (id or name)."),
    ] = None,
    fmt: FormatOpt = Format.table,
    calibrated: Annotated[
        bool, typer.Option("--calibrated", help="Empirical-Bayes calibrated bootstrap.")
    ] = False,
    all_moves: Annotated[
        bool, typer.Option("--all", help="List every organisation's move, not only the counts.")
    ] = False,
) -> None:
    """Moves of segment and rank into a quarter from the stored quarter before: how many are
    real (the two quarters' bootstraps put at least the framework's ``moves.real_at`` on a
    move in the observed direction) and how many are not distinguishable from noise."""
    found = service.quarter_moves(context_of(ctx).site(), quarter, calibrated, trust_type)
    rows = [move_row(m) for m in found.moves]
    if fmt is Format.json:
        payload = {
            "before": found.before,
            "after": found.after,
            "real_at": found.real_at,
            "calibrated": found.calibrated,
            "summary": [vars(s) for s in found.summary],
            "moves": rows,
        }
        json.dump(payload, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    if fmt is Format.csv:
        writer = csv_out.DictWriter(sys.stdout, MOVE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    console = wide_console()
    title = f"Moves {found.before} to {found.after}: real at P >= {found.real_at}" + (
        " (calibrated)" if calibrated else ""
    )
    t = Table(
        "trust type",
        "organisations",
        "segment: real / noise / same",
        "rank: real / noise / same",
        title=title,
    )
    for s in found.summary:
        t.add_row(
            s.trust_type,
            str(s.organisations),
            " / ".join(str(s.segment[k]) for k in ("real", "noise", "unchanged")),
            " / ".join(str(s.rank[k]) for k in ("real", "noise", "unchanged")),
        )
    console.print(t)
    if not all_moves:
        return
    listed = Table("code", "organisation", "segment", "segment move", "rank", "rank move")
    for m in found.moves:
        listed.add_row(
            m.trust_code,
            m.trust_name,
            f"{m.segment_before} -> {m.segment_after}",
            describe(m.segment_change, m.segment_probability, m.segment_real),
            f"{m.rank_before} -> {m.rank_after}",
            describe(m.rank_change, m.rank_probability, m.rank_real),
        )
    console.print(listed)
