"""Time the ingest of every bundled monthly A&E file, against a plain pandas read of the same
files, side by side. Target: the whole folder in under 10 s (the CLI, cold, included).

    .venv/bin/python bench/bench_ae_ingest.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from oversight.ingest.ae_monthly import parse_ae_files
from oversight.ingest.manifest import read_manifest
from oversight.store import connect
from oversight.store.ae import store_ae_files

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "data" / "nhs" / "ae" / "monthly"
TARGET_S = 10.0


def best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(FOLDER.glob("*.csv"))
    size = sum(f.stat().st_size for f in files)

    parse_s = best(lambda: parse_ae_files(files), args.repeat)
    parsed = parse_ae_files(files)

    def store() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            con = connect(Path(tmp) / "b.duckdb")
            # the manifest says which files revise which (a file's name never does)
            store_ae_files(con, parsed, plan=read_manifest(FOLDER.parent / "MANIFEST.csv"))
            con.close()

    store_s = best(store, args.repeat)

    def pandas_read() -> None:
        for f in files:
            pd.read_csv(f, encoding="utf-8-sig")

    pandas_s = best(pandas_read, args.repeat)

    def cli() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [
                    str(Path(sys.executable).parent / "oversight"),
                    "--db",
                    f"{tmp}/c.duckdb",
                    "ae",
                    "ingest",
                    str(FOLDER),
                ],
                check=True,
                capture_output=True,
            )

    cli_s = best(cli, args.repeat)
    values = sum(p.values.num_rows for p in parsed)
    total = parse_s + store_s
    print(f"{len(files)} files, {size / 1e6:.1f} MB, {values:,} values (both releases)")
    print(f"{'stage':<46}{'oversight s':>12}{'pandas s':>10}{'ratio':>8}")
    print(
        f"{'read + check (oversight) / read_csv (pandas)':<46}{parse_s:>12.3f}{pandas_s:>10.3f}"
        f"{pandas_s / parse_s:>7.2f}x"
    )
    print(f"{'store, one transaction':<46}{store_s:>12.3f}{'-':>10}{'':>8}")
    print(
        f"{'ingest in process (read + check + store)':<46}{total:>12.3f}{pandas_s:>10.3f}"
        f"{pandas_s / total:>7.2f}x"
    )
    print(f"{'`oversight ae ingest FOLDER`, cold process':<46}{cli_s:>12.3f}{'-':>10}{'':>8}")
    print(f"values per second in process: {values / total:,.0f}")
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss_mib:.0f} MiB")
    print(
        f"target: whole folder under {TARGET_S:.0f} s from the command line: "
        f"{'met' if cli_s < TARGET_S else 'NOT met'} ({cli_s:.2f} s)"
    )


if __name__ == "__main__":
    main()
