"""Monthly counts a synthetic month must reproduce, and making published counts consistent.

``COUNTS_SCHEMA`` is the generator's input: one row per provider, month and department type,
every count including booked appointments (``booked`` and ``booked_over_4hr`` say how many of
them were booked). It is the same shape the patient-level engine returns, so records generated
from counts can be checked against them with ``==``.

Published monthly counts are not always consistent with any set of attendance records: a trust
testing new standards reported no 4-hour breaches but did report 12-hour waits from a decision to
admit; some trusts report emergency admissions under a department type with fewer attendances.
:func:`reconcile` allocates the provider-level DTA waits to department types and names each such
contradiction; the generator then reproduces the counts anyway (see ``generate.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pyarrow as pa

from oversight.errors import Problem, UserError

MEASURES = [
    "attendances",
    "booked",
    "over_4hr",
    "booked_over_4hr",
    "dta_4_12hr",
    "dta_12hr",
    "emergency_admissions",
]
COUNTS_SCHEMA = pa.schema(
    [
        pa.field("provider", pa.string(), nullable=False),
        pa.field("month", pa.date32(), nullable=False),
        pa.field("department_type", pa.int8(), nullable=False),
        *[pa.field(m, pa.int64(), nullable=False) for m in MEASURES],
    ]
)


@dataclass(frozen=True)
class Contradiction:
    """Published counts no consistent attendance records could give, and what was done."""

    provider: str
    month: date
    what: str

    def __str__(self) -> str:
        return f"{self.provider} {self.month:%Y-%m}: {self.what}"


@dataclass(frozen=True)
class ProviderMonth:
    """Published counts of one provider and month; index 0, 1, 2 = department types 1, 2, 3."""

    provider: str
    month: date
    attendances: tuple[int, int, int]  # booked included
    booked: tuple[int, int, int]
    over_4hr: tuple[int, int, int]  # booked included
    booked_over_4hr: tuple[int, int, int]
    emergency_admissions: tuple[int, int, int]
    dta_4_12hr: int
    dta_12hr: int


def reconcile(months: list[ProviderMonth]) -> tuple[pa.Table, list[Contradiction]]:
    """Counts per department type that reproduce every provider-month's published figures.

    Kept exactly: attendances, booked, over 4 hours and booked over 4 hours by type; DTA waits
    and emergency admissions per provider-month, except those of a provider-month with fewer
    attendances than admissions (or DTA waits), which no record can carry. DTA waits go to the
    types with over-4-hour attendances to carry them (type 1 first). Emergency admissions over a
    type's attendances move to the provider's other types.
    Contradictions are returned, never hidden.
    """
    rows: dict[str, list[object]] = {f.name: [] for f in COUNTS_SCHEMA}
    notes: list[Contradiction] = []
    problems: list[Problem] = []
    for pm in months:
        a, b = np.array(pm.attendances), np.array(pm.booked)
        o, ob = np.array(pm.over_4hr), np.array(pm.booked_over_4hr)
        where = f"{pm.provider} {pm.month:%Y-%m}"
        if (
            np.any(b > a)
            or np.any(o > a)
            or np.any(ob > np.minimum(b, o))
            or np.any(o - ob > a - b)
        ):
            problems.append(Problem(f"{where}: over-4-hour or booked counts exceed attendances"))
            continue
        pm = _cap_at_attendances(pm, int(a.sum()), notes)
        e = _move_admissions(pm, a, np.array(pm.emergency_admissions), notes)
        d12, d4 = _allocate_dta(pm, a, o, notes)
        for t in range(3):
            if a[t] == 0:
                continue
            values = [a[t], b[t], o[t], ob[t], d4[t], d12[t], e[t]]
            rows["provider"].append(pm.provider)
            rows["month"].append(pm.month)
            rows["department_type"].append(t + 1)
            for name, v in zip(MEASURES, values, strict=True):
                rows[name].append(int(v))
    if problems:
        raise UserError("Published counts no attendance records could reproduce", problems)
    return pa.table(rows, schema=COUNTS_SCHEMA), notes


def _cap_at_attendances(pm: ProviderMonth, n: int, notes: list[Contradiction]) -> ProviderMonth:
    """Admissions or DTA waits beyond the provider's attendances have no record to sit on:
    they are left out (the only counts not reproduced), and said so."""
    e = pm.emergency_admissions
    if sum(e) > n:
        notes.append(
            Contradiction(
                pm.provider,
                pm.month,
                f"{sum(e)} emergency admissions via A&E but {n} attendances: "
                f"{sum(e) - n} cannot be represented and are left out",
            )
        )
        kept, left = [], n
        for x in e:
            kept.append(min(x, left))
            left -= kept[-1]
        pm = replace(pm, emergency_admissions=(kept[0], kept[1], kept[2]))
    d12 = min(pm.dta_12hr, n)
    d4 = min(pm.dta_4_12hr, n - d12)
    if (d12, d4) != (pm.dta_12hr, pm.dta_4_12hr):
        notes.append(
            Contradiction(
                pm.provider,
                pm.month,
                f"{pm.dta_12hr + pm.dta_4_12hr} waits from a decision to admit but {n} "
                f"attendances: {pm.dta_12hr + pm.dta_4_12hr - d12 - d4} are left out",
            )
        )
        pm = replace(pm, dta_12hr=d12, dta_4_12hr=d4)
    return pm


def _move_admissions(
    pm: ProviderMonth, a: np.ndarray, e: np.ndarray, notes: list[Contradiction]
) -> np.ndarray:
    excess = np.maximum(e - a, 0)
    if not excess.any():
        return e
    e = np.minimum(e, a)
    room = a - e
    moved = int(excess.sum())
    for t in range(3):
        take = min(moved, int(room[t]))
        e[t] += take
        moved -= take
    notes.append(
        Contradiction(
            pm.provider,
            pm.month,
            f"emergency admissions by type {list(pm.emergency_admissions)} exceed attendances "
            f"{list(pm.attendances)}; placed as {e.tolist()} (provider total kept)",
        )
    )
    return e


def _allocate_dta(
    pm: ProviderMonth, a: np.ndarray, o: np.ndarray, notes: list[Contradiction]
) -> tuple[np.ndarray, np.ndarray]:
    """12-hour waits first, then 4-12 hour waits, into the over-4-hour attendances of each type;
    any left over go to within-4-hour attendances (a contradiction: see module docstring)."""
    d12, d4 = np.zeros(3, np.int64), np.zeros(3, np.int64)
    over_room, within_room = o.copy(), a - o
    for need, into in ((pm.dta_12hr, d12), (pm.dta_4_12hr, d4)):
        for room in (over_room, within_room):
            for t in range(3):
                take = min(need, int(room[t]))
                into[t] += take
                room[t] -= take
                need -= take
    short = pm.dta_4_12hr + pm.dta_12hr - int(o.sum())
    if short > 0:
        notes.append(
            Contradiction(
                pm.provider,
                pm.month,
                f"{pm.dta_4_12hr + pm.dta_12hr} waits of over 4 hours from a decision to admit "
                f"but only {int(o.sum())} attendances over 4 hours; {short} synthetic records "
                "carry a decision to admit recorded before arrival",
            )
        )
    return d12, d4
