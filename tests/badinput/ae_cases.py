"""Bad monthly A&E files, each the real April 2025 file with one change, through `oversight ae
ingest`: refused with file, line and field, and nothing stored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from tests.badinput.cases import Case, Rows, read_rows, write_rows

SOURCE = Path(__file__).resolve().parents[2] / "data/nhs/ae/monthly/Monthly-AE-April-2025.csv"
Edit = Callable[[list[str], Rows], None]
AE = ("ae", "ingest")


def ae(edit: Edit, name: str = "ae.csv") -> Callable[[Path], Sequence[Path]]:
    def make(folder: Path) -> Sequence[Path]:
        header, rows = read_rows(SOURCE)
        edit(header, rows)
        return [write_rows(folder / name, header, rows)]

    return make


def cell(column: str, value: str, row: int = 1) -> Edit:
    def edit(header: list[str], rows: Rows) -> None:
        rows[row][header.index(column)] = value

    return edit


def period(value: str) -> Edit:
    def edit(header: list[str], rows: Rows) -> None:
        for r in rows:
            r[header.index("Period")] = value

    return edit


def drop_column(column: str) -> Edit:
    def edit(header: list[str], rows: Rows) -> None:
        i = header.index(column)
        del header[i]
        for r in rows:
            del r[i]

    return edit


def duplicate_row(header: list[str], rows: Rows) -> None:
    rows.append(list(rows[1]))


def short_row(header: list[str], rows: Rows) -> None:
    rows[2] = rows[2][:5]


def extra_filled_column(header: list[str], rows: Rows) -> None:
    header.append("Notes")
    for r in rows:
        r.append("")
    rows[0][-1] = "see note"


T1 = "A&E attendances Type 1"
CASES = [
    Case(
        "ae-future-month",
        "every row dated January 2031",
        ae(period("MSitAE-JANUARY-2031")),
        "in the future",
        AE,
    ),
    Case("ae-year-one", "every row dated April of year 1", ae(period("MSitAE-APRIL-0001")), "", AE),
    Case(
        "ae-before-collection",
        "every row dated April 2001",
        ae(period("MSitAE-APRIL-2001")),
        "began",
        AE,
    ),
    Case(
        "ae-count-beyond-64-bits",
        "a count of 10**20",
        ae(cell(T1, "100000000000000000000")),
        T1,
        AE,
    ),
    Case("ae-negative-count", "a count of -5", ae(cell(T1, "-5")), T1, AE),
    Case("ae-fraction-count", "a count of 2.5", ae(cell(T1, "2.5")), T1, AE),
    Case("ae-text-count", "text in a count", ae(cell(T1, "many")), T1, AE),
    Case("ae-nan-count", "NaN in a count", ae(cell(T1, "NaN")), T1, AE),
    Case("ae-formula-name", "a formula in a count", ae(cell(T1, "=1+1")), T1, AE),
    Case("ae-missing-column", "the type 1 attendances column removed", ae(drop_column(T1)), "", AE),
    Case("ae-duplicate-provider", "a provider's row twice", ae(duplicate_row), "", AE),
    Case("ae-short-row", "a row cut short", ae(short_row), "", AE),
    Case(
        "ae-filled-extra-column",
        "an unknown column with a value",
        ae(extra_filled_column),
        "Notes",
        AE,
    ),
    Case(
        "ae-bad-code",
        "an organisation code with punctuation",
        ae(cell("Org Code", "R;J")),
        "Org Code",
        AE,
    ),
    Case(
        "ae-mixed-months", "one row dated May 2025", ae(cell("Period", "MSitAE-MAY-2025")), "", AE
    ),
]


def raw_ae(
    change: Callable[[bytes], bytes], name: str = "ae.csv"
) -> Callable[[Path], Sequence[Path]]:
    """The real file's bytes with a change no CSV writer would make."""

    def make(folder: Path) -> Sequence[Path]:
        target = folder / name
        target.write_bytes(change(SOURCE.read_bytes()))
        return [target]

    return make


def header_only(data: bytes) -> bytes:
    return data.split(b"\n", 1)[0] + b"\n"


def latin1_name(data: bytes) -> bytes:
    text = data.decode("utf-8-sig")
    first, rest = text.split("\n", 1)
    return (first + "\n" + rest.replace("NHS TRUST", "NHS TRUST \u00e9", 1)).encode("latin-1")


def semicolons(data: bytes) -> bytes:
    return data.replace(b",", b";")


def cut_mid_row(data: bytes) -> bytes:
    return data[: len(data) // 2]


# through the one `oversight ingest`, which recognises the file by its content
INGEST = ("ingest",)
CASES += [
    Case("ae-any-header-only", "the header and no rows", raw_ae(header_only), "ae.csv", INGEST),
    Case("ae-any-latin1", "an organisation name in Latin-1", raw_ae(latin1_name), "UTF-8", INGEST),
    Case(
        "ae-any-semicolons", "semicolons for commas", raw_ae(semicolons), "separated by ';'", INGEST
    ),
    Case(
        "ae-any-cut-mid-row", "the file cut in the middle of a row", raw_ae(cut_mid_row), "", INGEST
    ),
    Case("ae-any-empty", "an empty file", raw_ae(lambda d: b""), "empty", INGEST),
    Case(
        "ae-any-future-month",
        "every row dated January 2031",
        ae(period("MSitAE-JANUARY-2031")),
        "in the future",
        INGEST,
    ),
    Case("ae-any-negative-count", "a count of -5", ae(cell(T1, "-5")), T1, INGEST),
    Case("ae-any-duplicate-provider", "a provider's row twice", ae(duplicate_row), "", INGEST),
]
