"""Start-up cost of the CLI and the server, side by side with a bare ``import typer``.

Run from the repository root::

    .venv/bin/python bench/bench_startup.py [--runs 7] [--serve-runs 3]

A store is built in a temporary folder from the bundled NOF files (``oversight ingest``), then
each of these is run ``--runs`` times as a fresh process, interleaved (one of each per round,
so a burst of load on the shared machine hits all of them alike), and the median wall time is
reported with its ratio to the first:

* ``python -c "import typer"``: the floor any Typer CLI pays;
* ``oversight --help``: lists every command (target: within 3x the floor);
* ``oversight league-table -t "Mental health and community trust"``: a real command, imports
  the engine, reads the store and computes the latest quarter with exact likely ranges.

Then ``oversight serve`` is started ``--serve-runs`` times on a free loopback port and the time
from process start to the first 200 response is measured, for the home page (``/``, built on
first request) and for ``/api/v1/quarters``, each in a fresh server (target: within 2 s).
Figures go to stdout and ``bench/results/startup.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOF_DIR = ROOT / "data" / "nhs" / "nof"
RESULTS = ROOT / "bench" / "results" / "startup.json"
PYTHON = sys.executable
OVERSIGHT = str(Path(sys.executable).parent / "oversight")
MH = "Mental health and community trust"
TARGET_HELP_RATIO = 3.0
TARGET_SERVE_S = 2.0


def environment() -> dict[str, str]:
    drop = ("OVERSIGHT_DB", "OVERSIGHT_ADMIN_TOKEN", "COLUMNS", "LINES")
    return {k: v for k, v in os.environ.items() if k not in drop}


def build_store(folder: Path) -> Path:
    db = folder / "startup.duckdb"
    # reference/ holds published values kept for comparison, not files to ingest
    files = sorted(str(f) for f in NOF_DIR.rglob("*.csv") if "reference" not in f.parts)
    subprocess.run(
        [OVERSIGHT, "--db", str(db), "ingest", *files],
        check=True,
        capture_output=True,
        env=environment(),
    )
    return db


def wall(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def first_response(db: Path, path: str, env: dict[str, str], timeout: float = 60.0) -> float:
    """Seconds from starting ``oversight serve`` to the first 200 for ``path``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}{path}"
    args = [OVERSIGHT, "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)]
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    if response.status == 200:
                        return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.01)  # not listening yet
        raise SystemExit(f"oversight serve gave no 200 for {path} within {timeout:g} s")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command")
    parser.add_argument("--serve-runs", type=int, default=3, help="server starts per path")
    args = parser.parse_args()
    env = environment()
    with tempfile.TemporaryDirectory(prefix="oversight-startup-") as tmp:
        db = build_store(Path(tmp))
        commands = {
            'python -c "import typer"': [PYTHON, "-c", "import typer"],
            "oversight --help": [OVERSIGHT, "--help"],
            f'oversight league-table -t "{MH}"': [
                OVERSIGHT,
                "--db",
                str(db),
                "league-table",
                "-t",
                MH,
            ],  # fmt: skip
        }
        for argv in commands.values():  # once untimed: page cache, .pyc files
            wall(argv, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                times[name].append(wall(argv, env))
        serve: dict[str, list[float]] = {"/": [], "/api/v1/quarters": []}
        for _ in range(args.serve_runs):
            for path in serve:
                serve[path].append(first_response(db, path, env))
    floor = statistics.median(times['python -c "import typer"'])
    print(
        f"median of {args.runs} runs each, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"{'command':<62} {'median s':>9} {'min s':>7} {'x typer':>8}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:<62} {med:>9.3f} {min(ts):>7.3f} {med / floor:>7.1f}x")
    help_ratio = statistics.median(times["oversight --help"]) / floor
    print(f"\noversight serve, process start to first 200 (median of {args.serve_runs} starts)")
    for path, ts in serve.items():
        print(f"  GET {path:<24} {statistics.median(ts):>7.3f} s  (max {max(ts):.3f} s)")
    worst_serve = max(max(ts) for ts in serve.values())
    print(
        f"\ntargets: --help within {TARGET_HELP_RATIO:g}x import typer: "
        f"{'met' if help_ratio <= TARGET_HELP_RATIO else 'NOT met'} ({help_ratio:.1f}x); "
        f"first response within {TARGET_SERVE_S:g} s: "
        f"{'met' if worst_serve <= TARGET_SERVE_S else 'NOT met'} ({worst_serve:.2f} s worst)"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "runs": args.runs,
                "commands_s": times,
                "serve_first_200_s": serve,
                "help_ratio": help_ratio,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
