"""Each provider against its own group's pooled share: its ICB, or its declared peer group.

A group comparator has as many centres as groups, so one funnel cannot be drawn around it.
Each provider's z-score is taken against its group's pooled share (its providers' numerators
over their denominators, the provider itself included), and its 95% and 99.8% limits are those
of a funnel centred there, widened by the overdispersion seen between every provider in
England (the national funnel's fit: an ICB of three trusts cannot estimate its own). A provider
alone in its group is its group's value, so it gets no comparison.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from oversight.engine.funnel import FLAG, FunnelResult
from oversight.engine.shapes import Unit
from oversight.stats import funnel as fn


@dataclass(frozen=True, slots=True)
class Pool:
    """A group of providers and its pooled share."""

    key: str
    name: str
    codes: tuple[str, ...]
    numerator: float
    denominator: float

    @property
    def value(self) -> float:
        return self.numerator / self.denominator


def pools(units: list[Unit], group_of: Mapping[str, tuple[str, str]]) -> dict[str, Pool]:
    """Each group's pooled share over the units in it (``group_of``: code -> (key, name));
    units with no group are left out."""
    members: dict[str, list[Unit]] = {}
    names: dict[str, str] = {}
    for u in units:
        if u.code in group_of and u.denominator > 0:
            key, name = group_of[u.code]
            members.setdefault(key, []).append(u)
            names[key] = name
    return {
        key: Pool(
            key,
            names[key],
            tuple(u.code for u in found),
            sum(u.numerator for u in found),
            sum(u.denominator for u in found),
        )
        for key, found in sorted(members.items())
    }


def against_pools(national: FunnelResult, groups: Mapping[str, Pool]) -> list[dict[str, Any]]:
    """The national funnel's rows, each re-judged against its own group's pooled share with
    the national overdispersion. Rows gain ``group`` (its name), ``group_target`` and
    ``group_size``; a row with no group, or alone in it, keeps no flags (``flag_*`` = "none")."""
    where = {code: pool for pool in groups.values() for code in pool.codes}
    out = []
    for row in national.rows:
        pool = where.get(row["code"])
        new = dict(row)
        new["group"] = pool.name if pool else ""
        new["group_target"] = pool.value if pool else None
        new["group_size"] = len(pool.codes) if pool else 0
        if pool is None or len(pool.codes) < 2:
            new.update({f"flag_{level * 100:g}": "none" for level in fn.LEVELS})
            new["z"] = new["z_adjusted"] = 0.0
            out.append(new)
            continue
        x, d = np.array([row["numerator"]]), np.array([row["denominator"]])
        t = fn.transform(national.kind, x, d, pool.value, national.scale)
        new["z"] = float(t.z[0])
        new["z_adjusted"] = float(fn.adjusted_z(t, national.adjustment, national.dispersion)[0])
        for level in fn.LEVELS:
            lo, hi = fn.limits(
                national.kind,
                d,
                pool.value,
                level,
                national.adjustment,
                national.dispersion,
                national.scale,
            )
            new[f"flag_{level * 100:g}"] = FLAG[int(fn.flags(x / d, lo, hi)[0])]
        out.append(new)
    return out
