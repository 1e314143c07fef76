"""`oversight consequences`, `capital` and `payments`: what the results lead to, under a policy."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from oversight.cli.context import context_of
from oversight.cli.league_cmd import wide_console
from oversight.cli.options import Format, FormatOpt, PolicyOpt, QuarterOpt
from oversight.cli.whatif_cmd import _emit
from oversight.errors import Problem, UserError
from oversight.frameworks.policy_loader import load_policy
from oversight.frameworks.policy_model import Policy
from oversight.ingest.org_values import read_org_values
from oversight.policy.consequences import PolicyOutcome
from oversight.policy.run import capital_report, payment_report
from oversight.service import policy as policy_service

TurnoverOpt = Annotated[
    Path | None,
    typer.Option(
        "--turnover",
        help="CSV of code,turnover_gbp_m: puts deficits in £m for the £m ladder.",
        exists=True,
        dir_okay=False,
    ),
]
_MONEY = re.compile(r"^£?\s*(\d+(?:\.\d+)?)\s*(bn|b|m|k)?$", re.IGNORECASE)
_SCALE = {None: 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9}


def money(text: str, name: str) -> float:
    """'250m', '£1.2bn', '2500000' -> pounds."""
    m = _MONEY.match(text.strip().replace(",", ""))
    if m is None:
        raise UserError(
            f"{name} {text!r} is not an amount", [Problem("e.g. 250m, £1.2bn", field=name)]
        )
    unit = m.group(2).lower() if m.group(2) else None
    return float(m.group(1)) * _SCALE[unit]


def _setup(
    ctx: typer.Context, policy_source: str | None, turnover: Path | None, quarter: str | None
) -> tuple[Policy, PolicyOutcome, str]:
    """The policy, its outcome over every stored quarter, and the quarter asked for."""
    site = context_of(ctx).site()
    policy = load_policy(policy_source, site.framework)  # a bad policy file first, store or not
    q = site.quarter(quarter)
    turn = read_org_values(turnover, "turnover_gbp_m") if turnover else None
    return policy, policy_service.outcome(site, policy, turn), q


def consequences(
    ctx: typer.Context,
    ods_code: Annotated[str | None, typer.Argument(help="One organisation (default: all).")] = None,
    quarter: QuarterOpt = None,
    policy: PolicyOpt = None,
    turnover: TurnoverOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Which consequences (freedoms, support, intervention, sanctions, deficit ladder) apply to
    whom in a quarter, why and since when; with a code, also every change over time."""
    pol, outcome, q = _setup(ctx, policy, turnover, quarter)
    code = ods_code.upper() if ods_code else None
    if code is not None and code not in outcome.standings:
        raise UserError(f"No organisation {code!r} in any stored quarter")
    active = outcome.in_force(q, code)
    events = sorted(
        (e for e in outcome.events if code is None or e.code == code),
        key=lambda e: (outcome.quarters.index(e.quarter), e.code, e.rule),
    )
    rows = [
        {
            "quarter": a.quarter,
            "trust_code": a.code,
            "trust_name": a.name,
            "rule": a.rule,
            "kind": a.kind,
            "title": a.title,
            "since": a.since,
            "reason": a.reason,
            "consequences": "; ".join(a.consequences),
            "evidence": " | ".join(a.evidence),
        }
        for a in active
    ]
    if fmt is not Format.table:
        payload: dict[str, Any] = {
            "policy": {"id": pol.id, "version": pol.version, "digest": outcome.policy_digest},
            "quarter": q,
            "in_force": rows,
            "events": [asdict(e) for e in events],
        }
        _emit(payload, rows, fmt)
        return
    console = wide_console()
    title = f"Consequences in {q} under {pol.id} {pol.version}"
    t = Table("code", "organisation", "consequence", "kind", "since", "why", title=title)
    for a in active:
        t.add_row(a.code, a.name, a.title, a.kind, a.since, a.reason)
    console.print(t)
    if code is not None:
        console.print(f"\n[bold]Changes for {code}[/]")
        for e in events:
            console.print(f"{e.quarter}  {e.change:9} {e.rule}", highlight=False)
            for fact in e.evidence:
                console.print(f"    {fact}", highlight=False)


def capital(
    ctx: typer.Context,
    envelope: Annotated[str, typer.Option("--envelope", help="Capital to split, e.g. 250m.")],
    quarter: QuarterOpt = None,
    trust_type: Annotated[
        str | None, typer.Option("--trust-type", "-t", help="Only this trust type.")
    ] = None,
    policy: PolicyOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Split a capital envelope by the policy's formula (weighted to the best financial
    management, with floor and cap), beside the equal share and last quarter's split."""
    state = context_of(ctx)
    pol, outcome, q = _setup(ctx, policy, None, quarter)
    type_name = None
    if trust_type:
        tid = state.trust_type(trust_type)
        type_name = next(t.name for t in state.framework.trust_types if t.id == tid)
    report = capital_report(outcome, pol, q, money(envelope, "--envelope"), type_name)
    if fmt is not Format.table:
        payload = {
            "quarter": q,
            "previous_quarter": report.previous_quarter,
            "envelope_gbp": report.envelope_gbp,
            "policy_digest": report.policy_digest,
            "allocations": report.rows,
        }
        _emit(payload, report.rows, fmt)
        return
    console = wide_console()
    t = Table(
        "code", "organisation", "seg", "fin seg", "weight", "share £", "vs equal £", "limit",
        f"change on {report.previous_quarter or '-'} £",
        title=f"£{report.envelope_gbp:,.2f} of capital, {q}: {pol.capital.description.strip()}",
    )  # fmt: skip
    for r in report.rows:
        change = r["change_gbp"]
        t.add_row(
            r["trust_code"], r["trust_name"], str(r["segment"]), str(r["finance_segment"]),
            f"{r['weight']:.3f}", f"{r['share_gbp']:,.2f}", f"{r['vs_equal_gbp']:+,.2f}",
            r["limited_by"], "new" if change is None else f"{change:+,.2f}",
        )  # fmt: skip
    console.print(t)
    total = sum(r["share_gbp"] * 100 for r in report.rows) / 100
    console.print(f"total £{total:,.2f} to {len(report.rows)} organisations", highlight=False)


def payments(
    ctx: typer.Context,
    contract: Annotated[
        str | None, typer.Option("--contract", help="Each provider's annual contract, e.g. 300m.")
    ] = None,
    contracts: Annotated[
        Path | None,
        typer.Option("--contracts", help="CSV of code,contract_gbp per provider.", exists=True),
    ] = None,
    quarter: QuarterOpt = None,
    policy: PolicyOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Each provider's performance-linked payment earned from its metric scores, and what the
    money bought (attainment change per £ at stake) since the previous quarter."""
    state = context_of(ctx)
    if (contract is None) == (contracts is None):
        raise UserError("Give either --contract AMOUNT or --contracts FILE")
    pol, outcome, q = _setup(ctx, policy, None, quarter)
    values = (
        read_org_values(contracts, "contract_gbp")
        if contracts
        else money(contract or "", "--contract")
    )
    report = payment_report(outcome, pol, state.framework, q, values)
    if fmt is not Format.table:
        payload = {
            "summary": report.summary,
            "payments": report.rows(),
            "movements": [asdict(m) for m in report.movements],
        }
        _emit(payload, report.rows(), fmt)
        return
    console = wide_console()
    t = Table("code", "provider", "share", "at stake £", "attainment", "earned £", "withheld £")
    for p in report.payments:
        t.add_row(
            p.code, p.name, f"{p.share:.0%}", f"{p.at_stake_gbp:,.2f}",
            "" if p.attainment is None else f"{p.attainment:.1%}",
            "" if p.earned_gbp is None else f"{p.earned_gbp:,.2f}",
            "" if p.withheld_gbp is None else f"{p.withheld_gbp:,.2f}",
        )  # fmt: skip
    console.print(t)
    for key, value in report.summary.items():
        console.print(f"{key.replace('_', ' ')}: {value}", highlight=False)
