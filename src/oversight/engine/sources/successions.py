"""Successions from two sources: the ODS succession file where it covers a code, the reviewed
mapping (ae-successors-v1.yaml) for the rest, and where the two disagree.

The reviewed mapping's ``effective`` is the first month the *publisher's rows* moved to the
successor; ODS gives the *legal* date. Where ODS names the same successors from the same month,
an entry is taken as ODS's (and says so); where ODS is silent (independent-sector and GP-led
codes that closed, a trust ODS never succeeded), the reviewed entry stands; where they disagree,
the reviewed entry stands (the series must follow the rows) and the disagreement is listed
(docs/ae-monthly.md). ODS successions of codes in the data that the mapping does not list are
reported too, not applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from oversight.frameworks.ae import OrgChange, SuccessorMap
from oversight.ingest.ae_ods_successions import OdsSuccession


@dataclass(frozen=True)
class Disagreement:
    code: str
    mapping: str  # what the reviewed mapping says, e.g. "acquisition by RRK from 2018-07"
    ods: str  # what the ODS file says, e.g. "RRK from 2018-04 (line 1234)"


def _by_code(ods: Iterable[OdsSuccession]) -> dict[str, list[OdsSuccession]]:
    out: dict[str, list[OdsSuccession]] = {}
    for s in ods:
        out.setdefault(s.predecessor, []).append(s)
    return out


def _says(change: OrgChange) -> str:
    who = " and ".join(s.code for s in change.successors) or "no successor"
    return f"{change.kind} ({who}) from {change.effective}"


def _ods_says(rows: list[OdsSuccession]) -> str:
    if not rows:
        return "no succession"
    return "; ".join(f"{r.successor} from {r.effective_month} (line {r.line})" for r in rows)


def agrees(change: OrgChange, rows: list[OdsSuccession]) -> bool:
    """ODS names exactly the change's successors, all from the change's month."""
    if change.kind == "closed":
        return not rows
    return {r.successor for r in rows} == {s.code for s in change.successors} and all(
        r.effective_month == change.effective for r in rows
    )


def disagreements(smap: SuccessorMap, ods: Iterable[OdsSuccession]) -> list[Disagreement]:
    """Every code with a change in the mapping that ODS records differently (or not at all,
    for a trust the mapping gives a successor). A code's changes are compared together: a
    partial transfer followed by an acquisition is one succession in ODS."""
    found = _by_code(ods)
    out = []
    for code in dict.fromkeys(c.predecessor for c in smap.changes):
        changes = smap.for_code(code)
        rows = found.get(code, [])
        final = next((c for c in changes if c.kind != "partial_transfer"), changes[-1])
        if len(changes) == 1 and agrees(final, rows):
            continue
        if final.kind == "closed" and not rows:
            continue
        out.append(Disagreement(code, "; ".join(_says(c) for c in changes), _ods_says(rows)))
    return out


def ods_only(
    smap: SuccessorMap, ods: Iterable[OdsSuccession], codes: Iterable[str]
) -> list[OdsSuccession]:
    """ODS successions of ``codes`` (e.g. every code in the A&E data) the mapping does not list."""
    listed = {c.predecessor for c in smap.changes}
    wanted = set(codes) - listed
    return [s for s in ods if s.predecessor in wanted]


def combined(smap: SuccessorMap, ods: Iterable[OdsSuccession]) -> SuccessorMap:
    """The mapping the series use: each entry as ODS records it where ODS agrees (source named
    as ODS), the reviewed entry elsewhere. Attribution is unchanged by construction where the
    two agree, so series computed with it equal those computed with the reviewed mapping."""
    found = _by_code(ods)
    changes = []
    for c in smap.changes:
        rows = found.get(c.predecessor, [])
        if c.kind != "closed" and len(smap.for_code(c.predecessor)) == 1 and agrees(c, rows):
            lines = ", ".join(str(r.line) for r in rows)
            c = c.model_copy(update={"source": f"ODS succ.csv line {lines}; {c.source}"})
        changes.append(c)
    return smap.model_copy(update={"changes": changes})
