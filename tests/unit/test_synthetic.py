"""The synthetic record generator: exact counts, named contradictions, plausible times,
reproducible seeds, labelled files; and the records checks of the patient-level engine."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from oversight.engine.patient_level import RECORD_SCHEMA, compute_counts, engine
from oversight.errors import UserError
from oversight.frameworks.patient_level import load_patient_level_definition
from oversight.synthetic.counts import ProviderMonth, reconcile
from oversight.synthetic.labels import synthetic_label
from oversight.synthetic.write import replicate, write_records

NOV = date(2025, 11, 1)
CONSISTENT = ProviderMonth("AAA", NOV, (5000, 40, 1200), (30, 0, 5), (1500, 3, 40),
                           (4, 0, 1), (1400, 2, 0), 300, 60)  # fmt: skip
# reported 12-hour DTA waits but no 4-hour breaches (a trust testing new standards), and
# admissions under a type with no attendances
CONTRADICTORY = ProviderMonth("BBB", NOV, (900, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0),
                              (200, 0, 15), 20, 5)  # fmt: skip
NO_ATTENDANCES = ProviderMonth("CCC", NOV, (0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0),
                               (0, 0, 7), 0, 0)  # fmt: skip


def _run(months: list[ProviderMonth], path: Path, seed: int = 1) -> tuple[pa.Table, pa.Table]:
    counts, _ = reconcile(months)
    write_records(counts, path, seed, "test", "unit test", chunk_rows=2_000)
    got = compute_counts(str(path), engine("duckdb"), load_patient_level_definition())
    return counts, got


def test_counts_are_reproduced_exactly_across_chunks(tmp_path: Path) -> None:
    counts, got = _run([CONSISTENT], tmp_path / "r.parquet")
    assert got.select(counts.column_names).equals(counts)
    assert pc.sum(got["dta_before_arrival"]).as_py() == 0


def test_contradictions_are_named_and_carried(tmp_path: Path) -> None:
    counts, notes = reconcile([CONTRADICTORY, NO_ATTENDANCES])
    text = " | ".join(str(n) for n in notes)
    assert "BBB 2025-11: emergency admissions by type [200, 0, 15]" in text
    assert "25 waits of over 4 hours from a decision to admit but only 0" in text
    assert "CCC 2025-11: 7 emergency admissions via A&E but 0 attendances" in text
    _, got = _run([CONTRADICTORY], tmp_path / "r.parquet")
    row = got.to_pylist()[0]
    assert (row["emergency_admissions"], row["dta_12hr"], row["dta_4_12hr"]) == (215, 5, 20)
    assert row["over_4hr"] == 0 and row["dta_before_arrival"] == 25


def test_impossible_published_counts_are_refused() -> None:
    bad = ProviderMonth("DDD", NOV, (10, 0, 0), (0, 0, 0), (11, 0, 0), (0, 0, 0), (0, 0, 0), 0, 0)
    with pytest.raises(UserError, match="no attendance records could reproduce"):
        reconcile([bad])


def test_same_seed_same_records_and_plausible_times(tmp_path: Path) -> None:
    counts, _ = reconcile([CONSISTENT])
    a, b, c = (tmp_path / f"{n}.parquet" for n in "abc")
    for path, seed in ((a, 5), (b, 5), (c, 6)):
        write_records(counts, path, seed, "test", "unit test")
    assert pq.read_table(a).equals(pq.read_table(b))
    assert not pq.read_table(a).equals(pq.read_table(c))
    records = pq.read_table(a)
    hours = pc.hour(records["arrival"]).to_numpy()
    assert (hours == 11).sum() > 3 * (hours == 4).sum()  # busy late morning, quiet small hours
    assert records["arrival"].type == RECORD_SCHEMA.field("arrival").type
    stay = (records["departure"].to_numpy() - records["arrival"].to_numpy()) / np.timedelta64(
        1, "m"
    )
    type1 = records["department_type"].to_numpy() == 1
    assert 90 < np.median(stay[type1]) < 300 and stay.min() > 0
    assert records["arrival"].to_pylist()[0] >= datetime(2025, 11, 1)


def test_files_are_labelled_synthetic(tmp_path: Path) -> None:
    counts, _ = reconcile([CONSISTENT])
    write_records(counts, tmp_path / "r.parquet", 9, "SYNTHETIC demo", "unit test")
    assert synthetic_label(tmp_path / "r.parquet") == "SYNTHETIC demo (seed 9; from unit test)"
    pq.write_table(pa.table({"x": [1]}), tmp_path / "plain.parquet")
    assert synthetic_label(tmp_path / "plain.parquet") is None


def test_replicate_fills_earlier_months_to_about_n_rows() -> None:
    counts, _ = reconcile([CONSISTENT, CONTRADICTORY])
    big = replicate(counts, 20_000)
    total = pc.sum(big["attendances"]).as_py()
    assert 20_000 <= total < 20_000 + 5_000
    months = sorted(set(big["month"].to_pylist()))
    assert months[-1] == NOV and len(months) == 3 and months[0] == date(2025, 9, 1)


def test_records_missing_a_column_or_with_zoned_times_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    zoned = pa.array([datetime(2025, 11, 1)], pa.timestamp("us", "UTC"))
    t = pa.table({"provider": ["A"], "department_type": pa.array([1], pa.int8()), "arrival": zoned})
    pq.write_table(t, path)
    with pytest.raises(UserError) as err:
        compute_counts(str(path), engine("duckdb"), load_patient_level_definition())
    text = str(err.value)
    assert "field 'departure': missing column" in text
    assert "field 'arrival': is timestamp" in text and "without time zone" in text


def test_uncountable_records_are_named_by_record_number(tmp_path: Path) -> None:
    counts, _ = reconcile([CONSISTENT])
    path = tmp_path / "r.parquet"
    write_records(counts, path, 1, "test", "unit test")
    records = pq.read_table(path)
    types = records["department_type"].to_numpy().copy()
    types[[6, 9]] = 4
    broken = records.set_column(2, "department_type", pa.array(types, pa.int8()))
    pq.write_table(broken, path)
    with pytest.raises(UserError) as err:
        compute_counts(str(path), engine("duckdb"), load_patient_level_definition())
    assert "record 7: department type is not 1, 2 or 3" in str(err.value)
    assert "record 10" in str(err.value)
