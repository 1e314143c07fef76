"""Bad AmbSYS time series: the first rows of the real workbook's 'Raw' sheet (its first ten
England rows made the North East Ambulance Service's, so that trust rows and England totals are
both present) and a stub 'Response times' sheet, each with one change, through `oversight
ingest`."""

from __future__ import annotations

from tests.badinput.cases import Case
from tests.badinput.sheets import (
    DATA,
    Make,
    SheetEdit,
    Sheets,
    copy_row,
    insert_row,
    raw_bytes,
    rename_sheet,
    set_cell,
    truncated,
    workbook,
)

SOURCE = DATA / "ambulance" / "AmbSYS-Time-Series-until-20250831.xlsx"
RAW = "Raw"
# row 5 is the header; B Year, C Month, D Reg, F Area, G Trust, H A0, T A8, Y A24, Z A25
YEAR, MONTH, REG, AREA, TRUST, A8, A24, A25 = 2, 3, 4, 6, 7, 20, 25, 26
HEADER = 5


def trust_rows(book: Sheets) -> None:
    for row in book[RAW][HEADER : HEADER + 10]:
        row[REG - 1], row[AREA - 1], row[TRUST - 1] = "Y63", "RX9", "North East Ambulance Service"


def ambsys(*edits: SheetEdit, name: str = "ambsys.xlsx") -> Make:
    return workbook(SOURCE, {RAW: 25, "Response times": 2}, name, trust_rows, *edits)


def cell(row: int, column: int, value: object) -> SheetEdit:
    return set_cell(RAW, row, column, value)


CASES = [
    Case("ambsys-missing-raw-sheet", "Raw renamed", ambsys(rename_sheet(RAW, "Data")), "'Raw'"),
    Case("ambsys-missing-column", "the A24 header blanked", ambsys(cell(5, A24, None)), "'A24'"),
    Case(
        "ambsys-header-moved",
        "a row inserted above the header",
        ambsys(insert_row(RAW, 4, ["moved"])),
        "row 5",
    ),
    Case("ambsys-text-count", "A8 'ten'", ambsys(cell(7, A8, "ten")), "field 'A8'"),
    Case("ambsys-negative-count", "A8 -4", ambsys(cell(8, A8, -4)), "field 'A8'"),
    Case("ambsys-fraction-count", "A8 2.5", ambsys(cell(9, A8, 2.5)), "whole"),
    Case(
        "ambsys-count-beyond-64-bits",
        "A8 1e20 on the England row",
        ambsys(cell(20, A8, 1e20)),
        "field 'A8'",
    ),
    Case("ambsys-mean-too-long", "A25 of a million seconds", ambsys(cell(10, A25, 1e6)), "A25"),
    Case("ambsys-bad-month", "Month 'SMARCH'", ambsys(cell(11, MONTH, "SMARCH")), "SMARCH"),
    Case("ambsys-bad-year", "Year '20XX'", ambsys(cell(12, YEAR, "20XX")), "field 'Month'"),
    Case(
        "ambsys-future-month",
        "a row for January 2031",
        ambsys(cell(13, YEAR, "2030-31"), cell(13, MONTH, "JANUARY")),
        "in the future",
    ),
    Case(
        "ambsys-before-collection",
        "a row for April 2016",
        ambsys(cell(14, YEAR, "2016-17"), cell(14, MONTH, "APRIL")),
        "began",
    ),
    Case("ambsys-duplicate-row", "a trust row twice", ambsys(copy_row(RAW, 8)), "given again"),
    Case("ambsys-bad-area-code", "Area 'RX 9'", ambsys(cell(9, AREA, "RX 9")), "field 'Area'"),
    Case(
        "ambsys-truncated",
        "the real workbook cut at 90%",
        raw_bytes("ambsys.xlsx", truncated(SOURCE, 0.9)),
        "damaged",
    ),
]
