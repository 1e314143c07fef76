"""Time `oversight ingest` of every bundled publication (cold, into a fresh store), against a
plain pandas read of the same files concatenated into one long frame, side by side.

The bundled files: the NOF 2025/26 data file and league table (not ``reference/``), 98 monthly
A&E CSVs, three cancer waiting times extracts, twelve DM01 workbooks (xls), the AmbSYS time
series, the 2024 staff survey workbook and four ODS/ONS reference CSVs.

The pandas baseline reads what the readers read (every CSV; of a workbook, the sheets its
collection declares) with ``read_csv`` / ``read_excel(engine="calamine")`` (the same spreadsheet
parser the readers use), without headers, melts each sheet to (file, sheet, row, column, value)
and concatenates them: no checks, no recognition, no store.

    .venv/bin/python bench/bench_ingest_all.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from oversight.frameworks import load_framework
from oversight.frameworks.collections import bundled_collections
from oversight.ingest.release import ParsedRelease
from oversight.service.ingest import parse_plan, store_parsed
from oversight.service.ingest_plan import IngestPlan, recognise_paths
from oversight.store import connect

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "nhs"
SOURCES = [
    *sorted((DATA / "nof" / "2025-26").glob("*.csv")),
    *(DATA / f for f in ("ae/monthly", "cancer", "diagnostics", "ambulance", "staff-survey")),
    DATA / "ods",
]


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def pandas_long(plan: IngestPlan) -> pd.DataFrame:
    """Every cell of every file (the declared sheets of a workbook) in one long frame."""
    sheets = {c.id: c.recognise.sheets for c in bundled_collections()}
    parts = []
    for planned in plan.files:
        path = planned.path
        if path.suffix.casefold() == ".csv":
            frames = {"": pd.read_csv(path, header=None, encoding="utf-8-sig", low_memory=False)}
        else:
            frames = pd.read_excel(
                path, sheet_name=sheets[planned.kind] or None, header=None, engine="calamine"
            )
        for sheet, frame in frames.items():
            long = frame.melt(ignore_index=False, var_name="column").dropna(subset=["value"])
            parts.append(long.reset_index(names="row").assign(file=path.name, sheet=sheet))
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    framework = load_framework()

    recognise_s = best(lambda: recognise_paths(SOURCES), args.repeat)
    plan = recognise_paths(SOURCES)
    size = sum(p.path.stat().st_size for p in plan.files)
    parse_s = best(lambda: parse_plan(plan, framework), args.repeat)
    parsed = parse_plan(plan, framework)

    def store() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            con = connect(Path(tmp) / "b.duckdb")
            store_parsed(con, parsed)
            con.close()

    store_s = best(store, args.repeat)
    pandas_s = best(lambda: pandas_long(plan), args.repeat)
    cells = len(pandas_long(plan))

    def cli() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [
                    str(Path(sys.executable).parent / "oversight"),
                    "--db",
                    f"{tmp}/c.duckdb",
                    "ingest",
                    *map(str, SOURCES),
                ],
                check=True,
                capture_output=True,
            )

    cli_s = best(cli, args.repeat)
    values = sum(
        p.long_values().num_rows if isinstance(p, ParsedRelease) else len(p) for p in parsed
    )
    total = recognise_s + parse_s + store_s
    kinds = sorted({p.kind for p in plan.files})
    print(f"{len(plan.files)} files of {len(kinds)} kinds, {size / 1e6:.1f} MB")
    print(f"oversight stores {values:,} values; pandas' long frame has {cells:,} cells")
    print(f"{'stage':<50}{'oversight s':>12}{'pandas s':>10}{'ratio':>8}")
    print(f"{'recognise by content':<50}{recognise_s:>12.3f}{'-':>10}{'':>8}")
    print(
        f"{'read + check (oversight) / read + melt + concat':<50}{parse_s:>12.3f}"
        f"{pandas_s:>10.3f}{pandas_s / parse_s:>7.2f}x"
    )
    print(f"{'store, one transaction, fresh store':<50}{store_s:>12.3f}{'-':>10}{'':>8}")
    print(
        f"{'ingest in process (recognise + check + store)':<50}{total:>12.3f}{pandas_s:>10.3f}"
        f"{pandas_s / total:>7.2f}x"
    )
    print(f"{'`oversight ingest ...`, cold process':<50}{cli_s:>12.3f}{'-':>10}{'':>8}")
    print(f"values per second in process: {values / total:,.0f}")
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
