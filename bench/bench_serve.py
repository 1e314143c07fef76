"""Load test: `oversight serve` on loopback at a fixed arrival rate, cached against uncached.

Run from the repository root::

    .venv/bin/python bench/bench_serve.py [--rate 200] [--duration 10] [--max-requests 4000]

A fresh store is built from the bundled NOF files in a temporary folder, and ``oversight serve``
is started on a free loopback port twice: as shipped (engine results and built responses kept
in memory) and, as the baseline, with ``--no-response-cache`` (engine results still cached per
quarter, but every response is rebuilt: the record assembled, JSON serialised, HTML rendered).

The server builds each response on its first request and keeps it, so every path is requested
once, untimed, before the load starts. Load is open-loop: request i is due at
``start + i / rate`` whatever happened to the earlier ones, and its latency is measured from
when it was due (so a stalled server is not hidden by a generator that politely waits: no
coordinated omission). Each endpoint runs for
``--duration`` seconds or ``--max-requests`` requests, whichever is fewer, after a short
warm-up. The generator (asyncio streams, 64 keep-alive connections) runs on the same 2 cores
as the server; its CPU time is reported so that share is visible. Figures go to stdout and
``bench/results/serve.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from itertools import cycle
from pathlib import Path

import httpx
import numpy as np

from oversight.frameworks import load_framework
from oversight.ingest.nof import parse_nof_file
from oversight.store import connect
from oversight.store.releases import store_file

ROOT = Path(__file__).resolve().parents[1]
NOF_DIR = ROOT / "data" / "nhs" / "nof"
RESULTS = ROOT / "bench" / "results" / "serve.json"
OVERSIGHT = Path(sys.executable).parent / "oversight"
TARGET_P99_MS = 50.0
TARGET_RATE = 200.0


@dataclass
class Figures:
    endpoint: str
    server: str
    due: int
    ok: int
    errors: int
    seconds: float
    achieved_rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    generator_cpu_s: float


def build_store(folder: Path) -> tuple[Path, list[str], list[str]]:
    db = folder / "bench.duckdb"
    framework = load_framework()
    con = connect(db)
    for f in sorted(f for f in NOF_DIR.rglob("*.csv") if "reference" not in f.parts):
        store_file(con, parse_nof_file(f, framework))
    codes = [c for (c,) in con.execute("SELECT DISTINCT trust_code FROM nof_league_row").fetchall()]
    types = [t for (t,) in con.execute("SELECT DISTINCT trust_type FROM nof_league_row").fetchall()]
    con.close()
    return db, sorted(codes), sorted(types)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start(db: Path, cached: bool) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    args = [str(OVERSIGHT), "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)]
    if not cached:
        args.append("--no-response-cache")
    env = {k: v for k, v in os.environ.items() if k != "OVERSIGHT_ADMIN_TOKEN"}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/quarters", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("oversight serve did not start")


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams.

    httpx's async client costs about a millisecond of CPU a request and, once requests queue,
    its connection pool slows down further; on two shared cores that measured the generator,
    not the server. GET with a Content-Length response (what uvicorn sends) is all we need.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n"
        self.writer.write(request.encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next(
            int(line.split(":", 1)[1])
            for line in lines
            if line.lower().startswith("content-length:")
        )
        await self.reader.readexactly(length)
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def load(
    url: str, paths: list[str], rate: float, n: int, workers: int = 64
) -> tuple[list[float], int, float, float]:
    """Send n requests, request i due at start + i/rate; latencies (s) measured from due time.

    ``workers`` connections take the next due request as soon as they are free; a request
    that finds them all busy waits, and the wait counts in its latency.
    """
    host, port = url.removeprefix("http://").split(":")
    conns = [Connection(host, int(port)) for _ in range(workers)]
    for c, p in zip(conns, cycle(paths), strict=False):  # open and warm every connection
        await c.get(p)
    latencies: list[float] = []
    errors = 0
    next_index = 0
    start = time.perf_counter() + 0.1

    async def worker(conn: Connection) -> None:
        nonlocal errors, next_index
        while next_index < n:
            i = next_index
            next_index += 1
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                ok = await conn.get(paths[i % len(paths)]) == 200
            except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration):
                ok = False
                await conn.close()
                conn.writer = None
            if ok:
                latencies.append(time.perf_counter() - due)
            else:
                errors += 1

    cpu0 = time.process_time()
    await asyncio.gather(*(worker(c) for c in conns))
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    for c in conns:
        await c.close()
    return latencies, errors, elapsed, cpu


def endpoints(codes: list[str], types: list[str]) -> dict[str, list[str]]:
    quarters = ["2025-26-q1", "2025-26-q2", "2025-26-q3", "2025-26-q4"]
    return {
        "league table (API JSON)": [
            f"/api/v1/league-tables?quarter={q}&trust_type={t}&limit=100"
            for q in quarters
            for t in types
        ],
        "organisation (API JSON)": [
            f"/api/v1/organisations/{c}?quarter={q}" for c in codes for q in quarters
        ],
        "league table (HTML page)": [f"/{q}/league/{t}.html" for q in quarters for t in types],
        "organisation (HTML page)": [f"/{q}/org/{c}.html" for c in codes for q in quarters],
    }


def measure(
    db: Path, cached: bool, paths: dict[str, list[str]], rate: float, n: int
) -> list[Figures]:
    proc, url = start(db, cached)
    out = []
    try:
        # the server builds each response on its first request: build them all before timing
        with httpx.Client(base_url=url, timeout=120) as client:
            for urls in paths.values():
                for path in urls:
                    client.get(path)
        for name, urls in paths.items():
            lat, errors, elapsed, cpu = asyncio.run(load(url, urls, rate, n))
            ms = np.array(lat) * 1000 if lat else np.array([float("nan")])
            out.append(
                Figures(
                    endpoint=name,
                    server="cached" if cached else "no response cache",
                    due=n,
                    ok=len(lat),
                    errors=errors,
                    seconds=round(elapsed, 2),
                    achieved_rps=round(len(lat) / elapsed, 1),
                    p50_ms=round(float(np.percentile(ms, 50)), 2),
                    p90_ms=round(float(np.percentile(ms, 90)), 2),
                    p99_ms=round(float(np.percentile(ms, 99)), 2),
                    max_ms=round(float(ms.max()), 2),
                    generator_cpu_s=round(cpu, 2),
                )
            )
            f = out[-1]
            print(
                f"  {f.server:<18} {name:<26} {f.ok:>5} ok {f.errors:>3} err "
                f"{f.achieved_rps:>6.1f} rps  p50 {f.p50_ms:>7.2f}  p99 {f.p99_ms:>8.2f}  "
                f"max {f.max_ms:>8.2f} ms  (generator CPU {f.generator_cpu_s:.1f} s "
                f"of {f.seconds:.1f} s)",
                flush=True,
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="requests per second")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint")
    parser.add_argument("--max-requests", type=int, default=4000, help="cap per endpoint")
    parser.add_argument("--no-baseline", action="store_true", help="skip the uncached run")
    args = parser.parse_args()
    n = min(int(args.rate * args.duration), args.max_requests)
    with tempfile.TemporaryDirectory(prefix="oversight-bench-") as tmp:
        db, codes, types = build_store(Path(tmp))
        paths = endpoints(codes, types)
        print(
            f"{len(codes)} organisations, {len(types)} trust type(s); {n} requests per endpoint "
            f"at {args.rate:g}/s on {os.cpu_count()} cores"
        )
        figures = measure(db, True, paths, args.rate, n)
        baseline = [] if args.no_baseline else measure(db, False, paths, args.rate, n)
    print("\nendpoint                    cached p50/p99 ms     uncached p50/p99 ms   p99 ratio")
    for f, b in zip(figures, baseline or [None] * len(figures), strict=True):
        base = f"{b.p50_ms:>7.2f} / {b.p99_ms:>7.2f}" if b else "      –"
        ratio = f"{b.p99_ms / f.p99_ms:>6.1f}x" if b and f.p99_ms > 0 else ""
        print(f"{f.endpoint:<27} {f.p50_ms:>7.2f} / {f.p99_ms:>7.2f}   {base}   {ratio}")
    met = all(
        f.p99_ms < TARGET_P99_MS and f.errors == 0 and f.achieved_rps >= 0.95 * args.rate
        for f in figures
    )
    print(
        f"\ntarget p99 < {TARGET_P99_MS:g} ms at {args.rate:g} rps, no errors: "
        f"{'met' if met else 'NOT met'}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "rate": args.rate,
                "requests_per_endpoint": n,
                "cached": [asdict(f) for f in figures],
                "no_response_cache": [asdict(b) for b in baseline],
                "target_met": met,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
