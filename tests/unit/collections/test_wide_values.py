"""Values held wide (one row per organisation) are the long rows they stand for: the store
keeps the same rows, the checks name the same problems and the total check finds the same
differences as if the reader had built the long table (as it did before)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from oversight.errors import UserError
from oversight.frameworks.collections import collection
from oversight.ingest.readers import reader_for
from oversight.ingest.readers.checks import check_release
from oversight.ingest.release import ParsedRelease, WideValues
from oversight.ingest.totals import total_differences
from oversight.store import connect
from oversight.store.collections import store_releases
from tests.ae_files import AUG_2025

_COLUMNS = ("line", "period", "org_code", "org_name", "parent_org", "breakdown", "subgroup")


def _ae() -> ParsedRelease:
    ae = collection("ae_monthly")
    return reader_for(ae)(AUG_2025, ae)


def _rows(table: pa.Table) -> list[tuple[object, ...]]:
    plain = table.select([*_COLUMNS, "measure", "value"])
    return sorted(
        zip(
            *(
                plain.column(c).cast(_plain(plain.column(c).type)).to_pylist()
                for c in plain.column_names
            ),
            strict=True,
        )
    )


def _plain(kind: pa.DataType) -> pa.DataType:
    return kind.value_type if pa.types.is_dictionary(kind) else kind


def test_the_store_keeps_the_long_rows(tmp_path: Path) -> None:
    parsed = _with_value(_with_value(_ae(), 0, "v3", None), 9, "v0", None)  # no count: no row
    assert isinstance(parsed.values, WideValues)
    con = connect(tmp_path / "s.duckdb")
    store_releases(con, [parsed])
    stored = con.sql(
        f"SELECT {', '.join(_COLUMNS)}, measure, value FROM collection_value"
    ).to_arrow_table()
    long = parsed.long_values()
    assert stored.num_rows == long.num_rows == 201 * 18 - 2  # 201 providers, 18 counts each
    assert _rows(stored) == _rows(long)
    con.close()


def _with_value(parsed: ParsedRelease, row: int, column: str, value: float | None) -> ParsedRelease:
    assert isinstance(parsed.values, WideValues)
    rows = parsed.values.rows
    cells = rows.column(column).to_pylist()
    cells[row] = value
    index = rows.schema.get_field_index(column)
    changed = rows.set_column(index, column, pa.array(cells, pa.float64()))
    return replace(parsed, values=WideValues(changed, parsed.values.cells))


@pytest.mark.parametrize("value", [-3.0, 2.5, float("nan"), float("inf")])
def test_checks_name_the_same_problems_wide_or_long(value: float) -> None:
    bad = _with_value(_with_value(_ae(), 7, "v2", value), 150, "v0", value)
    long = replace(bad, values=bad.long_values())
    found = []
    for release in (bad, long):
        with pytest.raises(UserError) as refused:
            check_release(release, collection("ae_monthly"), date(2026, 12, 1))
        found.append([(p.message, p.line, p.field) for p in refused.value.problems])
    assert found[0] == found[1] and len(found[0]) == 2


def test_total_differences_are_the_same_wide_or_long() -> None:
    parsed = _with_value(_ae(), 3, "v1", 1e6)  # a provider's count changed: the total disagrees
    long = replace(parsed, values=parsed.long_values())
    wide_found, long_found = total_differences(parsed), total_differences(long)
    assert len(wide_found) == 1 and wide_found == long_found
    assert pc.sum(parsed.long_values().column("value")).as_py() > 1e6
