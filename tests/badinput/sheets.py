"""Small spreadsheets for the collection cases: the first rows of a bundled real workbook
(read once per run, at their absolute positions, with openpyxl or xlrd), edited, and written
back with openpyxl (xlsx) or xlwt (xls), so each case's file is a few kilobytes, not megabytes."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from tests.unit.readers._files import write_xls, write_xlsx, xls_rows, xlsx_rows

DATA = Path(__file__).resolve().parents[2] / "data" / "nhs"
Sheets = dict[str, list[list[Any]]]
SheetEdit = Callable[[Sheets], None]
Make = Callable[[Path], Sequence[Path]]


@cache
def _first_rows(path: Path, sheet: str, rows: int) -> tuple[tuple[Any, ...], ...]:
    got = xls_rows(path, sheet, rows) if path.suffix == ".xls" else xlsx_rows(path, sheet, rows)
    return tuple(tuple(r) for r in got)


def first_rows(path: Path, sheets: dict[str, int]) -> Sheets:
    """A fresh, editable copy of each sheet's first rows."""
    return {s: [list(r) for r in _first_rows(path, s, n)] for s, n in sheets.items()}


def workbook(source: Path, sheets: dict[str, int], name: str, *edits: SheetEdit) -> Make:
    """A case's file: the real workbook's first rows with the edits applied, written in the
    source's format (xls or xlsx) under ``name``."""

    def make(folder: Path) -> Sequence[Path]:
        book = copy.deepcopy(first_rows(source, sheets))
        for edit in edits:
            edit(book)
        target = folder / name
        writer = write_xls if source.suffix == ".xls" else write_xlsx
        return [writer(target, book)]

    return make


def set_cell(sheet: str, row: int, column: int, value: Any) -> SheetEdit:
    """Row and column 1-based, as a spreadsheet program numbers them."""

    def edit(book: Sheets) -> None:
        cells = book[sheet][row - 1]
        cells.extend([None] * (column - len(cells)))
        cells[column - 1] = value

    return edit


def rename_sheet(old: str, new: str) -> SheetEdit:
    def edit(book: Sheets) -> None:
        book[new] = book.pop(old)

    return edit


def drop_column(sheet: str, column: int) -> SheetEdit:
    def edit(book: Sheets) -> None:
        for r in book[sheet]:
            del r[column - 1 : column]

    return edit


def insert_row(sheet: str, before: int, row: list[Any] | None = None) -> SheetEdit:
    """A row inserted before row ``before`` (an empty one moves everything below down)."""

    def edit(book: Sheets) -> None:
        book[sheet].insert(before - 1, list(row or []))

    return edit


def copy_row(sheet: str, row: int) -> SheetEdit:
    """Row ``row`` repeated at the end of the sheet."""

    def edit(book: Sheets) -> None:
        book[sheet].append(list(book[sheet][row - 1]))

    return edit


def keep_rows(sheet: str, rows: int) -> SheetEdit:
    def edit(book: Sheets) -> None:
        del book[sheet][rows:]

    return edit


def raw_bytes(name: str, content: Callable[[], bytes]) -> Make:
    """A file of the given bytes (for what no spreadsheet writer would write)."""

    def make(folder: Path) -> Sequence[Path]:
        target = folder / name
        target.write_bytes(content())
        return [target]

    return make


def truncated(source: Path, fraction: float) -> Callable[[], bytes]:
    def content() -> bytes:
        data = source.read_bytes()
        return data[: int(len(data) * fraction)]

    return content
