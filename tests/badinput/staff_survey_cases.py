"""Bad NHS Staff Survey organisational results: the first rows of the real 2024 workbook's
THEMES and PEOPLE PROMISE ELEMENTS sheets, each with one change, through `oversight ingest`."""

from __future__ import annotations

from tests.badinput.cases import Case
from tests.badinput.sheets import (
    DATA,
    Make,
    SheetEdit,
    copy_row,
    insert_row,
    raw_bytes,
    rename_sheet,
    set_cell,
    workbook,
)

SOURCE = DATA / "staff-survey" / "NSS24 detailed spreadsheets organisational results.xlsx"
THEMES, PROMISE = "THEMES", "PEOPLE PROMISE ELEMENTS"
# row 5 is the header: A ODS code, C Benchmarking group, G Staff Engagement - score, H its base,
# I E_1 - score, J its base; rows 6- are organisations
CODE, GROUP, ENGAGEMENT, BASE, E1, E1_BASE = 1, 3, 7, 8, 9, 10


def survey(*edits: SheetEdit, name: str = "nss.xlsx") -> Make:
    return workbook(SOURCE, {THEMES: 20, PROMISE: 20}, name, *edits)


def themes(row: int, column: int, value: object) -> SheetEdit:
    return set_cell(THEMES, row, column, value)


CASES = [
    Case(
        "nss-missing-sheet", "THEMES renamed", survey(rename_sheet(THEMES, "Themes 2024")), THEMES
    ),
    Case(
        "nss-wrong-year",
        "PEOPLE PROMISE ELEMENTS titled 2023",
        survey(set_cell(PROMISE, 1, 1, "NHS Staff Survey 2023 - WEIGHTED Results")),
        "'NHS Staff Survey 2024'",
    ),
    Case("nss-score-above-10", "a score of 11.5", survey(themes(7, ENGAGEMENT, 11.5)), "row 7"),
    Case("nss-negative-score", "a score of -0.5", survey(themes(8, ENGAGEMENT, -0.5)), "row 8"),
    Case("nss-text-score", "a score 'high'", survey(themes(9, E1, "high")), "'E_1 - score'"),
    Case("nss-fraction-base", "a base of 12.5", survey(themes(10, BASE, 12.5)), "whole"),
    Case(
        "nss-base-beyond-64-bits",
        "a base of 1e20",
        survey(themes(11, E1_BASE, 1e20)),
        "after E_1 - score",
    ),
    Case(
        "nss-score-column-renamed",
        "'E_1 - score' retitled",
        survey(themes(5, E1, "E1 score")),
        "'E_1 - score'",
    ),
    Case(
        "nss-base-column-missing",
        "the base after E_1 retitled",
        survey(themes(5, E1_BASE, "Responses")),
        "Base (number of responses)",
    ),
    Case(
        "nss-header-moved",
        "a row inserted above PEOPLE PROMISE ELEMENTS' header",
        survey(insert_row(PROMISE, 4, ["moved"])),
        "row 5",
    ),
    Case(
        "nss-unknown-group",
        "benchmarking group 'Spaceport'",
        survey(themes(12, GROUP, "Spaceport")),
        "field 'Benchmarking group'",
    ),
    Case("nss-no-code", "ODS code blank", survey(themes(13, CODE, None)), "field 'ODS code'"),
    Case("nss-bad-code", "ODS code '0A-R'", survey(themes(6, CODE, "0A-R")), "field 'ODS code'"),
    Case("nss-duplicate-row", "an organisation twice", survey(copy_row(THEMES, 7)), "given again"),
    Case(
        "nss-zip-not-workbook",
        "a zip holding no workbook",
        raw_bytes("nss.xlsx", lambda: bytes.fromhex("504b0506") + bytes(18)),
        "nss.xlsx",
    ),
]
