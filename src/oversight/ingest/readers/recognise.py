"""Which declared collection a file belongs to, by its content, never by its name.

First the format from the file's bytes (an xlsx is a zip holding ``xl/workbook.xml``, an xls is
an OLE2 compound file, a CSV is text), then for spreadsheets the declared sheets, then the
declared header texts among the first rows (see
:class:`~oversight.frameworks.collections.Recognise`).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from oversight.frameworks.collections import CollectionDef, Recognise, bundled_collections

Format = Literal["csv", "xlsx", "xls"]
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_SNIFF = 65536  # bytes of a text file looked at


def sniff_format(path: Path) -> Format | None:
    """'xlsx', 'xls' or 'csv' from the file's bytes, or None for anything else."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as book:
                return "xlsx" if "xl/workbook.xml" in book.namelist() else None
        except zipfile.BadZipFile:
            return None
    if head.startswith(_OLE2):
        return "xls"
    if not head or b"\x00" in head:
        return None
    try:
        _decode(head)
    except UnicodeDecodeError:
        return None
    return "csv"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # a character cut by the sniffing window
            return data[: exc.start].decode("utf-8-sig")
        raise


def _norm(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split()).casefold() if cell is not None else ""


def _csv_rows(path: Path, rows: int) -> list[list[str]]:
    with path.open("rb") as handle:
        text = _decode(handle.read(_SNIFF))
    lines = text.splitlines()[:rows]
    return list(csv.reader(io.StringIO("\n".join(lines))))


def _sheet_rows(path: Path, sheet: str, rows: int) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    found: list[list[Any]] = (
        CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(nrows=rows)
    )
    return found


def _sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    return list(CalamineWorkbook.from_path(str(path)).sheet_names)


def _header_found(rule: Recognise, rows: Sequence[Sequence[object]]) -> bool:
    if rule.fields is not None and any(len(r) != rule.fields for r in rows if r):
        return False
    if rule.match == "regex":
        cells = [" ".join(str(c).split()) for r in rows for c in r]
        return all(any(re.search(p, c, re.IGNORECASE) for c in cells) for p in rule.header_contains)
    present = {_norm(c) for r in rows for c in r}
    return all(_norm(text) in present for text in rule.header_contains)


def matches(path: Path, collection: CollectionDef, fmt: Format | None = None) -> bool:
    """Whether ``path``'s content is what ``collection`` declares."""
    rule = collection.recognise
    fmt = fmt or sniff_format(path)
    if fmt != rule.format:
        return False
    try:
        if fmt == "csv":
            return _header_found(rule, _csv_rows(path, rule.header_search_rows))
        names = _sheet_names(path)
        if any(s not in names for s in rule.sheets):
            return False
        sheet = rule.sheets[0] if rule.sheets else names[0]
        return _header_found(rule, _sheet_rows(path, sheet, rule.header_search_rows))
    except (OSError, ValueError, UnicodeDecodeError, csv.Error):
        return False
    except Exception:  # noqa: BLE001 - calamine's own errors: an unreadable file is no match
        return False


def recognise_all(
    path: Path, collections: Iterable[CollectionDef] | None = None
) -> list[CollectionDef]:
    """Every collection whose declaration the file's content satisfies."""
    fmt = sniff_format(path)
    if fmt is None:
        return []
    pool = bundled_collections() if collections is None else tuple(collections)
    return [c for c in pool if matches(path, c, fmt)]


def recognise(
    path: Path, collections: Iterable[CollectionDef] | None = None
) -> CollectionDef | None:
    """The one collection the file belongs to, or None (no match, or more than one)."""
    found = recognise_all(path, collections)
    return found[0] if len(found) == 1 else None
