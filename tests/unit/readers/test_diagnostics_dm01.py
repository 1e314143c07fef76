"""DM01 provider files (xls): the 12 real bundled months, and malformed copies written with
xlwt (the xls writer; the reader uses python-calamine, the checks read cells with xlrd)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pytest

from tests.unit.readers._files import DATA, read, refused, write_xls, xls_rows

SHEET = "Provider by Test"
FILES = sorted((DATA / "diagnostics").glob("*.xls"))
APRIL = DATA / "diagnostics" / "Monthly-Diagnostics-Web-File-Provider-April-2025_3EY67.xls"


def test_twelve_months_one_file_each() -> None:
    months = sorted(read("diagnostics_dm01", f).periods[0] for f in FILES)
    assert len(FILES) == 12
    assert months == [date(2024 + (m < 8), m, 1) for m in (8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7)]


@pytest.fixture(scope="module")
def april():  # type: ignore[no-untyped-def]
    return read("diagnostics_dm01", APRIL)


def test_counts(april) -> None:  # type: ignore[no-untyped-def]
    v = april.values
    assert v.num_rows == 19_164  # 3,194 provider-and-test rows x 6 measures
    assert len(set(v["org_code"].to_pylist())) == 434
    assert april.totals is not None and april.totals.num_rows == 6
    assert set(pc.unique(v["parent_org"]).to_pylist()) == {f"Y{n}" for n in (56, *range(58, 64))}


def test_values_match_cells_read_with_xlrd(april) -> None:  # type: ignore[no-untyped-def]
    rows = xls_rows(APRIL, SHEET)
    header = rows[13]  # the sheet starts at B2: row 14 is the header, row 15 England
    code, test = header.index("Provider Code"), header.index("Diagnostic Test Name")
    total, six = header.index("Total Waiting List"), header.index("Number waiting 6+ Weeks")
    v = april.values
    for i in (16, 500, len(rows) - 1):  # row 16 is a blank spacer
        got = v.filter(pc.equal(v["line"], i + 1))
        by_measure = dict(zip(got["measure"].to_pylist(), got["value"].to_pylist(), strict=True))
        assert got["org_code"][0].as_py() == rows[i][code]
        assert by_measure["waiting_total"] == rows[i][total]
        assert by_measure["waiting_6_weeks_plus"] == rows[i][six]
        assert (got["breakdown"][0].as_py() == "all") == (rows[i][test] == "Total")
    national = dict(
        zip(april.totals["measure"].to_pylist(), april.totals["value"].to_pylist(), strict=True)
    )
    assert national["waiting_total"] == rows[14][total] == 1_696_688


def _col(title: str) -> int:
    return xls_rows(APRIL, SHEET, 14)[13].index(title)


def _copy(tmp_path: Path, edit, sheet: str = SHEET) -> Path:  # type: ignore[no-untyped-def]
    rows = [list(r) for r in xls_rows(APRIL, SHEET, 40)]
    return write_xls(tmp_path / "dm01.xls", {sheet: edit(rows)})


def test_a_faithful_small_copy_reads(tmp_path: Path) -> None:
    r = read("diagnostics_dm01", _copy(tmp_path, lambda rows: rows))
    assert r.values.num_rows == (40 - 16) * 6 and r.totals is not None


def test_refuses_missing_column(tmp_path: Path) -> None:
    six = _col("Number waiting 6+ Weeks")
    path = _copy(tmp_path, lambda rows: [r[:six] + r[six + 1 :] for r in rows])
    message = refused("diagnostics_dm01", path)
    assert "sheet 'Provider by Test', row 14, field 'Number waiting 6+ Weeks'" in message


def test_refuses_text_in_a_number(tmp_path: Path) -> None:
    def edit(rows):  # type: ignore[no-untyped-def]
        rows[20][_col("Total Waiting List")] = "about 40"
        return rows

    message = refused("diagnostics_dm01", _copy(tmp_path, edit))
    assert "row 21, field 'Total Waiting List': 'about 40' is not a number" in message


def test_refuses_out_of_range_and_fractional_values(tmp_path: Path) -> None:
    def edit(rows):  # type: ignore[no-untyped-def]
        rows[22][_col("Total Waiting List")] = -1.0
        rows[23][_col("Number waiting 13+ Weeks")] = 2.5
        return rows

    message = refused("diagnostics_dm01", _copy(tmp_path, edit))
    assert "row 23, field 'Total Waiting List': -1 is below 0" in message
    assert "row 24, field 'Number waiting 13+ Weeks': 2.5 is not a whole number" in message


def test_refuses_unknown_sheet_and_unknown_test(tmp_path: Path) -> None:
    assert "has no sheet 'Provider by Test'" in refused(
        "diagnostics_dm01", _copy(tmp_path, lambda rows: rows, sheet="Provider")
    )

    def edit(rows):  # type: ignore[no-untyped-def]
        rows[25][_col("Diagnostic Test Name")] = "Telepathy"
        return rows

    assert "undeclared diagnostic test 'Telepathy'" in refused(
        "diagnostics_dm01", _copy(tmp_path, edit)
    )


def test_refuses_a_title_block_without_a_month(tmp_path: Path) -> None:
    def edit(rows):  # type: ignore[no-untyped-def]
        rows[4][2] = "Spring"  # B5 reads Period:, C5 the month
        return rows

    assert "'Spring' is not a month" in refused("diagnostics_dm01", _copy(tmp_path, edit))


def test_providers_all_tests_rows_sum_to_the_published_england_row(april) -> None:  # type: ignore[no-untyped-def]
    v = april.values.filter(pc.equal(april.values["breakdown"], "all"))
    for measure in ("waiting_total", "waiting_6_weeks_plus", "activity_planned"):
        providers = pc.sum(v.filter(pc.equal(v["measure"], measure))["value"]).as_py()
        t = april.totals
        assert providers == t.filter(pc.equal(t["measure"], measure))["value"][0].as_py()
