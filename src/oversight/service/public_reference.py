"""NHS England's published results for acute and ambulance trusts, kept as a bundled reference
file for comparison only (it is not a NOF data file and never enters the store).

Q3 2025/26: ``data/nhs/nof/2025-26/reference/acute-ambulance-q3-25-26-published-values.csv``,
one row per trust with its average score, segment and rank (129 acute trusts and 1 ambulance).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from oversight.errors import Problem, UserError

REFERENCE_FILES = {"Q3 2025/26": "acute-ambulance-q3-25-26-published-values.csv"}
REFERENCE_DIR = ("data", "nhs", "nof", "2025-26", "reference")
TYPES = {"Acute trust": "acute", "Ambulance trust": "ambulance"}
REQUIRED = ("Trust_code", "Trust_name", "Trust_type", "Average_score", "Segment", "Rank")


@dataclass(frozen=True)
class PublishedStanding:
    trust_code: str
    trust_name: str
    trust_type: str  # acute, ambulance
    average_score: float
    segment: int
    rank: int
    in_financial_deficit: bool | None


def reference_file(quarter: str) -> Path | None:
    """The bundled reference file for a quarter, found from the checkout the package runs in."""
    name = REFERENCE_FILES.get(quarter)
    if name is None:
        return None
    for parent in Path(__file__).resolve().parents:
        candidate = parent.joinpath(*REFERENCE_DIR, name)
        if candidate.is_file():
            return candidate
    return None


def _number(text: str, path: Path, line: int, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise UserError(
            f"Bad published value in {path.name}",
            [Problem(f"{text!r} is not a number", path.name, line, name)],
        ) from None


def read_published(path: Path) -> list[PublishedStanding]:
    """Every acute and ambulance row of a reference file (other trust types are skipped)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        absent = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if absent:
            raise UserError(
                f"Not a published-values file: {path.name}",
                [Problem(f"no column {c}", path.name, 1, c) for c in absent],
            )
        out = []
        for line, row in enumerate(reader, start=2):
            trust_type = TYPES.get(row["Trust_type"].strip())
            if trust_type is None:
                continue
            deficit = (row.get("Trust_in_financial_deficit") or "").strip()
            out.append(
                PublishedStanding(
                    row["Trust_code"].strip().upper(),
                    row["Trust_name"].strip(),
                    trust_type,
                    _number(row["Average_score"], path, line, "Average_score"),
                    int(_number(row["Segment"], path, line, "Segment")),
                    int(_number(row["Rank"], path, line, "Rank")),
                    {"Yes": True, "No": False}.get(deficit),
                )
            )
    return out
