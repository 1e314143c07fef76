"""Funnel plots for a peer group: each organisation's value against the limits for its size.

The NOF publication gives values without numerators or denominators, so its metrics cannot be
funnelled (the command says so); any table of counts can (``units_from_csv``), and so can the
shares of the source-statistics collections (monthly A&E: :func:`engine.sources.provided.
source_units`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from oversight.engine.shapes import Unit
from oversight.engine.sources.provided import source_units
from oversight.errors import Problem, UserError
from oversight.stats import funnel as fn
from oversight.stats.intervals import rate, wilson
from oversight.store import nof as nof_store
from oversight.store.schema import Connection

CI_LEVEL = 0.95


# Other stores of counts by metric: name -> function(con, metric, period) giving the units, or
# None when the store has no such metric (the collections' own are asked first).
CountSource = Callable[[Connection, str, str | None], list[Unit] | None]
COUNT_SOURCES: dict[str, CountSource] = {}


@dataclass
class FunnelResult:
    kind: fn.Kind
    scale: fn.Scale
    adjustment: fn.Adjustment
    target: float
    dispersion: fn.Dispersion
    units: list[Unit]
    values: np.ndarray[Any, np.dtype[np.float64]]
    rows: list[dict[str, Any]]
    multiplier: float

    def curve(self, points: int = 200) -> dict[str, list[float]]:
        """Limits along a log-spaced grid of denominators, for drawing the funnel."""
        d = np.array([u.denominator for u in self.units])
        grid = np.geomspace(max(d.min() * 0.8, 1.0), d.max() * 1.2, points)
        out: dict[str, list[float]] = {"denominator": grid.tolist()}
        for level in fn.LEVELS:
            tag = f"{level * 100:g}"
            for adj in ("none", self.adjustment):
                lo, hi = fn.limits(
                    self.kind, grid, self.target, level, adj, self.dispersion, self.scale
                )
                name = "exact" if adj == "none" else adj
                out[f"lower_{tag}_{name}"] = (lo * self.multiplier).tolist()
                out[f"upper_{tag}_{name}"] = (hi * self.multiplier).tolist()
        return out


FLAG = {1: "above", -1: "below", 0: "within"}


def funnel(
    units: list[Unit],
    kind: fn.Kind = "proportion",
    adjustment: fn.Adjustment = "additive",
    target: float | None = None,
    scale: fn.Scale | None = None,
    fraction: float = 0.1,
    trim: fn.Trim = "winsorise",
    multiplier: float = 1.0,
) -> FunnelResult:
    good = [u for u in units if u.denominator > 0 and u.numerator >= 0]
    if len(good) < 3:
        raise UserError("A funnel plot needs at least 3 organisations with a denominator")
    x = np.array([u.numerator for u in good])
    d = np.array([u.denominator for u in good])
    if kind == "proportion" and np.any(x > d):
        bad = [
            Problem(f"{u.code}: numerator {u.numerator:g} exceeds denominator {u.denominator:g}")
            for u in good
            if u.numerator > u.denominator
        ]
        raise UserError("A proportion's numerator cannot exceed its denominator", bad)
    chosen = scale or fn.DEFAULT_SCALE[kind]
    t = fn.transform(kind, x, d, target, chosen)
    theta = fn.pooled_target(x, d) if target is None else target
    fit = fn.dispersion(t.z, t.s, fraction, trim)
    z_adj = fn.adjusted_z(t, adjustment, fit)
    value = x / d
    ci = wilson(x, d, CI_LEVEL) if kind == "proportion" else rate(x, d, CI_LEVEL)
    rows = []
    for i, u in enumerate(good):
        row: dict[str, Any] = {
            "code": u.code,
            "name": u.name,
            "numerator": u.numerator,
            "denominator": u.denominator,
            "value": value[i] * multiplier,
            "ci_low": ci[0][i] * multiplier,
            "ci_high": ci[1][i] * multiplier,
            "z": float(t.z[i]),
            "z_adjusted": float(z_adj[i]),
        }
        for level in fn.LEVELS:
            lo, hi = fn.limits(kind, [u.denominator], theta, level, adjustment, fit, chosen)
            row[f"flag_{level * 100:g}"] = FLAG[int(fn.flags([value[i]], lo, hi)[0])]
        rows.append(row)
    return FunnelResult(kind, chosen, adjustment, theta, fit, good, value, rows, multiplier)


def units_from_store(con: Connection, metric: str, period: str | None) -> list[Unit]:
    provided = source_units(con, metric, period)
    if provided is not None:
        return provided
    for source in COUNT_SOURCES.values():
        found = source(con, metric, period)
        if found is not None:
            return found
    if nof_store.has_metric(con, metric):
        raise UserError(
            f"{metric} has no numerator or denominator in the store",
            [
                Problem(
                    "NHS England's NOF files publish the value only (a percentage, score or "
                    "rate), so a funnel plot cannot tell chance from difference for it; give "
                    "counts with --csv FILE --numerator COL --denominator COL"
                )
            ],
        )
    raise UserError(f"No counts for metric {metric!r} in the store")


def units_from_csv(
    path: Path,
    code: str,
    numerator: str,
    denominator: str,
    name: str | None = None,
    exclude: frozenset[str] = frozenset(),
) -> list[Unit]:
    """Units from any CSV of counts (rows whose code is in ``exclude``, such as a national
    total, left out); every unreadable value is reported with its line and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UserError(f"Cannot read {path}", [Problem(str(exc), str(path))]) from None
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in (code, numerator, denominator, name) if c and c not in columns]
    if missing:
        raise UserError(
            f"{path.name}: columns not found",
            [
                Problem(f"no column {c!r}; columns are {', '.join(columns)}", str(path), 1, c)
                for c in missing
            ],
        )
    units, problems = [], []
    for line, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        if not row.get(code) or row[code].casefold() in exclude:
            continue
        values = []
        for col in (numerator, denominator):
            try:
                values.append(float(row[col].replace(",", "")))
            except ValueError:
                problems.append(Problem(f"not a number: {row[col]!r}", str(path), line, col))
        if len(values) == 2:
            units.append(Unit(row[code], row.get(name or "", "") or row[code], *values))
    if problems:
        raise UserError(f"{path.name}: {len(problems)} unreadable values", problems)
    return units
