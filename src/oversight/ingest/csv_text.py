"""Reading a publisher's CSV safely: encoding, byte-order marks, header, line numbers.

Shared by every publication module, so each one only says which columns it needs and how to
check their values.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from oversight.errors import Problem, UserError

_FOREIGN_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
# What publishers write for "no value": not applicable, not available, suppressed for small
# numbers. Compared case-insensitively; anything else that is not a number is an error.
MISSING = {
    "",
    "na",
    "n/a",
    "-",
    "*",
    "~",
    ":",
    "..",
    "x",
    "z",
    "c",
    "[c]",
    "[x]",
    "[z]",
    "suppressed",
    "null",
    "none",
    "nan",
}


@dataclass(frozen=True)
class CsvText:
    path: Path
    sha256: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (1-based line number in the file, cells)


def read_csv(path: Path) -> CsvText:
    """Decode a UTF-8 CSV (with or without a BOM) and return its header and numbered rows."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    for bom, name in _FOREIGN_BOMS.items():
        if raw.startswith(bom):
            raise UserError(
                f"{path.name} is encoded as {name}",
                [
                    Problem(
                        f"the file starts with a {name} byte-order mark; save it as UTF-8",
                        str(path),
                        1,
                    )
                ],
            )
    if b"\x00" in raw[:4096]:
        raise UserError(
            f"{path.name} is not a UTF-8 text file",
            [
                Problem(
                    "it contains NUL bytes: is it UTF-16 without a byte-order mark, or not a "
                    "CSV at all? save it as UTF-8",
                    str(path),
                    1,
                )
            ],
        )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(
            f"{path.name} is not UTF-8",
            [
                Problem(
                    f"byte 0x{raw[exc.start]:02x} cannot be read as UTF-8 (is the file in "
                    "Windows-1252? save it as UTF-8)",
                    str(path),
                    line,
                    _column_at(raw, exc.start),
                )
            ],
        ) from exc
    if "\ufeff" in text[:1]:
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise UserError(f"{path.name} is empty", [Problem("no header row", str(path), 1)]) from None
    rows: list[tuple[int, list[str]]] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UserError(
            f"{path.name} is not a readable CSV", [Problem(str(exc), str(path), reader.line_num)]
        ) from exc
    return CsvText(path, digest, header, rows)


def _column_at(raw: bytes, offset: int) -> str | None:
    """The header name of the column a byte offset falls in (for error messages)."""
    start = raw.rfind(b"\n", 0, offset) + 1
    before = raw[start:offset].decode("utf-8", errors="replace")
    header_line = raw[: raw.find(b"\n")].decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        index = len(next(csv.reader([before + "x"]))) - 1
        header = next(csv.reader([header_line.strip()]))
    except (csv.Error, StopIteration):
        return None
    return header[index].strip() if index < len(header) else None


def require_columns(doc: CsvText, needed: list[str], what: str) -> dict[str, int]:
    """Column positions by name; one problem per missing column."""
    index = {name: i for i, name in enumerate(doc.header) if name}
    missing = [c for c in needed if c not in index]
    if missing:
        raise UserError(
            f"{doc.path.name} does not look like {what}",
            [
                Problem(
                    f"missing column {c!r} (the header has: {', '.join(doc.header)})",
                    str(doc.path),
                    1,
                    c,
                )
                for c in missing
            ],
        )
    return index


def cells(doc: CsvText, index: dict[str, int]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as {column: stripped text}; short rows give empty strings."""
    for line, row in doc.rows:
        yield line, {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}


def parse_number(text: str) -> float | None:
    """A published number, or None for the publisher's 'not applicable' markers.

    Raises ValueError for anything else, so callers can name the line and field.
    """
    if text.casefold() in MISSING:
        return None
    cleaned = text.replace(",", "")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value
