"""Bad Cancer Waiting Times provider extracts: the first rows of the real April to July 2025
extract, each with one change, through `oversight ingest`."""

from __future__ import annotations

from datetime import datetime

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

SOURCE = DATA / "cancer" / "CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx"
SHEET = "CWT CRS Provider Extract"
# columns: A PERIOD, D STANDARD, E ORG CODE, F STAGE/ROUTE, H CANCER TYPE, I TOTAL TREATED,
# J WITHIN STANDARD, K BREACHES; row 1 is the header, rows 2- are 28-day FDS rows
PERIOD, STANDARD, ORG, ROUTE, CANCER, TOTAL, WITHIN, BREACHES = 1, 4, 5, 6, 8, 9, 10, 11


def cwt(*edits: SheetEdit, name: str = "cwt.xlsx") -> Make:
    return workbook(SOURCE, {SHEET: 30}, name, *edits)


def cell(row: int, column: int, value: object) -> SheetEdit:
    return set_cell(SHEET, row, column, value)


CASES = [
    Case("cwt-missing-sheet", "the sheet renamed", cwt(rename_sheet(SHEET, "Sheet1")), SHEET),
    Case("cwt-header-moved", "an empty row above the header", cwt(insert_row(SHEET, 1)), SHEET),
    Case(
        "cwt-missing-column",
        "the BREACHES column removed",
        cwt(drop_column(SHEET, BREACHES)),
        "field 'BREACHES'",
    ),
    Case("cwt-text-count", "text in TOTAL TREATED", cwt(cell(3, TOTAL, "many")), "row 3"),
    Case("cwt-negative-count", "WITHIN STANDARD -3", cwt(cell(4, WITHIN, -3)), "row 4"),
    Case(
        "cwt-count-beyond-64-bits",
        "TOTAL TREATED 10**20",
        cwt(cell(5, TOTAL, 1e20)),
        "field 'TOTAL TREATED'",
    ),
    Case("cwt-fraction-fds", "a 28-day count of 2.5", cwt(cell(6, BREACHES, 2.5)), "whole"),
    Case(
        "cwt-total-not-sum",
        "TOTAL TREATED one more than within + breaches",
        cwt(cell(7, TOTAL, 10_000)),
        "is not WITHIN STANDARD + BREACHES",
    ),
    Case("cwt-period-text", "PERIOD as text", cwt(cell(8, PERIOD, "April")), "field 'PERIOD'"),
    Case(
        "cwt-period-mid-month",
        "PERIOD on the 15th",
        cwt(cell(8, PERIOD, datetime(2025, 4, 15))),
        "first day of a month",
    ),
    Case(
        "cwt-period-future",
        "every row dated January 2031",
        cwt(*(cell(r, PERIOD, datetime(2031, 1, 1)) for r in range(2, 31))),
        "in the future",
    ),
    Case(
        "cwt-period-before-collection",
        "every row dated April 2020",
        cwt(*(cell(r, PERIOD, datetime(2020, 4, 1)) for r in range(2, 31))),
        "began",
    ),
    Case("cwt-unknown-standard", "STANDARD '14-day'", cwt(cell(9, STANDARD, "14-day")), "14-day"),
    Case(
        "cwt-unknown-cancer-type",
        "an undeclared cancer type",
        cwt(cell(10, CANCER, "Suspected telepathy")),
        "field 'CANCER TYPE'",
    ),
    Case("cwt-no-org-code", "ORG CODE blank", cwt(cell(11, ORG, None)), "field 'ORG CODE'"),
    Case("cwt-bad-org-code", "ORG CODE 'R;J'", cwt(cell(11, ORG, "R;J")), "field 'ORG CODE'"),
    Case("cwt-duplicate-row", "a row twice", cwt(copy_row(SHEET, 3)), "row"),
    Case("cwt-header-only", "no data rows", cwt(keep_rows(SHEET, 1)), "no data rows"),
    Case(
        "cwt-truncated",
        "the real extract cut at half its bytes",
        raw_bytes("cwt.xlsx", truncated(SOURCE, 0.5)),
        "cwt.xlsx",
    ),
    Case(
        "cwt-text-renamed",
        "a text file named .xlsx",
        raw_bytes("cwt.xlsx", lambda: b"PERIOD,STANDARD,ORG CODE\n2025-04-01,28-day FDS,RAJ\n"),
        "cwt.xlsx",
    ),
]
