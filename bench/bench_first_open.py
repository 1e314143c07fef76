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
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_serve import start  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "first_open.json"
OVERSIGHT = Path(sys.executable).parent / "oversight"
Q = r"/\d{4}-\d{2}-q[1-4]"
# page kind -> (the app's route that serves it, the path pattern on the live server). Every
# page route of the app must be served by some kind (checked against the app at start).
KINDS: dict[str, tuple[str, str]] = {
    "home": ("/", r"^/$"),
    "home (index)": ("/index.{ext}", r"^/index\.html$"),
    "search": ("/search.{ext}", r"^/search\.html$"),
    "glossary": ("/glossary.{ext}", r"^/glossary\.html$"),
    "API docs": ("/api/docs", r"^/api/docs$"),
    "league table": ("/{quarter}/{kind}/{name}", rf"^{Q}/league/[^/]+\.html$"),
    "organisation": ("/{quarter}/{kind}/{name}", rf"^{Q}/org/[^/]+\.html$"),
    "metric": ("/{quarter}/{kind}/{name}", rf"^{Q}/metric/[^/]+\.html$"),
    "consequences": ("/{quarter}/consequences.{ext}", rf"^{Q}/consequences\.html$"),
    "compare": ("/{quarter}/compare.{ext}", rf"^{Q}/compare\.html\?org=\w+&org=\w+$"),
    "moves": ("/{quarter}/moves.{ext}", rf"^{Q}/moves\.html$"),
    "improvement": ("/improvement/{quarter}/{name}", rf"^/improvement{Q}/[^/]+\.html$"),
    "data quality": ("/data-quality/{quarter}/{name}", rf"^/data-quality{Q}/[^/]+\.html$"),
    "peer league": ("/peers/{quarter}/{peers}/{name}", rf"^/peers{Q}/[^/]+/[^/]+\.html$"),
    "A&E index": ("/ae/index.{ext}", r"^/ae/index\.html$"),
    "A&E series": ("/ae/{code}/{name}", r"^/ae/(?!funnel/)[^/]+/[^/]+\.html$"),
    "A&E funnel": ("/ae/funnel/{metric}/{name}", r"^/ae/funnel/[^/]+/[^/]+\.html$"),
    "ICB list": ("/icbs/{name}", r"^/icbs/[^/]+\.html$"),
    "ICB": ("/icbs/{quarter}/{name}", r"^/icbs/[^/]+/[^/]+\.html$"),
    "public index": ("/public/index.{ext}", r"^/public/index\.html$"),
    "public league": ("/public/{quarter}/league/{name}", r"^/public/[^/]+/league/[^/]+\.html$"),
    "public metric": (
        "/public/{quarter}/metric/{trust_type}/{name}",
        r"^/public/[^/]+/metric/[^/]+/[^/]+\.html$",
    ),
    "public compare": ("/public/{quarter}/compare.{ext}", r"^/public/[^/]+/compare\.html$"),
    "evaluations index": ("/evaluations/{name}", r"^/evaluations/index\.html$"),
    "services": ("/services/{name}", r"^/services/[^/]+\.html$"),
    "likely ranks": ("/likely-ranks/{quarter}/{name}", rf"^/likely-ranks{Q}/[^/]+\.html$"),
    "public likely ranks": (
        "/public/{quarter}/likely-ranks/{name}",
        r"^/public/[^/]+/likely-ranks/[^/]+\.html$",
    ),
    "improvement (monthly)": (
        "/improvement/monthly/{trust_type}/{name}",
        r"^/improvement/monthly/[^/]+/[^/]+\.html$",
    ),
}
# routes of the app that are not pages (the dataset download is a zip; /api/... unknown: 404)
NOT_PAGES = {"/downloads/oversight-data.zip", "/api/{rest:path}"}
EVALUATION = re.compile(r"^/evaluations/(?!index\.)[a-z0-9_]+\.html$")
# links and form targets; a query string or fragment is dropped (the page is timed without it)
LINK = re.compile(r'(?:href|action)="([^"#?]*)[^"]*"')


def page_routes() -> list[str]:
    """Every GET route of the app that answers with a page: the dashboard's routes and any
    route hidden from the API's schema (its HTML docs), not the JSON API's routes."""
    from fastapi.routing import APIRoute

    from oversight.api.app import create_api
    from oversight.web.app import create_app

    def walk(routes: list[Any]) -> list[Any]:
        out = []
        for r in routes:  # FastAPI keeps an included router's own routes inside it
            inner = getattr(r, "original_router", None)
            out += walk(inner.routes) if inner is not None else [r]
        return out

    class NoSite:  # the app is only built to list its routes: nothing is read
        caches_responses = False

    app = create_app(NoSite())  # type: ignore[arg-type]
    api_paths = {r.path for r in walk(create_api(NoSite()).routes)}  # type: ignore[arg-type]
    return sorted(
        {
            r.path
            for r in walk(app.routes)
            if isinstance(r, APIRoute)
            and "GET" in (r.methods or set())
            and (not r.include_in_schema or r.path not in api_paths)
            and r.path not in NOT_PAGES
        }
    )


def check_kinds() -> None:
    """Fail loudly when the app has a page route no kind covers (a new page kind)."""
    covered = {route for route, _ in KINDS.values()}
    missing = [r for r in page_routes() if r not in covered]
    gone = sorted(covered - set(page_routes()))
    if missing or gone:
        raise SystemExit(
            "bench_first_open.KINDS is out of date with the app's page routes: "
            + (f"no kind for {', '.join(missing)}" if missing else "")
            + ("; " if missing and gone else "")
            + (f"no route for {', '.join(gone)}" if gone else "")
        )


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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_ready(client: httpx.Client, pid: int) -> None:
    """Every evaluation computed, then the server idle (its background thread has also built
    the shared parts and slow pages it computes after them): under 0.05 s of CPU in 2 s."""
    while any(
        p["status"] == "being computed" for p in client.get("/api/v1/evaluations").json()["plans"]
    ):
        time.sleep(0.5)
    used = cpu_seconds(pid)
    while True:
        time.sleep(2)
        now = cpu_seconds(pid)
        if now - used < 0.05:
            return
        used = now


def kind_of(path: str) -> str | None:
    return next((k for k, (_, pattern) in KINDS.items() if re.match(pattern, path)), None)


def seeds(client: httpx.Client) -> list[str]:
    """Pages no other page links to: the comparison of two organisations (a form's answer),
    the ICB list (nothing links it on a store of one trust type), data quality and the peer
    league of the latest quarter's first trust type, and the monthly improvement page."""
    from oversight.frameworks import load_framework

    latest = client.get("/api/v1/quarters").json()[-1]
    q, trust_type = latest["slug"], latest["trust_types"][0]
    group = next(g.id for g in load_framework().peer_groups if g.by != "trust_type")
    league = client.get(f"/{q}/league/{trust_type}.html").text
    first, second = sorted(set(re.findall(r"org/([A-Z0-9]+)\.html", league)))[:2]
    return [
        f"/{q}/compare.html?org={first}&org={second}",
        f"/icbs/{q}.html",
        f"/data-quality/{q}/{trust_type}.html",
        f"/peers/{q}/{group}/{trust_type}.html",
        # the monthly improvement of an acute metric: linked only from a type with monthly
        # series, which the bundled NOF types (mental health and community) have none of
        "/improvement/monthly/acute/OF0013.html",
    ]


def crawl(db: Path, limit: int = 400) -> dict[str, str]:
    """One path of each kind, and every evaluation page (kind ``evaluation: PLAN``). A page of
    a kind not found yet is visited first; the rest breadth first."""
    proc, url = start(db, [])
    found: dict[str, str] = {}
    try:
        with httpx.Client(base_url=url, timeout=600) as client:
            queue = ["/", *seeds(client)]
            seen, visited = set(queue), 0
            while queue and visited < limit:
                path = next((p for p in queue if kind_of(p) not in found), queue[0])
                queue.remove(path)
                visited += 1
                kind = kind_of(path)
                if kind is not None and kind not in found:
                    found[kind] = path
                if EVALUATION.match(path):
                    found[f"evaluation: {path.rsplit('/', 1)[1].removesuffix('.html')}"] = path
                r = client.get(path)
                if r.status_code != 200 or "html" not in r.headers.get("content-type", ""):
                    continue
                for link in LINK.findall(r.text):
                    target = urlsplit(urljoin(url + path, link)).path
                    if target.startswith("/static/") or target in seen:
                        continue
                    if target.endswith(".html") or kind_of(target) is not None:
                        seen.add(target)
                        queue.append(target)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    missing = [k for k in KINDS if k not in found]
    if missing:
        raise SystemExit(f"no page found of kind(s): {', '.join(missing)}")
    return found


def open_each(db: Path, pages: dict[str, str], after_ready: bool) -> dict[str, object]:
    t0 = time.perf_counter()
    proc, url = start(db, [])
    listening = time.perf_counter() - t0
    times: dict[str, dict[str, float | int]] = {}
    try:
        with httpx.Client(base_url=url, timeout=600) as client:
            if after_ready:
                wait_ready(client, proc.pid)
            ready_at = time.perf_counter() - t0 if after_ready else None
            for kind, path in pages.items():
                t = time.perf_counter()
                r = client.get(path)
                times[kind] = {
                    "seconds": round(time.perf_counter() - t, 3),
                    "status": r.status_code,
                }
            if not after_ready:
                wait_ready(client, proc.pid)
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
        check_kinds()
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
