"""AmbSYS time series (xlsx): the real bundled workbook, and malformed copies of its Raw sheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pytest

from tests.unit.readers._files import DATA, read, refused, write_xlsx, xlsx_rows

BOOK = DATA / "ambulance" / "AmbSYS-Time-Series-until-20250831.xlsx"


@pytest.fixture(scope="module")
def release():  # type: ignore[no-untyped-def]
    return read("ambulance_ambsys", BOOK)


@pytest.fixture(scope="module")
def raw() -> list[list[object]]:
    return xlsx_rows(BOOK, "Raw", 2000)


def test_counts_and_months(release) -> None:  # type: ignore[no-untyped-def]
    assert release.periods[0] == date(2017, 8, 1) and release.periods[-1] == date(2025, 8, 1)
    assert len(release.periods) == 97
    trusts = set(release.values["org_code"].to_pylist())
    assert len(trusts) == 11  # 10 ambulance services and the Isle of Wight NHS Trust
    assert {"RX6", "RYA", "RRU", "R1F"} <= trusts
    assert set(release.totals["org_code"].to_pylist()) == {"TOTAL"}
    assert release.values.num_rows == 25_568 and release.totals.num_rows == 2_328
    assert release.notes == ["291 NHS region rows left out (sums of their trusts)"]


def test_values_match_cells_read_with_openpyxl(release, raw) -> None:  # type: ignore[no-untyped-def]
    codes = [str(c) if c is not None else "" for c in raw[4]]
    v = release.values
    for area, year, month in (("RYA", "2025-26", "AUGUST"), ("RX6", "2019-20", "JANUARY")):
        line, row = next(
            (i + 1, r) for i, r in enumerate(raw) if r[5] == area and r[1] == year and r[2] == month
        )
        got = v.filter(pc.equal(v["line"], line))
        by_measure = dict(zip(got["measure"].to_pylist(), got["value"].to_pylist(), strict=True))
        assert by_measure["cat2_mean_seconds"] == row[codes.index("A31")]
        assert by_measure["cat1_mean_seconds"] == row[codes.index("A25")]
        assert by_measure["cat2_incidents"] == row[codes.index("A10")]
    # C2 mean, West Midlands, August 2025, as published: 19:21 (1,161 seconds)
    rya = v.filter(
        pc.and_(pc.equal(v["org_code"], "RYA"), pc.equal(v["measure"], "cat2_mean_seconds"))
    )
    august = dict(zip(rya["period"].to_pylist(), rya["value"].to_pylist(), strict=True))
    assert august[date(2025, 8, 1)] == 1161


def _copy(tmp_path: Path, raw, edit, sheet: str = "Raw") -> Path:  # type: ignore[no-untyped-def]
    rows = [list(r) for r in raw[:30]]
    return write_xlsx(tmp_path / "ambsys.xlsx", {sheet: edit(rows)})


def test_a_faithful_small_copy_reads(tmp_path: Path, raw) -> None:  # type: ignore[no-untyped-def]
    r = read("ambulance_ambsys", _copy(tmp_path, raw, lambda rows: rows))
    assert r.totals is not None and r.totals.num_rows > 0


def test_refuses_missing_indicator_column(tmp_path: Path, raw) -> None:  # type: ignore[no-untyped-def]
    at = [str(c) for c in raw[4]].index("A31")
    path = _copy(tmp_path, raw, lambda rows: [r[:at] + r[at + 1 :] for r in rows])
    assert "sheet 'Raw', row 5, field 'A31': no column 'A31'" in refused("ambulance_ambsys", path)


def test_refuses_text_and_out_of_range(tmp_path: Path, raw) -> None:  # type: ignore[no-untyped-def]
    codes = [str(c) for c in raw[4]]

    def edit(rows):  # type: ignore[no-untyped-def]
        rows[9][codes.index("A31")] = "20 mins"
        rows[10][codes.index("A8")] = -3
        return rows

    message = refused("ambulance_ambsys", _copy(tmp_path, raw, edit))
    assert "row 10, field 'A31': '20 mins' is not a number" in message
    assert "row 11, field 'A8': -3 is below 0" in message


def test_refuses_unknown_sheet_and_month(tmp_path: Path, raw) -> None:  # type: ignore[no-untyped-def]
    assert "has no sheet 'Raw'" in refused(
        "ambulance_ambsys", _copy(tmp_path, raw, lambda rows: rows, sheet="Data")
    )

    def edit(rows):  # type: ignore[no-untyped-def]
        rows[7][2] = "SMARCH"
        return rows

    assert "row 8, field 'Month'" in refused("ambulance_ambsys", _copy(tmp_path, raw, edit))
