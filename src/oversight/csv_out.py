"""CSV for people who open it in a spreadsheet: a text cell that a spreadsheet would run as a
formula (it starts with =, +, -, @, a tab or a carriage return, and is not a number) is written
with a leading apostrophe, so `=HYPERLINK(...)` in a publisher's name field shows as text.

Every CSV Oversight writes (CLI, API, dashboard twins, static export) goes through these two
writers. A leaf module: it imports nothing from the rest of the package.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import Any

_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


class Writer:
    """``csv.writer`` whose text cells cannot be formulas."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """``csv.DictWriter`` whose text cells cannot be formulas."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: neutralise(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)
