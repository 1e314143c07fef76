"""Peak memory of ingesting a large NOF data file and a large monthly A&E file, as a multiple
of the file's size, beside pandas' ``read_csv`` of the same file.

    .venv/bin/python bench/bench_ingest_memory.py [--nof-mb 200] [--ae-mb 50] [--keep DIR] [--fixed]
    .venv/bin/python bench/bench_ingest_memory.py --bundled

``--bundled`` measures instead the largest bundled file of every other reader (cancer waiting
times, DM01, AmbSYS, the staff survey, ODS successions) the same way, above the readers'
imports and the open store, against the file's size and, for a zipped workbook (xlsx), the size
of what it unzips to, which is what the spreadsheet library reads.

The large files are generated from the bundled ones by replicating their rows under new
organisation codes (so every check still passes: no duplicate rows, ranks within the number of
trusts, the A&E England total row recomputed as the providers' sum). Each measurement runs in a
fresh subprocess (``--child``) and reports that process's peak resident set
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) and its resident set after the imports, so the
figure is the ingest's own high-water mark, not the parent's. The ingest is the whole of
``oversight ingest FILE``: recognise, parse and check, store into a fresh DuckDB store.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOF = (
    ROOT
    / "data/nhs/nof/2025-26"
    / ("nhs-oversight-framework-mental-health-and-community-trust-data-q4-25-26.csv")
)
AE = ROOT / "data/nhs/ae/monthly/August-2025-CSV-revised.csv"
MB = 1024 * 1024
BUNDLED = [
    ROOT / "data/nhs/cancer/CWT-CRS-Oct-2024-to-Mar-2025-Data-Extract-Provider.xlsx",
    ROOT / "data/nhs/ambulance/AmbSYS-Time-Series-until-20250831.xlsx",
    ROOT / "data/nhs/staff-survey/NSS24 detailed spreadsheets organisational results.xlsx",
    ROOT / "data/nhs/diagnostics/Monthly-Diagnostics-Web-File-Provider-May-2025.xls",
    ROOT / "data/nhs/ods/succ.csv",
]


def code(n: int) -> str:
    """A distinct 6-character organisation code for the n-th replicated organisation."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(5):
        n, d = divmod(n, 36)
        out = digits[d] + out
    return "Z" + out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def make_nof(path: Path, megabytes: float) -> None:
    """The mental health data file, its 61 trusts replicated under new codes."""
    with NOF.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    code_col = header.index("Trust_code")
    trusts = {c: i for i, c in enumerate(sorted({r[code_col] for r in body}))}
    size = NOF.stat().st_size
    replicas = max(1, round(megabytes * MB / size))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for k in range(replicas):
            for r in body:
                copy = list(r)
                copy[code_col] = code(k * len(trusts) + trusts[r[code_col]])
                writer.writerow(copy)


def make_ae(path: Path, megabytes: float) -> None:
    """August 2025's providers replicated under new codes, with an England total
    row that is their sum."""
    with AE.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    providers = [r for r in body if r[1].strip().upper() != "TOTAL"]
    total = next(r for r in body if r[1].strip().upper() == "TOTAL")
    replicas = max(1, round(megabytes * MB / AE.stat().st_size))
    sums = [0] * (len(header) - 4)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for k in range(replicas):
            for j, r in enumerate(providers):
                writer.writerow([r[0], code(k * len(providers) + j), *r[2:]])
                sums = [s + int(v or 0) for s, v in zip(sums, r[4:], strict=True)]
        writer.writerow([*total[:4], *map(str, sums)])


def child(what: str, path: Path, fixed: bool) -> None:
    """One measurement, in this (fresh) process; prints a JSON line. With ``fixed``, the
    readers' modules (and Arrow's compute functions they load) are imported and the fresh
    store opened before the second baseline (``ready_mb``) is taken."""
    if what == "pandas":
        import pandas as pd

        before = ready = rss_mb()
        start = time.perf_counter()
        frame = pd.read_csv(path, encoding="utf-8-sig")
        rows = len(frame)
    else:
        from oversight.frameworks import load_framework
        from oversight.service.ingest import ingest_plan
        from oversight.service.ingest_plan import recognise_paths
        from oversight.store import connect

        framework = load_framework()
        before = rss_mb()
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            con = connect(Path(tmp) / "s.duckdb")
            if fixed:  # what any ingest costs, whatever the file's size: measured apart
                import oversight.ingest.nof
                import oversight.ingest.readers.ae_monthly  # noqa: F401

                ready = rss_mb()
                start = time.perf_counter()
            else:
                ready = before
            result = ingest_plan(con, recognise_paths([path]), framework)
            con.close()
        rows = len(result.files)
    seconds = time.perf_counter() - start
    found = {"before_mb": before, "ready_mb": ready, "peak_mb": rss_mb(), "seconds": seconds}
    print(json.dumps({**found, "n": rows}))


def measure(what: str, path: Path, fixed: bool) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", what, str(path), *(["--fixed"] if fixed else [])],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{what} on {path.name} failed:\n{done.stderr[-3000:]}")
    found: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nof-mb", type=float, default=200.0)
    parser.add_argument("--ae-mb", type=float, default=50.0)
    parser.add_argument("--keep", type=Path, help="write the generated files here and keep them")
    parser.add_argument(
        "--fixed",
        action="store_true",
        help="also take a baseline after importing the readers and opening the store, and "
        "report the ingest above it",
    )
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--bundled", action="store_true", help="measure the largest bundled file of each reader"
    )
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), args.fixed)
        return
    if args.bundled:
        bundled()
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for name, make, mb in (
            ("nof-data.csv", make_nof, args.nof_mb),
            ("ae.csv", make_ae, args.ae_mb),
        ):
            if mb > 0:
                path = folder / name
                make(path, mb)
                files.append(path)
        print(
            f"{'file':<14}{'size MB':>9}{'tool':>10}{'peak MB':>9}{'after import':>14}"
            f"{'x size':>8}{'x size (ingest)':>17}{'seconds':>9}"
            + (f"{'readers+store':>15}{'x size (above)':>16}" if args.fixed else "")
        )
        for path in files:
            size = path.stat().st_size / MB
            for what in ("oversight", "pandas"):
                m = measure(what, path, args.fixed)
                above = (
                    f"{m['ready_mb']:>15.0f}{(m['peak_mb'] - m['ready_mb']) / size:>16.2f}"
                    if args.fixed
                    else ""
                )
                print(
                    f"{path.name:<14}{size:>9.1f}{what:>10}{m['peak_mb']:>9.0f}{m['before_mb']:>14.0f}"
                    f"{m['peak_mb'] / size:>8.2f}{(m['peak_mb'] - m['before_mb']) / size:>17.2f}"
                    f"{m['seconds']:>9.1f}{above}",
                    flush=True,
                )


def bundled() -> None:
    """Every other reader's largest bundled file: peak above the readers' imports and the
    open store, as a multiple of the file's size and of its unzipped size."""
    print(f"{'file':<58}{'MB':>6}{'unzipped':>10}{'above MB':>10}{'x size':>8}{'x unzipped':>12}")
    for path in BUNDLED:
        size = path.stat().st_size / MB
        unzipped = size
        if path.suffix == ".xlsx":  # a zip of XML parts
            with zipfile.ZipFile(path) as book:
                unzipped = sum(i.file_size for i in book.infolist()) / MB
        m = measure("oversight", path, fixed=True)
        above = m["peak_mb"] - m["ready_mb"]
        print(
            f"{path.name[:57]:<58}{size:>6.1f}{unzipped:>10.1f}{above:>10.0f}"
            f"{above / size:>8.1f}{above / unzipped:>12.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
