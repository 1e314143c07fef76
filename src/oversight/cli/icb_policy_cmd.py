"""`oversight icb-consequences`, `icb-capital`, `icb-payments`: the ICB policy
(policy-icb-2026-27.yaml) on the modelled ICB results of every quarter with values."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from oversight.cli.context import context_of
from oversight.cli.options import Format, FormatOpt
from oversight.cli.policy_cmd import money
from oversight.cli.whatif_cmd import _emit

IcbQuarterOpt = Annotated[str, typer.Option("--quarter", "-q", help='e.g. "Q2 2025/26".')]
IcbPolicyOpt = Annotated[
    str | None,
    typer.Option("--policy", "-p", help="ICB policy file (YAML); default the bundled ICB policy."),
]


def _table(rows: list[dict[str, Any]], columns: list[str], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(*columns, title=title)
    for r in rows:
        t.add_row(*("" if r[c] is None else str(r[c]) for c in columns))
    Console(width=200).print(t)


def icb_consequences(
    ctx: typer.Context,
    quarter: IcbQuarterOpt,
    code: Annotated[str | None, typer.Argument(help="One ICB (default: all).")] = None,
    policy: IcbPolicyOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Which consequences (freedoms, capital, support, intervention) apply to which ICB."""
    from oversight.periods import Quarter
    from oversight.service.icb_policy import icb_outcome, icb_policy

    con = context_of(ctx).connect(must_exist=True)
    pol = icb_policy(policy)
    outcome = icb_outcome(con, pol)
    q = str(Quarter.parse(quarter))
    active = outcome.in_force(q, code.upper() if code else None)
    rows = [
        {
            "quarter": a.quarter,
            "icb_code": a.code,
            "icb_name": a.name,
            "rule": a.rule,
            "kind": a.kind,
            "title": a.title,
            "since": a.since,
            "reason": a.reason,
            "evidence": " | ".join(a.evidence),
        }
        for a in active
    ]
    if fmt is not Format.table:
        payload = {"policy": {"id": pol.id, "version": pol.version}, "quarter": q,
                   "in_force": rows}  # fmt: skip
        _emit(payload, rows, fmt)
        return
    _table(rows, ["icb_code", "icb_name", "title", "kind", "since", "reason"],
           f"ICB consequences in {q} under {pol.id} (modelled)")  # fmt: skip


def icb_capital(
    ctx: typer.Context,
    quarter: IcbQuarterOpt,
    envelope: Annotated[str, typer.Option("--envelope", help="Capital to split, e.g. 1bn.")],
    policy: IcbPolicyOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Split a capital envelope among the 42 ICBs by the ICB policy's formula."""
    from oversight.periods import Quarter
    from oversight.policy.run import capital_report
    from oversight.service.icb_policy import icb_outcome, icb_policy

    con = context_of(ctx).connect(must_exist=True)
    pol = icb_policy(policy)
    q = str(Quarter.parse(quarter))
    report = capital_report(icb_outcome(con, pol), pol, q, money(envelope, "--envelope"))
    if fmt is not Format.table:
        _emit({"quarter": q, "envelope_gbp": report.envelope_gbp, "allocations": report.rows},
              report.rows, fmt)  # fmt: skip
        return
    _table(report.rows, ["trust_code", "trust_name", "segment", "weight", "share_gbp",
                         "vs_equal_gbp"], f"ICB capital, {q} (modelled)")  # fmt: skip


def icb_payments(
    ctx: typer.Context,
    quarter: IcbQuarterOpt,
    allocation: Annotated[str, typer.Option("--allocation", help="Each ICB's allocation.")],
    policy: IcbPolicyOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Each ICB's performance-linked share of its allocation, earned from its metric scores."""
    from dataclasses import asdict

    from oversight.frameworks.loader import load_framework
    from oversight.periods import Quarter
    from oversight.policy.run import payment_report
    from oversight.service.icb_policy import icb_outcome, icb_policy
    from oversight.service.icb_values import ICB_FRAMEWORK

    con = context_of(ctx).connect(must_exist=True)
    fw = load_framework(ICB_FRAMEWORK)
    pol = icb_policy(policy, fw)
    q = str(Quarter.parse(quarter))
    report = payment_report(
        icb_outcome(con, pol, fw), pol, fw, q, money(allocation, "--allocation")
    )
    rows = [asdict(p) for p in report.payments]
    if fmt is not Format.table:
        _emit({"summary": report.summary, "payments": rows}, rows, fmt)
        return
    _table(rows, ["code", "name", "share", "at_stake_gbp", "attainment", "earned_gbp"],
           f"ICB performance payments, {q} (modelled)")  # fmt: skip
