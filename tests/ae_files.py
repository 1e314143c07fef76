"""Helpers for A&E tests: the bundled monthly files, and malformed copies built from them."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from oversight.ingest.manifest import RevisionPlan, read_manifest

ROOT = Path(__file__).resolve().parents[1]
AE_DIR = ROOT / "data" / "nhs" / "ae" / "monthly"
AE_FILES = sorted(AE_DIR.glob("*.csv"))
SEP_2024 = AE_DIR / "Monthly-AE-September-2024.csv"  # trailing empty columns, 'Total' row
APR_2019 = AE_DIR / "Monthly-AE-April-2019-revised-220720-ab123.csv"  # blank-coded total row
AUG_2025 = AE_DIR / "August-2025-CSV-revised.csv"
JUL_2025_FIRST = AE_DIR / "July-2025-CSV-9jfy4.csv"
JUL_2025_REVISED = AE_DIR / "July-2025-CSV-revised.csv"


def ae_plan() -> RevisionPlan:
    """Which bundled files revise which (data/nhs/ae/MANIFEST.csv's supersedes column)."""
    return read_manifest(AE_DIR.parent / "MANIFEST.csv")


Rows = list[list[str]]
# month names as the files' Period column spells them (any case), to their numbers
_MONTH_NAMES = (
    "JANUARY FEBRUARY MARCH APRIL MAY JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER"
)
MONTH_NUMBER = {name: number for number, name in enumerate(_MONTH_NAMES.split(), start=1)}


@cache
def _read(path: Path) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        return tuple(next(reader)), tuple(tuple(r) for r in reader)


def real_rows(path: Path = AUG_2025) -> tuple[list[str], Rows]:
    header, rows = _read(path)
    return list(header), [list(r) for r in rows]


def write_csv(
    path: Path, header: list[str], rows: Rows, crlf: bool = True, bom: bool = True
) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n" if crlf else "\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def provider_index(rows: Rows, code: str) -> int:
    return next(i for i, r in enumerate(rows) if r[1].strip() == code)
