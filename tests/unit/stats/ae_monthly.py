"""Reading the bundled monthly A&E files for the statistics tests (type 1 counts by provider)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.ae_files import AE_DIR, MONTH_NUMBER

ATTENDED = "A&E attendances Type 1"
OVER_4H = "Attendances over 4hrs Type 1"


def month_of(period: str) -> str:
    _, month, year = period.strip().upper().split("-")
    return f"{year}-{MONTH_NUMBER[month]:02d}"


FIRST, LAST = "2024-01", "2025-12"


def latest_files(first: str = FIRST, last: str = LAST) -> list[Path]:
    """The latest release of each month from ``first`` to ``last`` (data/nhs/ae/MANIFEST.csv);
    column names are stable over 2024-25."""
    with (AE_DIR.parent / "MANIFEST.csv").open(encoding="utf-8", newline="") as f:
        return [
            AE_DIR.parent.parent / row["file"]
            for row in csv.DictReader(f)
            if first <= row["period"] <= last and "superseded" not in row["dataset"]
        ]


def type1_counts() -> dict[str, dict[str, tuple[float, float]]]:
    """month -> provider code -> (attendances over 4 hours, attendances), type 1 only."""
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for path in latest_files():
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                code = (row.get("Org Code") or "").strip()
                if not code or code.upper() == "TOTAL" or not row.get("Period"):
                    continue
                attended = float(row[ATTENDED] or 0)
                if attended > 0:
                    month = month_of(row["Period"])
                    out.setdefault(month, {})[code] = (float(row[OVER_4H] or 0), attended)
    return out
