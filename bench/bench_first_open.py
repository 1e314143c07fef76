"""First-open times of every page kind on a fresh `oversight serve`.

Run from the repository root::

    .venv/bin/python bench/bench_first_open.py [--store PATH]

A store of every bundled publication is made with ``oversight demo --no-serve`` in a temporary
folder (or ``--store`` names one already made). A first server is crawled from its home page to
find one page of each kind (league table, organisation, metric, A&E series, funnel, ICB, the
modelled public pages, consequences, ...) and every evaluation page. Then, twice, a fresh
server is started and each of those pages is opened once, in turn, and timed: the first time
straight after the server answers (its background computations still running: an evaluation
not done yet answers 202 "being computed" at once), the second time after the server says its
computations ahead are done (what every visitor after the first minute sees). Each page is
built on its first request, so both are first opens. Figures go to stdout and
``bench/results/first_open.json`` (git-ignored).

Target (issue 16): no page takes more than about a second to open on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_serve import start  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "first_open.json"
OVERSIGHT = Path(sys.executable).parent / "oversight"
Q = r"/\d{4}-\d{2}-q[1-4]"
KINDS = {  # page kind -> path pattern (on the live server)
    "home": r"^/$",
    "search": r"^/search\.html$",
    "league table": rf"^{Q}/league/[^/]+\.html$",
    "organisation": rf"^{Q}/org/[^/]+\.html$",
    "metric": rf"^{Q}/metric/[^/]+\.html$",
    "consequences": rf"^{Q}/consequences\.html$",
    "A&E index": r"^/ae/index\.html$",
    "A&E series": r"^/ae/(?!funnel/)[^/]+/[^/]+\.html$",
    "A&E funnel": r"^/ae/funnel/[^/]+/[^/]+\.html$",
    "ICB list": r"^/icbs/[^/]+\.html$",
    "ICB": r"^/icbs/[^/]+/[^/]+\.html$",
    "public index": r"^/public/index\.html$",
    "public league": r"^/public/[^/]+/league/[^/]+\.html$",
    "public metric": r"^/public/[^/]+/metric/[^/]+/[^/]+\.html$",
    "public compare": r"^/public/[^/]+/compare\.html$",
    "evaluations index": r"^/evaluations/index\.html$",
}
EVALUATION = re.compile(r"^/evaluations/(?!index\.)[a-z0-9_]+\.html$")
HREF = re.compile(r'href="([^"#?]+)"')


def make_store(folder: Path) -> Path:
    db = folder / "first-open.duckdb"
    t0 = time.perf_counter()
    subprocess.run(
        [str(OVERSIGHT), "--db", str(db), "demo", "--no-serve"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print(f"store of every bundled publication made in {time.perf_counter() - t0:.0f} s")
    return db


def wait_ready(client: httpx.Client) -> None:
    while any(
        p["status"] == "being computed" for p in client.get("/api/v1/evaluations").json()["plans"]
    ):
        time.sleep(0.5)


def crawl(db: Path, limit: int = 400) -> dict[str, str]:
    """One path of each kind, and every evaluation page (kind ``evaluation: PLAN``)."""
    proc, url = start(db, [])
    found: dict[str, str] = {}
    try:
        with httpx.Client(base_url=url, timeout=600) as client:
            # the ICB pages are linked from nothing on a store of one trust type: start there too
            latest = client.get("/api/v1/quarters").json()[-1]["slug"]
            queue, seen, visited = ["/", f"/icbs/{latest}.html"], {"/"}, 0
            while queue and visited < limit:
                path = queue.pop(0)
                visited += 1
                for kind, pattern in KINDS.items():
                    if kind not in found and re.match(pattern, path):
                        found[kind] = path
                if EVALUATION.match(path):
                    found[f"evaluation: {path.rsplit('/', 1)[1].removesuffix('.html')}"] = path
                r = client.get(path)
                if r.status_code != 200 or "html" not in r.headers.get("content-type", ""):
                    continue
                for href in HREF.findall(r.text):
                    target = urlsplit(urljoin(url + path, href)).path
                    if target.endswith(".html") and target not in seen:
                        seen.add(target)
                        # a new kind first: the crawl need not visit every organisation
                        new = not any(re.match(p, target) for k, p in KINDS.items() if k in found)
                        queue.insert(0, target) if new else queue.append(target)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    missing = [k for k in KINDS if k not in found]
    if missing:
        print(f"no page found of kind(s): {', '.join(missing)}")
    return found


def open_each(db: Path, pages: dict[str, str], after_ready: bool) -> dict[str, object]:
    t0 = time.perf_counter()
    proc, url = start(db, [])
    listening = time.perf_counter() - t0
    times: dict[str, dict[str, float | int]] = {}
    try:
        with httpx.Client(base_url=url, timeout=600) as client:
            if after_ready:
                wait_ready(client)
            ready_at = time.perf_counter() - t0 if after_ready else None
            for kind, path in pages.items():
                t = time.perf_counter()
                r = client.get(path)
                times[kind] = {
                    "seconds": round(time.perf_counter() - t, 3),
                    "status": r.status_code,
                }
            if not after_ready:
                wait_ready(client)
                ready_at = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {
        "listening_s": round(listening, 2),
        "computed_ahead_s": round(ready_at or 0, 1),
        "pages": times,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store made by `oversight demo` already")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oversight-first-open-") as tmp:
        db = args.store or make_store(Path(tmp))
        pages = crawl(db)
        load0 = os.getloadavg()[0]
        at_once = open_each(db, pages, after_ready=False)
        after = open_each(db, pages, after_ready=True)
        load1 = os.getloadavg()[0]
    print(f"\nload average {load0:.2f} before, {load1:.2f} after; {os.cpu_count()} cores")
    for name, run in (("straight after start", at_once), ("after computing ahead", after)):
        print(
            f"{name}: answering {run['listening_s']} s after start, computations ahead done "
            f"{run['computed_ahead_s']} s after start"
        )
    print(f"\n{'page kind':<34}{'path':<48}{'at start s':>12}{'after s':>10}")
    worst = 0.0
    for kind, path in pages.items():
        a = at_once["pages"][kind]  # type: ignore[index]
        b = after["pages"][kind]  # type: ignore[index]
        worst = max(worst, b["seconds"])
        code = "" if a["status"] == 200 else f" ({a['status']})"
        print(f"{kind:<34}{path:<48}{a['seconds']:>8.3f}{code:<6}{b['seconds']:>8.3f}")
    print(f"\nslowest first open after computing ahead: {worst:.3f} s (target about 1 s)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "load_average": [round(load0, 2), round(load1, 2)],
                "pages": pages,
                "straight_after_start": at_once,
                "after_computing_ahead": after,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
