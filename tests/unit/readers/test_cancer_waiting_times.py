"""Cancer Waiting Times provider extracts: the real bundled files, and malformed copies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pytest

from tests.unit.readers._files import DATA, read, refused, write_xlsx, xlsx_rows

SHEET = "CWT CRS Provider Extract"
LATEST = DATA / "cancer" / "CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx"


@pytest.fixture(scope="module")
def release():  # type: ignore[no-untyped-def]
    return read("cancer_waiting_times", LATEST)


def test_counts_and_periods(release) -> None:  # type: ignore[no-untyped-def]
    v = release.values
    # 41,013 data rows, each with three counts (total, within, breaches), none blank
    assert v.num_rows == 41_013 * 3
    assert release.periods == tuple(date(2025, m, 1) for m in (4, 5, 6, 7))
    assert len(set(v["org_code"].to_pylist())) == 159
    assert set(pc.unique(v["measure"]).to_pylist()) == {
        f"{s}_{m}" for s in ("fds", "d31", "d62") for m in ("within", "total", "breaches")
    }
    assert release.totals is None


def test_values_match_cells_read_with_openpyxl(release) -> None:  # type: ignore[no-untyped-def]
    rows = xlsx_rows(LATEST, SHEET, 400)
    v = release.values
    for line in (2, 150, 399):
        cells = rows[line - 1]
        got = v.filter(pc.equal(v["line"], line))
        by_measure = dict(zip(got["measure"].to_pylist(), got["value"].to_pylist(), strict=True))
        prefix = {"28-day FDS": "fds", "31-day Combined": "d31", "62-day Combined": "d62"}[cells[3]]
        assert by_measure[f"{prefix}_total"] == cells[8]
        assert by_measure[f"{prefix}_within"] == cells[9]
        assert by_measure[f"{prefix}_breaches"] == cells[10]
        assert got["org_code"][0].as_py() == cells[4]
        assert got["period"][0].as_py() == cells[0].date()


def test_shared_62_day_pathways_count_as_halves() -> None:
    first = read(
        "cancer_waiting_times",
        DATA / "cancer" / "CWT-CRS-Apr-2024-to-Sep-2024-Data-Extract-Provider-Final.xlsx",
    )
    v = first.values
    halves = v.filter(pc.not_equal(pc.floor(v["value"]), v["value"]))
    assert halves.num_rows > 0
    assert set(m[:3] for m in halves["measure"].to_pylist()) == {"d62"}


def _copy(tmp_path: Path, edit, name: str = "x.xlsx", sheet: str = SHEET) -> Path:  # type: ignore[no-untyped-def]
    rows = [list(r) for r in xlsx_rows(LATEST, SHEET, 40)]
    return write_xlsx(tmp_path / name, {sheet: edit(rows)})


def test_a_faithful_small_copy_reads(tmp_path: Path) -> None:
    r = read("cancer_waiting_times", _copy(tmp_path, lambda rows: rows))
    assert r.values.num_rows == 39 * 3


def test_refuses_missing_column(tmp_path: Path) -> None:
    path = _copy(tmp_path, lambda rows: [r[:9] + r[10:] for r in rows])
    message = refused("cancer_waiting_times", path)
    assert f"sheet '{SHEET}', row 1, field 'WITHIN STANDARD'" in message


def test_refuses_text_in_a_number(tmp_path: Path) -> None:
    def edit(rows):  # type: ignore[no-untyped-def]
        rows[6][9] = "lots"
        return rows

    message = refused("cancer_waiting_times", _copy(tmp_path, edit))
    assert "row 7, field 'WITHIN STANDARD': 'lots' is not a number" in message


def test_refuses_out_of_range_value(tmp_path: Path) -> None:
    def edit(rows):  # type: ignore[no-untyped-def]
        rows[3][8] = -4
        return rows

    message = refused("cancer_waiting_times", _copy(tmp_path, edit))
    assert "row 4, field 'TOTAL TREATED': -4 is below 0" in message


def test_refuses_inconsistent_breaches(tmp_path: Path) -> None:
    def edit(rows):  # type: ignore[no-untyped-def]
        rows[2][10] = rows[2][10] + 1
        return rows

    assert "row 3, field 'TOTAL TREATED'" in refused("cancer_waiting_times", _copy(tmp_path, edit))


def test_refuses_unknown_sheet(tmp_path: Path) -> None:
    path = _copy(tmp_path, lambda rows: rows, sheet="Extract")
    assert "has no sheet 'CWT CRS Provider Extract'" in refused("cancer_waiting_times", path)
