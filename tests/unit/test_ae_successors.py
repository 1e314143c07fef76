"""The successor mapping: complete for the bundled data, and today's organisations' series
continuous across every merger.

Continuity: for today's organisation T and a change effective in month e, the month-on-month
change (log) of T's summed series at e, net of England's change that month, must not be an
outlier: within the larger of 4 standard deviations of the same net changes over the 12 months
before e (when the series was the predecessors' own rows), 3 standard deviations of all trusts'
net changes that month (April 2020, when attendances halved, trusts' changes varied widely),
and 0.08 (a floor: 12 months of a stable trust's changes can have a tiny spread). A merger left
out of the mapping is a jump of about log 2 = 0.69 or more. The same test on the code's own
published rows fails for most mergers into an existing code, which shows the test can fail.
"""

from __future__ import annotations

import math
import re
from datetime import date

import duckdb
import pytest

from oversight.engine.sources.ae_series import series
from oversight.engine.sources.ae_successors import attribution
from oversight.frameworks.ae import ae_metrics, ae_successors

TRUST = re.compile(r"^[RT][A-Z0-9]{2}$")


def _month(text: str) -> date:
    return date(int(text[:4]), int(text[5:7]), 1)


def test_every_code_that_stops_is_in_the_mapping(ae_store: duckdb.DuckDBPyConnection) -> None:
    last = dict(
        ae_store.execute("SELECT org_code, max(month) FROM ae_value_current GROUP BY 1").fetchall()
    )
    latest = max(last.values())
    stopped = {c for c, m in last.items() if m < latest}
    smap = ae_successors()
    mapped = {c.predecessor for c in smap.changes}
    assert stopped - mapped == set()
    trusts = sorted(c for c in stopped if TRUST.match(c))
    assert len(trusts) == 27
    # every NHS trust that stops has a successor (none of them simply closed)
    for code in trusts:
        assert any(c.successors for c in smap.for_code(code)), code
    # and the mapping names no code that never stopped, except partial transfers
    for change in smap.changes:
        if change.kind != "partial_transfer":
            assert change.predecessor in stopped, change.predecessor


def test_successors_exist_today(ae_store: duckdb.DuckDBPyConnection) -> None:
    latest_codes = {
        c
        for (c,) in ae_store.execute(
            "SELECT DISTINCT org_code FROM ae_value_current "
            "WHERE month = (SELECT max(month) FROM ae_release)"
        ).fetchall()
    }
    smap = ae_successors()
    for change in smap.changes:
        for s in change.successors:
            final = attribution(smap, s.code, date(2000, 1, 1))
            assert set(final) <= latest_codes, (change.predecessor, s.code, final)


def test_split_and_partial_transfer_shares() -> None:
    smap = ae_successors()
    before = attribution(smap, "RW6", date(2021, 3, 1))
    assert before == pytest.approx({"R0A": 0.32, "RM3": 0.68})
    assert attribution(smap, "RW6", date(2021, 6, 1)) == {"RM3": 1.0}
    assert attribution(smap, "RDD", date(2019, 1, 1)) == {"RAJ": 1.0}
    assert attribution(smap, "RAJ", date(2019, 1, 1)) == {"RAJ": 1.0}
    assert attribution(smap, "RDD", date(2020, 4, 1)) == {"RDD": 1.0}  # not after the change


def _net_changes(points: dict[date, float], england: dict[date, float]) -> dict[date, float]:
    months = sorted(points)
    out = {}
    for a, b in zip(months, months[1:], strict=False):
        gap = (b.year - a.year) * 12 + b.month - a.month
        if gap == 1 and points[a] > 0 and points[b] > 0:
            out[b] = math.log(points[b] / points[a]) - math.log(england[b] / england[a])
    return out


def _sd(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _is_break(
    points: dict[date, float], england: dict[date, float], month: date, cross_sd: float
) -> bool | None:
    net = _net_changes(points, england)
    if month not in net:
        return None  # no stored month before it (e.g. January-April 2026 not bundled)
    history = [v for m, v in net.items() if m < month][-12:]
    mean = sum(history) / len(history)
    return abs(net[month] - mean) > max(4 * _sd(history), 3 * cross_sd, 0.08)


def _cross_sectional_sd(
    con: duckdb.DuckDBPyConnection, england: dict[date, float]
) -> dict[date, float]:
    """Per month, the spread of all continuing trusts' net changes (volume over 2,000)."""
    rows = con.execute(
        "SELECT org_code, month, sum(value) FROM ae_value_current WHERE measure IN "
        "('attendances', 'attendances_booked') GROUP BY ALL"
    ).fetchall()
    by_code: dict[str, dict[date, float]] = {}
    for code, month, value in rows:
        if TRUST.match(code):
            by_code.setdefault(code, {})[month] = float(value)
    per_month: dict[date, list[float]] = {}
    for points in by_code.values():
        big = {m: v for m, v in points.items() if v > 2000}
        for m, v in _net_changes(big, england).items():
            per_month.setdefault(m, []).append(v)
    return {m: _sd(v) for m, v in per_month.items() if len(v) > 10}


def test_no_break_at_any_merger_month(ae_store: duckdb.DuckDBPyConnection) -> None:
    metrics, smap = ae_metrics(), ae_successors()
    england = {
        p.month: float(p.value or 0)
        for p in series(ae_store, metrics, "ae_attendances_all", "ENGLAND")
    }
    cross = _cross_sectional_sd(ae_store, england)
    targets: dict[tuple[str, date], str] = {}
    for change in smap.changes:
        for s in change.successors:
            for final in attribution(smap, s.code, date(2000, 1, 1)):
                targets[(final, _month(change.effective))] = change.predecessor
    checked, breaks_as_published = 0, 0
    for (code, month), predecessor in sorted(targets.items()):
        summed = {
            p.month: float(p.value or 0)
            for p in series(ae_store, metrics, "ae_attendances_all", code, smap)
        }
        result = _is_break(summed, england, month, cross.get(month, 0.0))
        if result is None:
            continue
        assert result is False, f"{code} breaks at {month:%Y-%m} (change of {predecessor})"
        checked += 1
        own = {
            p.month: float(p.value or 0)
            for p in series(ae_store, metrics, "ae_attendances_all", code, as_published=True)
        }
        if _is_break(own, england, month, cross.get(month, 0.0)):
            breaks_as_published += 1
    assert checked == 24  # (organisation, month) pairs with a stored month before the change
    assert breaks_as_published >= 12  # 14 here: without the mapping, mergers show as jumps
