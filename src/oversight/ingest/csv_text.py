"""Reading a publisher's CSV safely: encoding, byte-order marks, header, line numbers.

Shared by every publication module, so each one only says which columns it needs and how to
check their values.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
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


_CHUNK = 1 << 20  # bytes read at a time: a file is never held whole in memory


class CsvRows:
    """A file's non-blank rows after the header, as (1-based line number, cells), read again
    from disk on each pass rather than held in memory: a 200 MB file would take gigabytes as
    Python strings. The file was checked (encoding, CSV syntax) by :func:`read_csv`."""

    def __init__(self, path: Path, any_rows: bool) -> None:
        self.path = path
        self._any = any_rows

    def __bool__(self) -> bool:
        return self._any

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        with self.path.open(encoding="utf-8-sig", newline="") as fh:
            yield from _numbered(csv.reader(fh), self.path)


@dataclass(frozen=True)
class CsvText:
    path: Path
    sha256: str
    header: list[str]
    rows: CsvRows  # (1-based line number in the file, cells), read as iterated


def read_csv(path: Path) -> CsvText:
    """Check a UTF-8 CSV (with or without a BOM) and return its header and numbered rows.

    The bytes are checked in chunks (sha256, encoding), then the CSV syntax in one pass; the
    rows themselves are read again whenever :attr:`CsvText.rows` is iterated."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        first = fh.read(_CHUNK)
        _check_start(path, first)
        chunk = first
        try:
            while chunk:
                digest.update(chunk)
                decoder.decode(chunk)
                chunk = fh.read(_CHUNK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            _not_utf8(path)
    with path.open(encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise UserError(
                f"{path.name} is empty", [Problem("no header row", str(path), 1)]
            ) from None
        except csv.Error as exc:
            raise UserError(
                f"{path.name} is not a readable CSV", [Problem(str(exc), str(path), 1)]
            ) from exc
        any_rows = False
        for _ in _numbered(reader, path):
            any_rows = True
    if header[:1] and header[0].startswith("\ufeff"):
        header[0] = header[0][1:].strip()
    return CsvText(path, digest.hexdigest(), header, CsvRows(path, any_rows))


def _numbered(reader: Iterator[list[str]], path: Path) -> Iterator[tuple[int, list[str]]]:
    """The reader's non-blank rows with the line each starts on (after the header)."""
    line_num = getattr(reader, "line_num", 0)
    if line_num == 0:  # a fresh reader: skip the header
        next(reader, None)
    start = reader.line_num + 1  # type: ignore[attr-defined]
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield start, cells
            start = reader.line_num + 1  # type: ignore[attr-defined]
    except csv.Error as exc:
        raise UserError(
            f"{path.name} is not a readable CSV",
            [Problem(str(exc), str(path), reader.line_num)],  # type: ignore[attr-defined]
        ) from exc


def _check_start(path: Path, raw: bytes) -> None:
    """Refuse UTF-16/32 and binary files by their first bytes."""
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


def _not_utf8(path: Path) -> None:
    """Raise the error for a file that is not UTF-8, naming the line and column (the whole
    file is read here, on this error path only)."""
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        raw.decode("utf-8")
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
