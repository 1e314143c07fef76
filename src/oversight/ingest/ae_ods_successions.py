"""The ODS succession file (``succ.csv``, NHS Digital / NHS England Organisation Data Service):
which organisation code succeeded which, and from when.

No header; five quoted columns: predecessor code, successor code, reason for succession (blank
in the bundled file), effective date (CCYYMMDD, the legal date) and the succession indicator
(``1`` where the successor is the primary one of several). Every row is checked; a bad row is
refused naming the file, line and field.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from oversight.errors import Problem, UserError
from oversight.periods import Month

FIELDS = ("predecessor", "successor", "reason", "effective date", "indicator")


@dataclass(frozen=True)
class OdsSuccession:
    predecessor: str
    successor: str
    effective: date  # the legal date the successor took over
    primary: bool
    line: int

    @property
    def effective_month(self) -> str:
        return str(Month.of(self.effective))


def read_ods_successions(path: Path) -> list[OdsSuccession]:
    out: list[OdsSuccession] = []
    problems: list[Problem] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise UserError(f"Cannot read {path}", [Problem(str(exc), str(path))]) from None
    for line, row in enumerate(rows, start=1):
        if len(row) != len(FIELDS):
            problems.append(Problem(f"{len(row)} fields, expected 5", str(path), line))
            continue
        old, new, _, when, flag = (c.strip() for c in row)
        try:
            effective = date(int(when[:4]), int(when[4:6]), int(when[6:8]))
        except ValueError:
            problems.append(Problem(f"{when!r} is not CCYYMMDD", str(path), line, FIELDS[3]))
            continue
        if flag not in ("0", "1"):
            problems.append(Problem(f"{flag!r} is not 0 or 1", str(path), line, FIELDS[4]))
            continue
        out.append(OdsSuccession(old.upper(), new.upper(), effective, flag == "1", line))
    if problems:
        raise UserError(f"{path.name} was refused", problems)
    return out
