"""Reading any collection's current releases: every query is parameterised (codes, measures and
breakdowns are bound, never spliced into SQL) and returns plain rows or Arrow tables.

The unit a sum is taken over is chosen by the caller: all organisations (a national figure),
some parent organisations (a region), some codes, every organisation on its own, or weighted
rows (today's organisation with its predecessors' activity weighted in, see
engine/sources/successions.py). The national total rows as published are read the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

_VALUES = "collection_value_current"
_TOTALS = "collection_total_current"
_weights_names = itertools.count()


@dataclass(frozen=True)
class MeasureSpec:
    """The sum of some measures over some breakdown values (subgroup ``all`` unless named)."""

    measures: tuple[str, ...]
    breakdowns: tuple[str, ...]
    subgroups: tuple[str, ...] = ("all",)


@dataclass(frozen=True)
class OrgSpan:
    code: str
    name: str | None
    parent: str | None
    first: date
    last: date


@dataclass(frozen=True)
class ReleaseRow:
    period: date
    revision: int
    file_name: str
    row_count: int
    has_total: bool
    current: bool


def has_values(con: duckdb.DuckDBPyConnection, collection: str) -> bool:
    found = con.execute(f"SELECT 1 FROM {_VALUES} WHERE collection = ? LIMIT 1", [collection])
    return bool(found.fetchall())


def periods(con: duckdb.DuckDBPyConnection, collection: str) -> list[date]:
    rows = con.execute(
        f"SELECT DISTINCT period FROM {_VALUES} WHERE collection = ? ORDER BY period", [collection]
    ).fetchall()
    return [p for (p,) in rows]


def current_release_count(con: duckdb.DuckDBPyConnection, collection: str) -> int:
    rows = con.execute(
        "SELECT count(*) FROM collection_current_release WHERE collection = ?", [collection]
    ).fetchall()
    return int(rows[0][0])


def org_name(con: duckdb.DuckDBPyConnection, collection: str, code: str) -> str | None:
    """The organisation's name as published in the latest period it reported."""
    rows = con.execute(
        f"SELECT org_name FROM {_VALUES} WHERE collection = ? AND org_code = ? "
        "ORDER BY period DESC LIMIT 1",
        [collection, code],
    ).fetchall()
    return None if not rows or rows[0][0] is None else str(rows[0][0])


def org_names(con: duckdb.DuckDBPyConnection, collection: str) -> dict[str, str | None]:
    """Every code's name as ``org_name`` gives it (its latest period's row), in one query."""
    rows = con.execute(
        f"""SELECT org_code, org_name FROM (
                SELECT org_code, org_name,
                       row_number() OVER (PARTITION BY org_code ORDER BY period DESC) AS n
                FROM {_VALUES} WHERE collection = ?) WHERE n = 1""",
        [collection],
    ).fetchall()
    return {c: None if n is None else str(n) for c, n in rows}


def organisations(con: duckdb.DuckDBPyConnection, collection: str) -> list[OrgSpan]:
    """Every code with values: its latest name and parent, first and last period."""
    rows = con.execute(
        f"""SELECT org_code, arg_max(org_name, period), arg_max(parent_org, period),
                   min(period), max(period)
            FROM {_VALUES} WHERE collection = ? GROUP BY org_code ORDER BY org_code""",
        [collection],
    ).fetchall()
    return [OrgSpan(*r) for r in rows]


def org_breakdowns(
    con: duckdb.DuckDBPyConnection, collection: str
) -> list[tuple[str, str | None, str]]:
    """(code, latest name, breakdown) for every organisation of a collection whose rows carry
    one breakdown each (the staff survey's benchmarking group, ODS's region)."""
    rows = con.execute(
        f"""SELECT org_code, arg_max(org_name, period), arg_max(breakdown, period)
            FROM {_VALUES} WHERE collection = ? GROUP BY org_code ORDER BY org_code""",
        [collection],
    ).fetchall()
    return [(c, n, b) for c, n, b in rows]


def parent_orgs(con: duckdb.DuckDBPyConnection, collection: str) -> list[str]:
    rows = con.execute(
        f"SELECT DISTINCT parent_org FROM {_VALUES} WHERE collection = ?", [collection]
    ).fetchall()
    return [p for (p,) in rows]


def org_periods(
    con: duckdb.DuckDBPyConnection, collection: str, codes: Sequence[str]
) -> list[tuple[str, date]]:
    """(code, period) for every period each of ``codes`` has values in."""
    rows = con.execute(
        f"SELECT DISTINCT org_code, period FROM {_VALUES} "
        "WHERE collection = ? AND list_contains(?, org_code)",
        [collection, list(codes)],
    ).fetchall()
    return [(c, p) for c, p in rows]


def orgs_with_value(
    con: duckdb.DuckDBPyConnection, collection: str, breakdown: str, measure: str
) -> list[str]:
    """Codes with a positive value of ``measure`` in ``breakdown`` in the latest period."""
    rows = con.execute(
        f"""SELECT DISTINCT org_code FROM {_VALUES}
            WHERE collection = $c AND breakdown = $b AND measure = $m AND value > 0
              AND period = (SELECT max(period) FROM {_VALUES} WHERE collection = $c)""",
        {"c": collection, "b": breakdown, "m": measure},
    ).fetchall()
    return sorted(c for (c,) in rows)


def releases(con: duckdb.DuckDBPyConnection, collection: str) -> list[ReleaseRow]:
    rows = con.execute(
        """SELECT r.period, r.revision, f.file_name, r.row_count, r.has_total,
                  r.revision = max(r.revision) OVER (PARTITION BY r.period)
           FROM collection_release r JOIN source_file f USING (file_id)
           WHERE r.collection = ? ORDER BY r.period, r.revision""",
        [collection],
    ).fetchall()
    return [ReleaseRow(*r) for r in rows]


def period_values(
    con: duckdb.DuckDBPyConnection,
    collection: str,
    period: date,
    codes: Sequence[str] | None = None,
) -> pa.Table:
    """One period's current values in the long shape (org_code, period, breakdown, subgroup,
    measure, value), optionally for some codes only."""
    sql = (
        f"SELECT org_code, period, breakdown, subgroup, measure, value FROM {_VALUES} "
        "WHERE collection = ? AND period = ?"
    )
    params: list[object] = [collection, period]
    if codes:
        sql += " AND list_contains(?, org_code)"
        params.append(list(codes))
    schema = pa.schema(
        [
            ("org_code", pa.string()),
            ("period", pa.date32()),
            ("breakdown", pa.string()),
            ("subgroup", pa.string()),
            ("measure", pa.string()),
            ("value", pa.float64()),
        ]
    )
    return _arrow(con, sql, params, schema)


def measure_sums(
    con: duckdb.DuckDBPyConnection,
    collection: str,
    specs: Sequence[MeasureSpec],
    *,
    by_org: bool = False,
    codes: Sequence[str] | None = None,
    parents: Sequence[str] | None = None,
    weights: Sequence[tuple[str, date, float]] | None = None,
    totals: bool = False,
) -> pa.Table:
    """Per period (and per organisation if ``by_org``): one column ``s0``, ``s1`` ... per spec,
    the weighted sum of its values (null where no value counts towards it).

    Rows are every organisation's, unless narrowed to ``codes``, to ``parents``, or to the
    (code, period, weight) rows of ``weights``; ``totals`` reads the national total rows.
    """
    params: dict[str, Any] = {"collection": collection}
    columns = []
    for i, spec in enumerate(specs):
        params |= {f"m{i}": list(spec.measures), f"b{i}": list(spec.breakdowns)}
        params[f"g{i}"] = list(spec.subgroups)
        columns.append(
            f"sum(value * weight) FILTER (WHERE list_contains($m{i}, measure) "
            f"AND list_contains($b{i}, breakdown) AND list_contains($g{i}, subgroup)) AS s{i}"
        )
    table = _TOTALS if totals else _VALUES
    source = f"SELECT v.*, 1.0::DOUBLE AS weight FROM {table} v WHERE collection = $collection"
    if codes is not None:
        source += " AND list_contains($codes, org_code)"
        params["codes"] = list(codes)
    if parents is not None:
        source += " AND list_contains($parents, parent_org)"
        params["parents"] = list(parents)
    name = None
    if weights is not None:
        name = f"collection_weights_{next(_weights_names)}"
        con.register(
            name,
            pa.table(
                {
                    "w_code": pa.array([c for c, _, _ in weights], pa.string()),
                    "w_period": pa.array([p for _, p, _ in weights], pa.date32()),
                    "weight": pa.array([w for _, _, w in weights], pa.float64()),
                }
            ),
        )
        source = (
            f"SELECT v.*, w.weight FROM {table} v JOIN {name} w "
            "ON v.org_code = w.w_code AND v.period = w.w_period WHERE collection = $collection"
        )
    unit = "org_code, " if by_org else ""
    sql = (
        f"SELECT period, {unit}{', '.join(columns)} FROM ({source}) "
        f"GROUP BY ALL ORDER BY {unit}period"
    )
    schema = pa.schema(
        [("period", pa.date32())]
        + ([("org_code", pa.string())] if by_org else [])
        + [(f"s{i}", pa.float64()) for i in range(len(specs))]
    )
    try:
        return _arrow(con, sql, params, schema)
    finally:
        if name is not None:
            con.unregister(name)


def _arrow(con: duckdb.DuckDBPyConnection, sql: str, params: Any, schema: pa.Schema) -> pa.Table:
    """A query's rows as an Arrow table of ``schema``. Through ``execute`` and a full fetch, so
    a caller's unfinished result on the same connection never gets in the way."""
    rows = con.execute(sql, params).fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.table(
        [pa.array(list(c), f.type) for c, f in zip(columns, schema, strict=True)], schema=schema
    )


def org_period_sums(
    con: duckdb.DuckDBPyConnection, collection: str, spec: MeasureSpec
) -> list[tuple[str, date, str | None, float | None]]:
    """(code, period, a published name, sum of ``spec``) for every organisation and period."""
    rows = con.execute(
        f"""SELECT org_code, period, any_value(org_name),
                   sum(value) FILTER (WHERE list_contains($m, measure)
                                      AND list_contains($b, breakdown)
                                      AND list_contains($g, subgroup))
            FROM {_VALUES} WHERE collection = $c GROUP BY org_code, period""",
        {
            "c": collection,
            "m": list(spec.measures),
            "b": list(spec.breakdowns),
            "g": list(spec.subgroups),
        },
    ).fetchall()
    return [(c, p, n, v) for c, p, n, v in rows]


def has_collection_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store has the collection tables at all (a store made before them has not)."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
        ["collection_value_current"],
    ).fetchall()
    return bool(found[0][0])
