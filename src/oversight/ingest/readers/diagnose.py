"""Why a file named on the command line was not recognised, in one line naming the file and,
when it is close to a declared collection, that collection and the sheet or header text it
lacks (a renamed sheet, a header moved down, a missing column), instead of only "not a file
oversight recognises".

Closeness is counted from the declaration's own recognition rule: declared sheets present plus
header texts found (anywhere among the first rows of any sheet, so a moved header still
counts). The collection with the most, if any, is named.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oversight.errors import Problem
from oversight.frameworks.collections import CollectionDef, bundled_collections
from oversight.ingest.readers.recognise import _csv_rows, _header_found, _norm, sniff_format

_LOOK = 60  # rows of each sheet searched for a moved header


@dataclass(frozen=True)
class _Near:
    score: int
    collection: CollectionDef
    problem: Problem


def diagnose(path: Path, collections: Iterable[CollectionDef] | None = None) -> Problem | None:
    """The reason ``path`` is no declared collection's file, or None when nothing is close
    (the caller then gives its general message)."""
    fmt = sniff_format(path)
    if fmt is None:
        return Problem(f"not a file oversight recognises: {_unreadable(path)}", str(path))
    if fmt == "csv" and path.suffix.casefold() in (".xlsx", ".xls", ".xlsm"):
        return Problem(
            f"not a file oversight recognises: named {path.suffix} but its content is text "
            "(CSV), not a workbook",
            str(path),
        )
    if fmt == "csv" and (separator := _other_separator(path)):
        return Problem(
            f"not a file oversight recognises: its fields are separated by {separator!r}, "
            "not commas (save it as comma-separated CSV)",
            str(path),
            1,
        )
    pool = bundled_collections() if collections is None else tuple(collections)
    try:
        found = [n for c in pool if c.recognise.format == fmt for n in [_near(path, c)] if n]
    except Exception:  # noqa: BLE001 - calamine's own errors: a damaged workbook
        return Problem(f"a damaged {fmt} workbook that cannot be read", str(path))
    if not found:
        return None
    best = max(found, key=lambda n: n.score)
    return best.problem


def _other_separator(path: Path) -> str | None:
    """';' or a tab when the first line is one comma-less field holding several of them."""
    rows = _csv_rows(path, 1)
    first = rows[0] if rows else []
    if len(first) != 1:
        return None
    return next((sep for sep in (";", "\t", "|") if first[0].count(sep) >= 2), None)


def _unreadable(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head:
        return "the file is empty"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path):
                pass
        except zipfile.BadZipFile:
            return "a damaged zip file (cut short?), not a readable xlsx workbook"
        return "a zip file that holds no xlsx workbook (no xl/workbook.xml)"
    if b"\x00" in head:
        return "a binary file that is neither an xlsx nor an xls workbook"
    return "text that is not UTF-8 (save the CSV as UTF-8)"


def _near(path: Path, c: CollectionDef) -> _Near | None:
    rule = c.recognise
    lead = f"not a file oversight recognises: it looks like {c.title} ({c.id}), but"
    if rule.format == "csv":
        rows = _csv_rows(path, max(rule.header_search_rows, _LOOK))
        if rule.match == "regex":
            return _record_shape(path, c, rows[: rule.header_search_rows])
        hits, missing = _texts(rule.header_contains, rows)
        if not hits:
            return None
        where = f"the first {rule.header_search_rows} rows"
        return _Near(hits, c, Problem(f"{lead} {_lacking(missing, where)}", str(path), 1))
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    names = list(book.sheet_names)
    present = [s for s in rule.sheets if s in names]
    absent = [s for s in rule.sheets if s not in names]
    rows_of = {s: book.get_sheet_by_name(s).to_python(nrows=_LOOK) for s in names}
    hits, missing = _texts(rule.header_contains, [r for rows in rows_of.values() for r in rows])
    if not present and not hits:
        return None
    if absent:
        message = f"{lead} it has no sheet {absent[0]!r} (its sheets: {', '.join(names)})"
        return _Near(len(present) + hits, c, Problem(message, str(path), sheet=absent[0]))
    sheet = rule.sheets[0] if rule.sheets else names[0]
    top = rows_of[sheet][: rule.header_search_rows]
    if _header_found(rule, top):
        return None  # recognised after all (the caller asked about another reason)
    _, missing = _texts(rule.header_contains, top)
    where = f"the first {rule.header_search_rows} rows"
    problem = Problem(f"{lead} {_lacking(missing, where)}", str(path), sheet=sheet)
    return _Near(len(present) + hits, c, problem)


def _record_shape(path: Path, c: CollectionDef, rows: Sequence[Sequence[str]]) -> _Near | None:
    """A headerless reference file whose records match the declared patterns but one of
    which has the wrong number of fields (the rule needs every searched record's count)."""
    rule = c.recognise
    if rule.fields is None:
        return None
    wrong = [(n, len(r)) for n, r in enumerate(rows, start=1) if r and len(r) != rule.fields]
    fitting = [r for r in rows if len(r) == rule.fields]
    if not wrong or len(fitting) < len(wrong) or not _header_found(rule, fitting):
        return None
    line, count = wrong[0]
    message = (
        f"not a file oversight recognises: it looks like {c.title} ({c.id}), but the record "
        f"on line {line} has "
        f"{count} fields, not {rule.fields}"
    )
    return _Near(len(fitting), c, Problem(message, str(path), line, f"field {count}"))


def _texts(wanted: Sequence[str], rows: Sequence[Sequence[Any]]) -> tuple[int, list[str]]:
    present = {_norm(cell) for row in rows for cell in row}
    missing = [t for t in wanted if _norm(t) not in present]
    return len(wanted) - len(missing), missing


def _lacking(missing: list[str], where: str) -> str:
    if not missing:
        return f"{where} do not have the declared layout (number of fields)"
    shown = ", ".join(repr(t) for t in missing[:4])
    return f"the header text {shown} is not in {where}"
