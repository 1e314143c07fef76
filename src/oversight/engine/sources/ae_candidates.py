"""Successor candidates from the data: codes that stop reporting, and who took their activity.

For every code whose last month is before the latest stored month, the month after it is the
*change month*; every code reporting in the change month is scored by how much of the stopped
code's volume (all attendances, booked included, mean of its last three months) its own
attendances gained from the last month to the change month (or, for a code that starts in the
change month, its whole volume). A merger shows as one code gaining about 100%; a split as two
gaining shares that add up to about 100%. Codes that shrink sharply while carrying on
(partial transfers of sites) are listed too. These are candidates: the mapping file
(ae-successors-v1.yaml) records only what public sources confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from oversight.frameworks.ae import AE_COLLECTION
from oversight.store.collections_query import MeasureSpec, org_period_sums
from oversight.store.schema import Connection

_TRUST = re.compile(r"^[RT][A-Z0-9]{2}$")
_ATTENDANCES = MeasureSpec(("attendances", "attendances_booked"), ("type1", "type2", "other"))


@dataclass
class Candidate:
    code: str
    name: str
    last_month: date
    change_month: date | None
    volume: float  # mean monthly attendances over the last three reported months
    is_trust: bool
    gains: list[tuple[str, str, float]] = field(default_factory=list)  # code, name, share


def volumes(con: Connection) -> dict[tuple[str, date], tuple[str, float]]:
    rows = org_period_sums(con, AE_COLLECTION, _ATTENDANCES)
    return {(c, m): (n or "", float(v or 0)) for c, m, n, v in rows}


def _growth(vol: dict[tuple[str, date], tuple[str, float]], before: date, after: date) -> float:
    """All providers' change between two months (codes reporting in both), so a seasonal or
    pandemic swing is not mistaken for a takeover."""
    common = {c for c, m in vol if m == before} & {c for c, m in vol if m == after}
    a = sum(vol[(c, before)][1] for c in common)
    b = sum(vol[(c, after)][1] for c in common)
    return b / a if a else 1.0


def successor_candidates(
    con: Connection, trusts_only: bool = False, top: int = 3
) -> list[Candidate]:
    vol = volumes(con)
    months = sorted({m for _, m in vol})
    by_code: dict[str, list[date]] = {}
    for c, m in vol:
        by_code.setdefault(c, []).append(m)
    out = []
    for code, ms in sorted(by_code.items()):
        ms.sort()
        last = ms[-1]
        if last == months[-1] or (trusts_only and not _TRUST.match(code)):
            continue
        nxt = months[months.index(last) + 1]
        recent = [vol[(code, m)][1] for m in ms[-3:]]
        volume = sum(recent) / len(recent)
        cand = Candidate(code, vol[(code, last)][0], last, nxt, volume, bool(_TRUST.match(code)))
        if volume > 0:
            growth = _growth(vol, last, nxt)
            gains = []
            for (other, m), (name, v) in vol.items():
                if m != nxt or other == code:
                    continue
                before = vol.get((other, last), (name, 0.0))[1]
                gains.append((other, name, (v - before * growth) / volume))
            gains.sort(key=lambda g: -g[2])
            cand.gains = gains[:top]
        out.append(cand)
    return sorted(out, key=lambda c: (c.last_month, c.code))


def partial_transfer_candidates(
    con: Connection, drop: float = 0.25, top: int = 2
) -> list[tuple[str, date, float, list[tuple[str, float]]]]:
    """Trusts whose attendances fell by more than ``drop`` in a month while carrying on, with
    the codes that gained most that month (gain as a share of the loss)."""
    vol = volumes(con)
    months = sorted({m for _, m in vol})
    out = []
    growth = {months[i]: _growth(vol, months[i - 1], months[i]) for i in range(1, len(months))}
    for i in range(1, len(months)):
        prev, cur = months[i - 1], months[i]
        for (code, m), (_, v) in vol.items():
            if m != cur or not _TRUST.match(code):
                continue
            before = vol.get((code, prev), ("", 0.0))[1] * growth[cur]
            if before > 2000 and v < (1 - drop) * before:
                loss = before - v
                gains = sorted(
                    (
                        (o, (w - vol.get((o, prev), ("", 0.0))[1] * growth[cur]) / loss)
                        for (o, mm), (_, w) in vol.items()
                        if mm == cur and o != code
                    ),
                    key=lambda g: -g[1],
                )[:top]
                out.append((code, cur, loss / before, gains))
    return out
