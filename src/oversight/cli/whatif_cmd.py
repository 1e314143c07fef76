"""`oversight whatif`, `gap` and `history`: change inputs, find what lifts, follow the path."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from oversight import csv_out
from oversight.cli.context import context_of
from oversight.cli.league_cmd import wide_console
from oversight.cli.moves_cmd import describe, move_row
from oversight.cli.options import (
    Format,
    FormatOpt,
    MethodOpt,
    PolicyOpt,
    QuarterOpt,
    ReplicatesOpt,
    SeedOpt,
    range_options,
)
from oversight.engine.nof.results import OrgResult
from oversight.service import nof as service
from oversight.service.moves import organisation_moves

FIELDS = [
    "average_score",
    "average_score_low",
    "average_score_high",
    "segment_unadjusted",
    "in_financial_deficit",
    "segment",
    "segment_final",
    "rank",
    "rank_low",
    "rank_high",
]


def whatif(
    ctx: typer.Context,
    ods_code: Annotated[str, typer.Argument(help="The organisation's ODS code.")],
    settings: Annotated[
        list[str],
        typer.Option(
            "--set", help="A change: OF0061=7.1 (raw value), OF1082=1.5 (score) or deficit=0."
        ),
    ],
    quarter: QuarterOpt = None,
    fmt: FormatOpt = Format.table,
    method: MethodOpt = None,
    replicates: ReplicatesOpt = None,
    seed: SeedOpt = None,
    policy: PolicyOpt = None,
) -> None:
    """Recompute an organisation's scores, segment, rank and likely ranges with changed inputs,
    every other organisation's data as published."""
    site = context_of(ctx).site()
    outcome = service.whatif(
        site, quarter, ods_code, settings, range_options(method, replicates, seed), policy
    )
    q, result, pol = outcome.quarter, outcome.change, outcome.policy
    before_c, after_c = outcome.consequences_before, outcome.consequences_after
    rows = [
        {"field": f, "before": _get(result.before, f), "after": _get(result.after, f)}
        for f in FIELDS
    ]
    if fmt is not Format.table:
        payload: dict[str, Any] = {
            "quarter": q,
            "trust_code": result.code,
            "changes": [asdict(c) for c in result.changes],
            "notes": result.notes,
            "comparison": rows,
            "consequences": {
                "policy": pol.id,
                "before": [a.rule for a in before_c],
                "after": [a.rule for a in after_c],
            },
        }
        _emit(payload, rows, fmt)
        return
    console = wide_console()
    t = Table(
        "", "before", "after", title=f"What if: {result.before.trust_name} ({result.code}), {q}"
    )
    for r in rows:
        style = "" if r["before"] == r["after"] else "bold"
        t.add_row(r["field"].replace("_", " "), str(r["before"]), Text(str(r["after"]), style))
    console.print(t)
    for note in result.notes:
        console.print(f"- {note}", highlight=False)
    gone = [a.title for a in before_c if a.rule not in {b.rule for b in after_c}]
    new = [a.title for a in after_c if a.rule not in {b.rule for b in before_c}]
    kept = [a.title for a in after_c if a.rule in {b.rule for b in before_c}]
    console.print(f"\n[bold]Consequences under {pol.id}[/]")
    for label, titles in (("would start", new), ("would end", gone), ("unchanged", kept)):
        console.print(f"{label}: {'; '.join(titles) or 'none'}", highlight=False)


def gap(
    ctx: typer.Context,
    ods_code: Annotated[str, typer.Argument(help="The organisation's ODS code.")],
    quarter: QuarterOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The smallest improvement in each metric, on its own, that would move the organisation
    up one segment."""
    report = service.gap(context_of(ctx).site(), quarter, ods_code)
    q = report.quarter
    rows = [asdict(g) for g in report.gaps]
    if fmt is not Format.table:
        payload = {
            "quarter": q,
            "trust_code": report.code,
            "segment": report.segment,
            "target_segment": report.target,
            "average_score": report.average_score,
            "note": report.note,
            "gaps": rows,
        }
        _emit(payload, rows, fmt)
        return
    console = wide_console()
    console.print(
        f"{report.code}, {q}: segment {report.segment}, average "
        f"{report.average_score}; {report.note}",
        highlight=False,
    )
    if not rows:
        return
    t = Table("metric", "name", "now", "needed", "score now", "score then")
    for g in report.gaps:
        t.add_row(
            g.metric_id,  # the identifier `explain` shows
            g.name,
            f"{g.value:g}",
            "not on its own" if g.needed is None else f"{g.needed:g}",
            f"{g.score:.2f}",
            "" if g.new_score is None else f"{g.new_score:.2f}",
        )
    console.print(t)


def _get(org: OrgResult, name: str) -> Any:
    return getattr(org, name)


def _emit(payload: dict[str, Any], rows: list[dict[str, Any]], fmt: Format) -> None:
    if fmt is Format.json:
        json.dump(payload, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return

    if rows:
        writer = csv_out.DictWriter(sys.stdout, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def history(
    ctx: typer.Context,
    ods_code: Annotated[str, typer.Argument(help="The organisation's ODS code.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """An organisation's segment, rank and likely rank in every stored quarter, and its runs
    in a segment (a segment is 'sure' when the likely rank range lies within its rank block)."""
    site = context_of(ctx).site()
    h = service.history(site, ods_code)
    into = organisation_moves(site, h.code)
    rows = [asdict(s) for s in h.standings]
    if fmt is not Format.table:
        payload = {
            "trust_code": h.code,
            "trust_name": h.name,
            "quarters": rows,
            "runs": [asdict(r) for r in h.runs],
            "moves": [move_row(m) for m in into.values()],
        }
        _emit(payload, rows, fmt)
        return
    console = wide_console()
    t = Table(
        "quarter",
        "average",
        "segment",
        "rank",
        "likely rank",
        "segment sure",
        "deficit",
        "rank move (P, real?)",
        title=f"{h.name} ({h.code})",
    )
    for s in h.standings:
        move = into.get(s.quarter)
        t.add_row(
            s.quarter,
            f"{s.average_score:.2f}" if s.average_score is not None else "",
            str(s.segment_final),
            f"{s.rank} of {s.of}",
            f"{s.rank_low}-{s.rank_high}",
            "yes" if s.segment_sure else "no",
            "Yes" if s.in_financial_deficit else "",
            describe(move.rank_change, move.rank_probability, move.rank_real) if move else "",
        )
    console.print(t)
    for r in h.runs:
        console.print(
            f"segment {r.segment}: {r.first} to {r.last} ({r.quarters} quarters, "
            f"{r.sure_quarters} sure)",
            highlight=False,
        )
