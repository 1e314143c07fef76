"""A user's table of one number per organisation: turnover in £m, contract value in £.

Policies need figures the oversight files do not carry (a trust's turnover, to put its deficit
in £m; its contract value, to price payment by performance). The file is a CSV with a code
column and the named value column; every problem is reported with its line and field.
"""

from __future__ import annotations

from pathlib import Path

from oversight.errors import Problem, UserError
from oversight.ingest.csv_text import read_csv

CODE_COLUMNS = ("code", "trust_code", "ods_code", "org_code")


def read_org_values(path: Path, column: str) -> dict[str, float]:
    table = read_csv(path)
    header = [h.strip().lower() for h in table.header]
    code_col = next((header.index(c) for c in CODE_COLUMNS if c in header), None)
    problems = []
    if code_col is None:
        problems.append(Problem(f"no code column (one of {', '.join(CODE_COLUMNS)})", str(path), 1))
    if column not in header:
        problems.append(Problem(f"no {column!r} column", str(path), 1, column))
    if problems:
        raise UserError(f"Cannot read {path.name}", problems)
    assert code_col is not None
    value_col = header.index(column)
    out: dict[str, float] = {}
    for line, cells in table.rows:
        code = cells[code_col].strip().upper() if code_col < len(cells) else ""
        text = cells[value_col].strip().replace(",", "") if value_col < len(cells) else ""
        if not code:
            problems.append(Problem("no organisation code", str(path), line, header[code_col]))
            continue
        try:
            value = float(text)
        except ValueError:
            problems.append(Problem(f"{text!r} is not a number", str(path), line, column))
            continue
        if value < 0:
            problems.append(Problem(f"{value:g} is negative", str(path), line, column))
        elif code in out:
            problems.append(Problem(f"{code} appears twice", str(path), line, header[code_col]))
        out[code] = value
    if problems:
        raise UserError(f"Cannot read {path.name}", problems)
    return out
