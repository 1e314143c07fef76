"""Shared helpers for the reader tests: the bundled files, and small malformed copies of them
built in tmp_path with libraries other than the one the readers use (openpyxl, xlrd, xlwt)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oversight.errors import UserError
from oversight.frameworks.collections import CollectionDef, collection
from oversight.ingest.readers import reader_for
from oversight.ingest.release import ParsedRelease

DATA = Path(__file__).resolve().parents[3] / "data" / "nhs"
Rows = list[list[Any]]


def read(collection_id: str, path: Path) -> ParsedRelease:
    c = collection(collection_id)
    return reader_for(c)(path, c)


def xlsx_rows(path: Path, sheet: str, rows: int) -> Rows:
    """The first rows of a sheet, read independently with openpyxl."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = book[sheet]
    ws.reset_dimensions()  # some publisher files declare a wrong used range (A1:A1)
    out = [list(r) for r in ws.iter_rows(max_row=rows, values_only=True)]
    book.close()
    return out


def write_xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def xls_rows(path: Path, sheet: str, rows: int | None = None) -> Rows:
    """Rows of an xls sheet read independently with xlrd (absolute positions)."""
    import xlrd

    ws = xlrd.open_workbook(str(path)).sheet_by_name(sheet)
    n = ws.nrows if rows is None else min(rows, ws.nrows)
    return [ws.row_values(i) for i in range(n)]


def write_xls(path: Path, sheets: dict[str, Rows]) -> Path:
    import xlwt

    book = xlwt.Workbook()
    for name, rows in sheets.items():
        ws = book.add_sheet(name)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value not in ("", None):
                    ws.write(i, j, value)
    book.save(str(path))
    return path


def refused(collection_id: str, path: Path) -> str:
    """The reader's one-line-per-problem refusal of a malformed file."""
    with pytest.raises(UserError) as caught:
        read(collection_id, path)
    assert caught.value.problems, "a refusal names its problems"
    return str(caught.value)


Edit = Callable[[Rows], Rows]


def declared(collection_id: str) -> CollectionDef:
    return collection(collection_id)
