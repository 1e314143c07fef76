"""Services, not only trusts (issue 15, item 6): a provider's 4-hour share split by A&E
department type, each part with its own rank among the providers that have that department type
in the month, and its 95% Wilson interval, so a reader sees which service drives the trust's
position.

Shares are NHS England's: attendances (booked appointments included) minus those over 4 hours,
over attendances, for one department type ("all" here: the three types summed, as the published
all-types figure). One parameterised store query gives every provider's counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from oversight.errors import Problem, UserError
from oversight.frameworks.ae import AE_COLLECTION
from oversight.frameworks.collections import collection
from oversight.periods import Month
from oversight.stats.intervals import wilson
from oversight.stats.ranks import min_rank
from oversight.store.collections_query import MeasureSpec, measure_sums
from oversight.store.schema import Connection

DEPARTMENT_TYPES = ("type1", "type2", "other")
ALL_TYPES = "all_types"
_ATTENDANCES = ("attendances", "attendances_booked")
_OVER_4HR = ("over_4hr", "over_4hr_booked")


@dataclass(frozen=True, slots=True)
class ServiceShare:
    """One department type of one provider in one month."""

    department_type: str  # type1, type2, other, or all_types (the trust as a whole)
    title: str
    attendances: float
    within_4hr: float
    share: float
    ci_low: float  # 95% Wilson interval of the share
    ci_high: float
    rank: int  # 1 = the highest share among the providers with this department type
    of: int  # providers with this department type (attendances > 0) in the month


@dataclass(frozen=True, slots=True)
class ServiceSplit:
    code: str
    month: str
    services: list[ServiceShare]  # the trust as a whole first, then each type it has


def _groups() -> list[tuple[str, tuple[str, ...]]]:
    return [(ALL_TYPES, DEPARTMENT_TYPES), *((d, (d,)) for d in DEPARTMENT_TYPES)]


def month_splits(con: Connection, month: str | None = None) -> tuple[str, dict[str, ServiceSplit]]:
    """Every provider's split in ``month`` (None: the latest stored): the month, and code ->
    split."""
    specs = []
    for _, types in _groups():
        specs += [MeasureSpec(_ATTENDANCES, types), MeasureSpec(_OVER_4HR, types)]
    table = measure_sums(con, AE_COLLECTION, specs, by_org=True).to_pylist()
    months = sorted({r["period"] for r in table})
    if not months:
        raise UserError("No A&E data", [Problem("run `oversight ae ingest FOLDER` first")])
    # compared as text: a month the calendar cannot hold (year 0) is simply not stored
    label = str(Month.parse(month)) if month else str(Month.of(months[-1]))
    rows = [r for r in table if str(Month.of(r["period"])) == label]
    if not rows:
        raise UserError(
            f"No A&E month {label}",
            [Problem(f"months stored: {Month.of(months[0])} to {Month.of(months[-1])}")],
        )
    titles = collection(AE_COLLECTION).breakdown
    names = dict(titles.values) if titles is not None else {}
    services: dict[str, list[ServiceShare]] = {}
    for g, (key, _) in enumerate(_groups()):
        share = _shares(rows, f"s{2 * g}", f"s{2 * g + 1}")
        codes = list(share)
        if not codes:
            continue
        ranks = min_rank(-np.array([share[c][2] for c in codes]))
        low, high = wilson([share[c][1] for c in codes], [share[c][0] for c in codes])
        title = "All department types" if key == ALL_TYPES else names.get(key, key)
        for i, c in enumerate(codes):
            den, num, value = share[c]
            services.setdefault(c, []).append(
                ServiceShare(
                    key,
                    title,
                    den,
                    num,
                    value,
                    float(low[i]),
                    float(high[i]),
                    int(ranks[i]),
                    len(codes),
                )
            )
    return label, {c: ServiceSplit(c, label, parts) for c, parts in services.items()}


def service_split(con: Connection, code: str, month: str | None = None) -> ServiceSplit:
    """``code``'s 4-hour share by department type in ``month`` (None: the latest stored)."""
    code = code.strip().upper()
    label, splits = month_splits(con, month)
    if code not in splits:
        raise UserError(f"No A&E data for {code} in {label}", [Problem("check the code")])
    return splits[code]


def _shares(
    rows: list[dict[str, object]], den_col: str, exc_col: str
) -> dict[str, tuple[float, float, float]]:
    """code -> (attendances, within 4 hours, share) for providers with attendances > 0."""
    out = {}
    for r in rows:
        den, exc = r[den_col], r[exc_col]
        if not isinstance(den, float | int) or den <= 0:
            continue
        within = float(den) - (float(exc) if isinstance(exc, float | int) else 0.0)
        out[str(r["org_code"])] = (float(den), within, within / float(den))
    return out
