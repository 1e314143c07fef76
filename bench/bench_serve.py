"""Load test: `oversight serve` on loopback at a fixed arrival rate, and its saturation rate.

Run from the repository root::

    .venv/bin/python bench/bench_serve.py --rate 500 [--duration 10] [--max-requests 5000]

A fresh store is built from the bundled NOF files in a temporary folder, and ``oversight serve``
is started on a free loopback port three times, one after another in the same run: as shipped
(kept responses answered before routing, ``fast path``), as before the fast path
(``--no-fast-path``: every request routed by FastAPI, the built bytes reused from the site's
memo), and with ``--no-response-cache`` (engine results still cached per quarter, but every
response rebuilt: the record assembled, JSON serialised, HTML rendered).

The server builds each response on its first request and keeps it, so every path is requested
once, untimed, before the load starts (and the run waits until the server has finished
computing ahead: every evaluation). Then, for the two cached servers, the saturation rate: each
endpoint at rising rates (x1.4 a step, ``--ramp-seconds`` each) until p99 reaches the target,
a request fails or the achieved rate falls below 95% of the asked one; the highest rate that
held is reported. Load is open-loop: request i is due at
``start + i / rate`` whatever happened to the earlier ones, and its latency is measured from
when it was due (so a stalled server is not hidden by a generator that politely waits: no
coordinated omission). Each endpoint runs for
``--duration`` seconds or ``--max-requests`` requests, whichever is fewer, after a short
warm-up. The generator (asyncio streams on uvloop when installed, 64 keep-alive connections)
runs on the same 2 cores as the server; its CPU time and the server's are reported, with the
load average, so their shares are visible. Figures go to stdout and ``bench/results/serve.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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

try:  # the generator costs less CPU a request on uvloop, leaving more of the cores to the server
    from uvloop import run as run_loop
except ImportError:  # pragma: no cover
    from asyncio import run as run_loop

ROOT = Path(__file__).resolve().parents[1]
NOF_DIR = ROOT / "data" / "nhs" / "nof"
RESULTS = ROOT / "bench" / "results" / "serve.json"
OVERSIGHT = Path(sys.executable).parent / "oversight"
TARGET_P99_MS = 20.0
TARGET_RATE = 500.0
SERVERS = {  # name -> extra `oversight serve` options
    "fast path": [],
    "routed (memo)": ["--no-fast-path"],
    "no response cache": ["--no-response-cache"],
}


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
    server_cpu_s: float
    load_average: float


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


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(db: Path, options: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    args = [str(OVERSIGHT), "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)]
    args += options
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
            # an overloaded server may already have reset the connection: closed either way
            with contextlib.suppress(OSError):
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


def wait_until_computed(url: str) -> float:
    """Wait for the server's background computations (every evaluation) to finish."""
    t0 = time.perf_counter()
    with httpx.Client(base_url=url, timeout=600) as client:
        while any(
            p["status"] == "being computed"
            for p in client.get("/api/v1/evaluations").json()["plans"]
        ):
            time.sleep(0.5)
    return time.perf_counter() - t0


def run_load(
    proc: subprocess.Popen[bytes], url: str, urls: list[str], rate: float, n: int
) -> tuple[list[float], int, float, float, float, float]:
    load0 = os.getloadavg()[0]
    server0 = cpu_seconds(proc.pid)
    lat, errors, elapsed, cpu = run_loop(load(url, urls, rate, n))
    server_cpu = cpu_seconds(proc.pid) - server0
    return lat, errors, elapsed, cpu, server_cpu, max(load0, os.getloadavg()[0])


def figures_of(
    name: str, server: str, n: int, result: tuple[list[float], int, float, float, float, float]
) -> Figures:
    lat, errors, elapsed, cpu, server_cpu, loadavg = result
    ms = np.array(lat) * 1000 if lat else np.array([float("nan")])
    return Figures(
        endpoint=name,
        server=server,
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
        server_cpu_s=round(server_cpu, 2),
        load_average=round(loadavg, 2),
    )


def held(f: Figures, rate: float) -> bool:
    return f.p99_ms < TARGET_P99_MS and f.errors == 0 and f.achieved_rps >= 0.95 * rate


def show(f: Figures) -> None:
    print(
        f"  {f.server:<18} {f.endpoint:<26} {f.ok:>5} ok {f.errors:>3} err "
        f"{f.achieved_rps:>7.1f} rps  p50 {f.p50_ms:>7.2f}  p99 {f.p99_ms:>8.2f}  "
        f"max {f.max_ms:>8.2f} ms  CPU server {f.server_cpu_s:.1f} s, generator "
        f"{f.generator_cpu_s:.1f} s of {f.seconds:.1f} s; load {f.load_average:.1f}",
        flush=True,
    )


def saturation(
    proc: subprocess.Popen[bytes],
    url: str,
    server: str,
    name: str,
    urls: list[str],
    start_rate: float,
    seconds: float,
) -> tuple[float, list[Figures]]:
    """From ``start_rate``, x1.4 a step while it holds (or /1.4 a step until it holds, if it
    does not at first); the highest rate that held (0 if none down to 50/s)."""
    rate, best, steps = start_rate, 0.0, []
    rising: bool | None = None
    while 50 <= rate <= 20_000:
        n = int(rate * seconds)
        f = figures_of(name, server, n, run_load(proc, url, urls, rate, n))
        steps.append(f)
        ok = held(f, rate)
        print(f"    {rate:>7.0f}/s: {'held ' if ok else 'broke'}", end="")
        show(f)
        if rising is None:
            rising = ok
        if ok:
            best = max(best, rate)
        if ok != rising:
            break
        rate = round(rate * 1.4 if rising else rate / 1.4, -1)
    return best, steps


def measure(
    db: Path,
    server: str,
    paths: dict[str, list[str]],
    rate: float,
    n: int,
    ramp_seconds: float | None,
) -> tuple[list[Figures], dict[str, float], list[Figures]]:
    proc, url = start(db, SERVERS[server])
    out, saturated, steps = [], {}, []
    try:
        # wait first: each computation ahead that finishes drops the kept responses
        waited = wait_until_computed(url)
        with httpx.Client(base_url=url, timeout=600) as client:
            for urls in paths.values():
                for path in urls:
                    client.get(path)
        print(f"{server}: computations ahead done after {waited:.1f} s; every path built")
        for name, urls in paths.items():
            out.append(figures_of(name, server, n, run_load(proc, url, urls, rate, n)))
            show(out[-1])
        if ramp_seconds:
            for name, urls in paths.items():
                best, ramp = saturation(proc, url, server, name, urls, rate, ramp_seconds)
                saturated[name] = best
                steps += ramp
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return out, saturated, steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="requests per second")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint")
    parser.add_argument("--max-requests", type=int, default=5000, help="cap per endpoint")
    parser.add_argument("--no-baseline", action="store_true", help="only the shipped server")
    parser.add_argument(
        "--ramp-seconds", type=float, default=3.0, help="seconds a saturation step (0: none)"
    )
    args = parser.parse_args()
    n = min(int(args.rate * args.duration), args.max_requests)
    servers = ["fast path"] if args.no_baseline else list(SERVERS)
    with tempfile.TemporaryDirectory(prefix="oversight-bench-") as tmp:
        db, codes, types = build_store(Path(tmp))
        paths = endpoints(codes, types)
        print(
            f"{len(codes)} organisations, {len(types)} trust type(s); {n} requests per endpoint "
            f"at {args.rate:g}/s on {os.cpu_count()} cores; load average "
            f"{os.getloadavg()[0]:.2f} at start"
        )
        runs = {}
        for server in servers:
            ramp = args.ramp_seconds if server != "no response cache" else None
            runs[server] = measure(db, server, paths, args.rate, n, ramp)
    print(
        f"\np50 / p99 ms at {args.rate:g}/s (saturation: highest rate held, p99 < "
        f"{TARGET_P99_MS:g} ms, no errors)"
    )
    print(f"{'endpoint':<27}" + "".join(f"{s:>30}" for s in servers))
    for i, name in enumerate(paths):
        cells = []
        for server in servers:
            f = runs[server][0][i]
            sat = runs[server][1].get(name)
            cells.append(
                f"{f.p50_ms:.1f} / {f.p99_ms:.1f}"
                + (f", sat {sat:.0f}/s" if sat is not None else "")
            )
        print(f"{name:<27}" + "".join(f"{c:>30}" for c in cells))
    shipped = runs["fast path"][0]
    met = all(held(f, args.rate) for f in shipped)
    print(
        f"\ntarget p99 < {TARGET_P99_MS:g} ms at {args.rate:g} rps, no errors (fast path): "
        f"{'met' if met else 'NOT met'}; load average {os.getloadavg()[0]:.2f} at end"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
                "rate": args.rate,
                "requests_per_endpoint": n,
                "servers": {
                    server: {
                        "figures": [asdict(f) for f in figures],
                        "saturation_rps": saturated,
                        "saturation_steps": [asdict(f) for f in steps],
                    }
                    for server, (figures, saturated, steps) in runs.items()
                },
                "target_met": met,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
