"""Run a patient-level definition over a Parquet file of attendance records on one engine."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from oversight.engine.patient_level.compile import KEYS, counts_expr
from oversight.engine.patient_level.engines import Engine
from oversight.engine.patient_level.records import check_columns
from oversight.errors import Problem, UserError
from oversight.frameworks.patient_level import PatientLevelDefinition

VALID_TYPES = (1, 2, 3)


def counts_schema(definition: PatientLevelDefinition) -> pa.Schema:
    measures = [pa.field(m, pa.int64(), nullable=False) for m in definition.measure_ids()]
    return pa.schema(
        [
            pa.field("provider", pa.string(), nullable=False),
            pa.field("month", pa.date32(), nullable=False),
            pa.field("department_type", pa.int8(), nullable=False),
            *measures,
        ]
    )


def compute_counts(path: str, engine: Engine, definition: PatientLevelDefinition) -> pa.Table:
    """Every measure per provider, month and department type, sorted by those keys.

    The result has the same types and order whichever engine computed it, so results from two
    engines can be compared with ``==``.
    """
    records = engine.records(path)
    check_columns(path, records.schema())
    raw = engine.execute(counts_expr(records, definition))
    _refuse_bad_keys(path, raw, definition)
    schema = counts_schema(definition)
    table = pa.table({f.name: raw[f.name].cast(f.type) for f in schema}, schema=schema)
    return table.sort_by([(k, "ascending") for k in KEYS])


def _refuse_bad_keys(path: str, raw: pa.Table, definition: PatientLevelDefinition) -> None:
    """Records with no provider, no time to place them in a month, or an unknown department type
    cannot be counted anywhere; name them rather than drop them."""
    no_provider = raw["provider"].null_count > 0
    no_month = raw["month"].null_count > 0
    types = pc.unique(raw["department_type"].drop_null()).to_pylist()
    bad_type = raw["department_type"].null_count > 0 or any(t not in VALID_TYPES for t in types)
    if not (no_provider or no_month or bad_type):
        return
    checks = []
    if no_provider:
        checks.append(("provider", "provider IS NULL", "no provider code"))
    if no_month:
        col = definition.month_from
        checks.append((col, f"{col} IS NULL", f"no {col} time, so no month to count it in"))
    if bad_type:
        checks.append(
            (
                "department_type",
                "department_type IS NULL OR department_type NOT IN (1, 2, 3)",
                "department type is not 1, 2 or 3",
            )
        )
    problems = []
    for field, where, message in checks:
        for row in _first_rows(path, where):
            problems.append(Problem(f"record {row}: {message}", path, None, field))
        if not problems or problems[-1].field != field:
            problems.append(Problem(message, path, None, field))
    raise UserError(f"{path} has attendance records that cannot be counted", problems)


def _first_rows(path: str, where: str, limit: int = 5) -> list[int]:
    """1-based record numbers of the first offending records, when the file is local."""
    if not Path(path).exists():
        return []
    con = duckdb.connect()
    rows = con.execute(
        "SELECT file_row_number + 1 FROM read_parquet(?, file_row_number = true) "
        f"WHERE {where} ORDER BY 1 LIMIT {limit}",
        [path],
    ).fetchall()
    con.close()
    return [int(r[0]) for r in rows]
