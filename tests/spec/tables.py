"""Read the small pipe tables spec tests write their input records in (ehrQL style)."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

from oversight.engine.patient_level import RECORD_SCHEMA

COLUMNS = {
    "provider": "provider",
    "type": "department_type",
    "arrival": "arrival",
    "departure": "departure",
    "dta": "decision_to_admit",
    "admitted": "admitted",
    "booked": "booked",
}
FLAGS = {"y": True, "n": False, "": None}


def _time(text: str) -> datetime | None:
    if not text:
        return None
    fmt = "%Y-%m-%d %H:%M:%S" if text.count(":") == 2 else "%Y-%m-%d %H:%M"
    return datetime.strptime(text, fmt)


def parse_records(text: str, prefix: str = "") -> pa.Table:
    """``| provider | type | arrival | departure | dta | admitted | booked |`` rows; blank cells
    are missing; flags are y/n. ``prefix`` is put before each provider code, so that many specs
    can run as one batch and be told apart afterwards."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    header = [h.strip() for h in lines[0].strip("|").split("|")]
    data: dict[str, list[object]] = {COLUMNS[h]: [] for h in header}
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        for name, cell in zip(header, cells, strict=True):
            col = COLUMNS[name]
            if col == "provider":
                data[col].append(prefix + cell)
            elif col == "department_type":
                data[col].append(int(cell))
            elif col in ("admitted", "booked"):
                data[col].append(FLAGS[cell])
            else:
                data[col].append(_time(cell))
    n = len(lines) - 1
    columns = {f.name: data.get(f.name, [None] * n) for f in RECORD_SCHEMA}
    columns["site"] = [None] * n
    return pa.table(columns, schema=RECORD_SCHEMA)
