"""Bad DM01 provider files (xls): the first rows of the real April 2025 file's 'Provider by
Test' sheet (and a stub of its 'Provider' sheet), each with one change, written with xlwt,
through `oversight ingest`."""

from __future__ import annotations

from tests.badinput.cases import Case
from tests.badinput.sheets import (
    DATA,
    Make,
    SheetEdit,
    copy_row,
    drop_column,
    insert_row,
    keep_rows,
    raw_bytes,
    rename_sheet,
    set_cell,
    truncated,
    workbook,
)

SOURCE = DATA / "diagnostics" / "Monthly-Diagnostics-Web-File-Provider-April-2025_3EY67.xls"
SHEET = "Provider by Test"
# the sheet starts at B2: C5 holds the month, row 14 is the header, row 15 England, row 16 a
# spacer, rows 17- providers; D provider code, G test name, H total waiting, I 6+ weeks
MONTH_ROW, MONTH_COL, HEADER = 5, 3, 14
CODE, NAME, TEST, WAITING, SIX = 4, 5, 7, 8, 9


def dm01(*edits: SheetEdit, name: str = "dm01.xls") -> Make:
    return workbook(SOURCE, {SHEET: 40}, name, *edits)


def cell(row: int, column: int, value: object) -> SheetEdit:
    return set_cell(SHEET, row, column, value)


def month(value: str) -> SheetEdit:
    return cell(MONTH_ROW, MONTH_COL, value)


CASES = [
    Case("dm01-missing-sheet", "the sheet renamed", dm01(rename_sheet(SHEET, "Provider")), SHEET),
    Case(
        "dm01-missing-column",
        "the 13+ weeks column removed",
        dm01(drop_column(SHEET, SIX + 1)),
        "field 'Number waiting 13+ Weeks'",
    ),
    Case(
        "dm01-header-moved-down",
        "30 empty rows above the title block",
        dm01(*[insert_row(SHEET, 1)] * 30),
        SHEET,
    ),
    Case(
        "dm01-text-count", "text in Total Waiting List", dm01(cell(20, WAITING, "lots")), "row 20"
    ),
    Case("dm01-negative-count", "-1 waiting", dm01(cell(21, WAITING, -1)), "row 21"),
    Case("dm01-fraction-count", "2.5 waiting 6+ weeks", dm01(cell(22, SIX, 2.5)), "whole"),
    Case(
        "dm01-count-beyond-64-bits",
        "1e20 waiting",
        dm01(cell(23, WAITING, 1e20)),
        "field 'Total Waiting List'",
    ),
    Case("dm01-month-not-a-month", "Period: 'Spring'", dm01(month("Spring")), "'Spring'"),
    Case("dm01-month-future", "Period: January 2031", dm01(month("January 2031")), "future"),
    Case("dm01-month-before", "Period: April 2001", dm01(month("April 2001")), "began"),
    Case(
        "dm01-unknown-test",
        "an undeclared test",
        dm01(cell(24, TEST, "Telepathy")),
        "field 'Diagnostic Test Name'",
    ),
    Case(
        "dm01-no-provider-code", "a blank code", dm01(cell(25, CODE, "")), "field 'Provider Code'"
    ),
    Case("dm01-bad-provider-code", "code 'R F4'", dm01(cell(25, CODE, "R F4")), "Provider Code"),
    Case("dm01-duplicate-row", "a provider's test row twice", dm01(copy_row(SHEET, 20)), "row"),
    Case("dm01-no-rows", "only the title block and header", dm01(keep_rows(SHEET, 14)), "no data"),
    Case(
        "dm01-truncated",
        "the real file cut at a third",
        raw_bytes("dm01.xls", truncated(SOURCE, 0.33)),
        "dm01.xls",
    ),
    Case("dm01-empty", "an empty file", raw_bytes("dm01.xls", lambda: b""), "dm01.xls"),
]
