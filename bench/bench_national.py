"""National benchmark: oversight against a plain pandas baseline on the bundled NOF files.

Run from the repository root::

    .venv/bin/python bench/bench_national.py [--replicates 10000] [--baseline-replicates 500]
                                             [--repeat 3]

Stages, each over every bundled file, every quarter in them and every trust type:

a. ingest: parse and check every file, store it in a fresh DuckDB store (pandas: read_csv);
b. scores, segments and ranks (``run_quarter`` with ranges skipped);
c. likely ranges by Monte-Carlo bootstrap, ``--replicates`` replicates (pandas: a replicate-by-
   replicate bootstrap with ``--baseline-replicates`` replicates, its time scaled linearly);
d. likely ranges by the exact method (no pandas counterpart).

Each time is the best of ``--repeat`` runs. The pandas baseline is checked against the engine
before any figure is reported (see :func:`check`). Figures go to stdout and to
``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd

import pandas_baseline as pb
from oversight.engine.nof.aggregate import used_scores
from oversight.engine.nof.inputs import available_quarters
from oversight.engine.nof.quarter import RangeOptions, run_quarter
from oversight.engine.nof.results import QuarterResult
from oversight.frameworks import Framework, load_framework
from oversight.ingest.nof import parse_nof_file
from oversight.store import connect
from oversight.store.releases import store_file

ROOT = Path(__file__).resolve().parents[1]
NOF_DIR = ROOT / "data" / "nhs" / "nof"
RESULTS = ROOT / "bench" / "results" / "latest.json"
TARGET_SECONDS = 5.0
TARGET_CORES = 2
TARGET_RATIO = 10.0
SCORE_TOLERANCE = 0.05  # likely range of average score, pandas against the engine
RANK_TOLERANCE = 2  # likely range of rank, places
NOISE_SEEDS = range(1, 6)  # seeds of the engine runs that measure Monte-Carlo noise
NOISE_SLACK = 1.5  # pandas' range differences may be this many times the engine's own noise

T = TypeVar("T")
Results = dict[str, QuarterResult]


# --- measuring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    best: float
    runs: list[float]


def timed(fn: Callable[[], T], repeat: int) -> tuple[Timing, T]:
    """Best wall time of ``repeat`` calls, and the last call's result."""
    runs = []
    result: T
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return Timing(min(runs), runs), result


def python_peak_mib(fn: Callable[[], object]) -> float:
    """Peak memory traced by tracemalloc (Python objects and numpy buffers; not DuckDB's own)."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def max_rss_mib() -> float:
    """The process's peak resident set so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold_start_seconds(repeat: int) -> float:
    """A fresh interpreter importing what the national run needs (best of ``repeat``)."""
    code = (
        "import oversight.engine.nof.quarter, oversight.ingest.nof, oversight.store.releases, "
        "oversight.frameworks"
    )
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        runs.append(time.perf_counter() - start)
    return min(runs)


# --- the oversight side --------------------------------------------------------------------------


class Stores:
    """Fresh store paths in one temporary directory, removed at the end."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="oversight-bench-")
        self._n = 0

    def fresh(self) -> Path:
        self._n += 1
        return Path(self._dir.name) / f"store-{self._n}.duckdb"

    def close(self) -> None:
        self._dir.cleanup()


def ingest(framework: Framework, files: list[Path], path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(path)
    for f in files:
        store_file(con, parse_nof_file(f, framework))
    return con


def ingest_closed(framework: Framework, files: list[Path], path: Path) -> None:
    ingest(framework, files, path).close()


def run_all(con: duckdb.DuckDBPyConnection, framework: Framework, options: RangeOptions) -> Results:
    return {q: run_quarter(con, framework, q, options) for q in available_quarters(con)}


def national(files: list[Path], path: Path, replicates: int) -> Results:
    """The whole national run: framework, fresh store, ingest, scores and likely ranges."""
    framework = load_framework()
    con = ingest(framework, files, path)
    try:
        return run_all(con, framework, RangeOptions(method="monte_carlo", replicates=replicates))
    finally:
        con.close()


def engine_table(results: Results) -> pd.DataFrame:
    rows = [
        {
            "quarter": o.quarter,
            "trust_code": o.trust_code,
            "average": o.average_score,
            "segment": o.segment,
            "rank": o.rank,
            "score_low": o.average_score_low,
            "score_high": o.average_score_high,
            "rank_low": o.rank_low,
            "rank_high": o.rank_high,
        }
        for r in results.values()
        for o in r.orgs
        if o.average_score is not None  # trusts with no scores are not in any league table
    ]
    return pd.DataFrame(rows)


def engine_inputs(results: Results) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scores the engine averaged (unrounded where it recovered them) and its flags."""
    scores, flags = [], []
    for r in results.values():
        assert r.framework is not None  # the framework as run (with undeclared metrics)
        for o in r.orgs:
            flags.append(
                {
                    "quarter": o.quarter,
                    "trust_code": o.trust_code,
                    "flagged": o.in_financial_deficit,
                }
            )
            scores += [
                {
                    "quarter": o.quarter,
                    "trust_type": o.trust_type_name,
                    "trust_code": o.trust_code,
                    "metric_id": s.metric_id,
                    "score": s.used,
                }
                for s in used_scores(r.framework, o.scores)
            ]
    return pd.DataFrame(scores), pd.DataFrame(flags)


# --- the pandas side -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Method:
    """The engine's settings the baseline must share to be comparable."""

    cut_points: dict[str, tuple[float, ...]]
    boundary: str
    floor: int
    dp: int
    lower: float
    upper: float
    seed: int

    @classmethod
    def of(cls, framework: Framework, results: Results) -> Method:
        lr = framework.likely_ranges
        return cls(
            {q: r.cut_points.values for q, r in results.items()},
            framework.segmentation.boundary,
            framework.financial_override.floor_segment,
            framework.aggregation.rounding.dp,
            lr.lower_percentile,
            lr.upper_percentile,
            lr.seed,
        )


def pandas_scores(files: dict[str, pd.DataFrame], m: Method) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = pb.data_rows(files)
    scores = pb.metric_scores(rows)
    table = pb.league_table(
        scores, pb.financial_flags(rows), m.cut_points, m.boundary, m.floor, m.dp
    )
    return scores, table


def pandas_ranges(
    scores: pd.DataFrame, table: pd.DataFrame, m: Method, replicates: int
) -> pd.DataFrame:
    return pb.likely_ranges(
        scores, table, m.cut_points, replicates, m.seed, m.boundary, m.floor, m.dp, m.lower, m.upper
    )


# --- agreement -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """How far one set of results is from the engine's reference run, per trust and quarter.

    Range differences are the larger of the two ends' absolute differences.
    """

    trust_quarters: int
    average_equal: int
    segment_equal: int
    rank_equal: int
    score_range_within: int  # both ends within SCORE_TOLERANCE
    rank_range_within: int  # both ends within RANK_TOLERANCE
    mean_score_range_diff: float
    mean_rank_range_diff: float
    max_score_range_diff: float
    max_rank_range_diff: int
    max_average_diff: float

    @property
    def exact(self) -> bool:
        n = self.trust_quarters
        return self.average_equal == self.segment_equal == self.rank_equal == n

    def line(self) -> str:
        n = self.trust_quarters
        return (
            f"averages {self.average_equal}/{n} equal (max diff {self.max_average_diff:.2f}), "
            f"segments {self.segment_equal}/{n}, ranks {self.rank_equal}/{n}"
        )

    def ranges_line(self) -> str:
        n = self.trust_quarters
        return (
            f"score {self.score_range_within}/{n} within {SCORE_TOLERANCE} (mean diff "
            f"{self.mean_score_range_diff:.3f}, max {self.max_score_range_diff:.2f}); rank "
            f"{self.rank_range_within}/{n} within {RANK_TOLERANCE} places (mean diff "
            f"{self.mean_rank_range_diff:.2f}, max {self.max_rank_range_diff})"
        )


def agreement(reference: pd.DataFrame, other: pd.DataFrame) -> Agreement:
    """Compare two league tables with likely ranges (the columns of :func:`engine_table`)."""
    both = reference.merge(
        other, on=pb.KEYS, suffixes=("_ref", "_other"), how="outer", indicator=True
    )
    if not (both["_merge"] == "both").all():
        missing = both.loc[both["_merge"] != "both", pb.KEYS].to_dict("records")
        raise AssertionError(f"trusts in one result and not the other: {missing}")

    def diff(col: str) -> pd.Series:
        return (both[f"{col}_ref"].astype(float) - both[f"{col}_other"].astype(float)).abs()

    score_diff = pd.concat([diff("score_low"), diff("score_high")], axis=1).max(axis=1)
    rank_diff = pd.concat([diff("rank_low"), diff("rank_high")], axis=1).max(axis=1)
    return Agreement(
        trust_quarters=len(both),
        average_equal=int((diff("average") < 1e-9).sum()),
        segment_equal=int((diff("segment") == 0).sum()),
        rank_equal=int((diff("rank") == 0).sum()),
        score_range_within=int((score_diff <= SCORE_TOLERANCE + 1e-9).sum()),
        rank_range_within=int((rank_diff <= RANK_TOLERANCE).sum()),
        mean_score_range_diff=round(float(score_diff.mean()), 4),
        mean_rank_range_diff=round(float(rank_diff.mean()), 3),
        max_score_range_diff=round(float(score_diff.max()), 4),
        max_rank_range_diff=int(rank_diff.max()),
        max_average_diff=round(float(diff("average").max()), 4),
    )


def engine_noise(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    reference: pd.DataFrame,
    replicates: int,
    seeds: range,
) -> list[Agreement]:
    """The engine's own Monte-Carlo noise at ``replicates``: other seeds against the reference."""
    out = []
    for seed in seeds:
        opts = RangeOptions(method="monte_carlo", replicates=replicates, seed=seed)
        out.append(agreement(reference, engine_table(run_all(con, framework, opts))))
    return out


# --- report --------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with duckdb.connect() as con:
        threads = con.execute("SELECT current_setting('threads')").fetchone()
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "duckdb_threads": threads[0] if threads else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "duckdb": duckdb.__version__,
    }


def ratio(pandas_s: float | None, oversight_s: float) -> float | None:
    return None if pandas_s is None or oversight_s <= 0 else pandas_s / oversight_s


def print_table(rows: list[dict[str, Any]], scale: float, baseline_replicates: int) -> None:
    print(f"\n{'stage':<60} {'oversight s':>12} {'pandas s':>12} {'pandas/oversight':>17}")
    print("-" * 104)
    for r in rows:
        pandas_s = "-" if r["pandas_s"] is None else f"{r['pandas_s']:.3f}"
        mark = " *" if r["pandas_scaled"] else "  "
        x = "-" if r["ratio"] is None else f"{r['ratio']:.{1 if r['ratio'] >= 1 else 2}f}x"
        print(f"{r['stage']:<60} {r['oversight_s']:>12.3f} {pandas_s:>10}{mark} {x:>17}")
    print(
        f"* pandas bootstrap run with {baseline_replicates} replicates, time scaled linearly "
        f"(x{scale:g}) to the engine's replicate count"
    )


@dataclass
class OversightRun:
    quarters: list[str]
    trust_types: list[str]
    organisations: dict[str, int]
    seconds: dict[str, Timing]
    memory: dict[str, float]
    scored: Results
    ranged: Results
    exact: Results
    noise: list[Agreement]


def measure_oversight(
    framework: Framework, files: list[Path], b: int, b_noise: int, repeat: int
) -> OversightRun:
    stores = Stores()
    try:
        fresh = stores.fresh
        t_ingest, _ = timed(lambda: ingest_closed(framework, files, fresh()), repeat)
        con = ingest(framework, files, fresh())
        skip = RangeOptions(skip=True)
        mc = RangeOptions(method="monte_carlo", replicates=b)
        exact = RangeOptions(method="exact")
        t_score, scored = timed(lambda: run_all(con, framework, skip), repeat)
        t_mc, ranged = timed(lambda: run_all(con, framework, mc), repeat)
        t_exact, exact_results = timed(lambda: run_all(con, framework, exact), repeat)
        t_national, _ = timed(lambda: national(files, fresh(), b), repeat)
        t_load, _ = timed(load_framework, repeat)
        memory = {
            "ingest": python_peak_mib(lambda: ingest_closed(framework, files, fresh())),
            "scores": python_peak_mib(lambda: run_all(con, framework, skip)),
            "ranges_monte_carlo": python_peak_mib(lambda: run_all(con, framework, mc)),
            "ranges_exact": python_peak_mib(lambda: run_all(con, framework, exact)),
            "national": python_peak_mib(lambda: national(files, fresh(), b)),
        }
        noise = engine_noise(con, framework, engine_table(ranged), b_noise, NOISE_SEEDS)
        quarters = available_quarters(con)
        con.close()
    finally:
        stores.close()
    return OversightRun(
        quarters=quarters,
        trust_types=sorted({o.trust_type_name for r in scored.values() for o in r.orgs}),
        organisations={q: len(r.orgs) for q, r in scored.items()},
        seconds={
            "ingest": t_ingest,
            "scores": t_score,
            "ranges_monte_carlo": t_mc,
            "ranges_exact": t_exact,
            "national": t_national,
            "framework_load": t_load,
        },
        memory=memory,
        scored=scored,
        ranged=ranged,
        exact=exact_results,
        noise=noise,
    )


@dataclass
class PandasRun:
    seconds: dict[str, Timing]
    memory: dict[str, float]
    table: pd.DataFrame  # league table with likely ranges, from the published scores


def measure_pandas(files: list[Path], m: Method, b_pd: int, repeat: int) -> PandasRun:
    t_read, raw = timed(lambda: pb.read_files(files), repeat)
    t_score, (scores, table) = timed(lambda: pandas_scores(raw, m), repeat)
    t_boot, ranges = timed(lambda: pandas_ranges(scores, table, m, b_pd), repeat)
    memory = {
        "read": python_peak_mib(lambda: pb.read_files(files)),
        "scores": python_peak_mib(lambda: pandas_scores(raw, m)),
        "bootstrap": python_peak_mib(lambda: pandas_ranges(scores, table, m, b_pd)),
    }
    return PandasRun(
        {"read_csv": t_read, "scores": t_score, "bootstrap": t_boot},
        memory,
        table.merge(ranges, on=pb.KEYS),
    )


@dataclass(frozen=True)
class Checks:
    same_input: Agreement  # pandas on the engine's own scores
    published_input: Agreement  # pandas on the published 2-dp scores (what is timed)
    exact_method: Agreement  # the engine's exact method
    noise: list[Agreement]  # the engine's Monte-Carlo at the baseline's replicate count

    def noise_mean(self, attr: str) -> float:
        return float(np.mean([getattr(a, attr) for a in self.noise]))

    def noise_span(self, attr: str) -> str:
        values = [getattr(a, attr) for a in self.noise]
        return f"{min(values)}-{max(values)}"


def check(run: OversightRun, m: Method, published: pd.DataFrame, b_pd: int) -> Checks:
    """The baseline must be a real implementation of the same steps, not a stand-in.

    Given the scores the engine averaged, pandas must reproduce every average, segment and rank
    exactly, and its likely ranges must be as close to the engine's as the engine's own
    bootstrap with the same number of replicates is (Monte-Carlo noise at a few hundred
    replicates exceeds 0.05 / 2 places for some trusts, whoever computes it).
    """
    reference = engine_table(run.ranged)
    used, flags = engine_inputs(run.ranged)
    table = pb.league_table(used, flags, m.cut_points, m.boundary, m.floor, m.dp)
    same = table.merge(pandas_ranges(used, table, m, b_pd), on=pb.KEYS)
    checks = Checks(
        same_input=agreement(reference, same),
        published_input=agreement(reference, published),
        exact_method=agreement(reference, engine_table(run.exact)),
        noise=run.noise,
    )
    assert checks.same_input.exact, "pandas disagrees with the engine on the same scores"
    for attr in ("mean_score_range_diff", "mean_rank_range_diff"):
        limit = NOISE_SLACK * checks.noise_mean(attr)
        assert getattr(checks.same_input, attr) <= limit, (
            f"pandas likely ranges are further from the engine's than Monte-Carlo noise allows: "
            f"{attr} {getattr(checks.same_input, attr)} > {limit:.3f}"
        )
    return checks


def print_checks(c: Checks, b: int, b_pd: int) -> None:
    n = c.same_input.trust_quarters
    print(f"\nagreement with the engine's Monte-Carlo run ({b:,} replicates), {n} trust-quarters:")
    print(f"  pandas on the engine's scores:    {c.same_input.line()}  [asserted]")
    print(f"  pandas on the published scores:   {c.published_input.line()}")
    print(
        f"  likely ranges, pandas {b_pd} replicates on the engine's scores: "
        f"{c.same_input.ranges_line()}"
    )
    print(
        f"  likely ranges, the engine's own {b_pd}-replicate runs ({len(c.noise)} seeds): score "
        f"{c.noise_span('score_range_within')}/{n} within {SCORE_TOLERANCE} (mean diff "
        f"{c.noise_mean('mean_score_range_diff'):.3f}), rank {c.noise_span('rank_range_within')}"
        f"/{n} within {RANK_TOLERANCE} (mean diff {c.noise_mean('mean_rank_range_diff'):.2f})"
        f"  [pandas asserted within {NOISE_SLACK}x these means]"
    )
    print(
        f"  likely ranges, pandas {b_pd} replicates on the published scores: "
        f"{c.published_input.ranges_line()}"
    )
    print(f"  likely ranges, the engine's exact method: {c.exact_method.ranges_line()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--replicates",
        type=int,
        default=10_000,
        help="the engine's Monte-Carlo replicates (default 10000)",
    )
    parser.add_argument(
        "--baseline-replicates",
        type=int,
        default=500,
        help="the pandas bootstrap's replicates, its time scaled to --replicates (default 500)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each stage; the best is reported (default 3)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=RESULTS,
        help="JSON results (default bench/results/latest.json)",
    )
    parser.add_argument(
        "--all-trust-types",
        action="store_true",
        help="add acute and ambulance files in NHS England's schema for Q3 2025/26 (generated by "
        "tests/nof_files.py from the published Q3 results), so Q3 is a national quarter of all "
        "205 trusts",
    )
    args = parser.parse_args(argv)
    b, b_pd, repeat = args.replicates, args.baseline_replicates, args.repeat
    scale = b / b_pd
    # NHS England's files only: reference/ holds published values kept for checks
    files = sorted(p for p in NOF_DIR.rglob("*.csv") if "reference" not in p.parts)
    if args.all_trust_types:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.nof_files import write_files

        generated = Path(tempfile.mkdtemp(prefix="oversight-national-"))
        made = write_files(generated)
        files += [made.acute_data, made.acute_league, made.ambulance_data, made.ambulance_league]
    if not files:
        print(f"no NOF files under {NOF_DIR}", file=sys.stderr)
        return 1

    rss_start = max_rss_mib()
    framework = load_framework()
    print(f"oversight: {len(files)} files, {b:,} replicates, best of {repeat} ...", flush=True)
    run = measure_oversight(framework, files, b, b_pd, repeat)
    rss_oversight = max_rss_mib()
    cold = cold_start_seconds(repeat)
    print(f"pandas: bootstrap with {b_pd} replicates, best of {repeat} ...", flush=True)
    m = Method.of(framework, run.scored)
    base = measure_pandas(files, m, b_pd, repeat)
    checks = check(run, m, base.table, b_pd)
    rss_end = max_rss_mib()
    print_checks(checks, b, b_pd)

    o, p = run.seconds, base.seconds
    boot_scaled = p["bootstrap"].best * scale
    ranges_only = o["ranges_monte_carlo"].best - o["scores"].best
    rows = [
        (
            "ingest (oversight: parse, check, store; pandas: read_csv)",
            o["ingest"].best,
            p["read_csv"].best,
            False,
        ),
        ("scores, segments, ranks", o["scores"].best, p["scores"].best, False),
        (
            f"likely ranges, Monte-Carlo {b:,} (with scores)",
            o["ranges_monte_carlo"].best,
            p["scores"].best + boot_scaled,
            True,
        ),
        ("  of which the bootstrap alone", ranges_only, boot_scaled, True),
        ("likely ranges, exact (with scores)", o["ranges_exact"].best, None, False),
        (
            f"national run: ingest + scores + {b:,} replicates",
            o["national"].best,
            p["read_csv"].best + p["scores"].best + boot_scaled,
            True,
        ),
    ]
    table_rows = [
        {"stage": s, "oversight_s": t, "pandas_s": pt, "pandas_scaled": sc, "ratio": ratio(pt, t)}
        for s, t, pt, sc in rows
    ]
    print(
        f"\n{len(files)} files, {len(run.quarters)} quarters ({', '.join(run.quarters)}), "
        f"trust types: {', '.join(run.trust_types)}; "
        f"{sum(run.organisations.values())} trust-quarters; best of {repeat}"
    )
    print_table(table_rows, scale, b_pd)

    info = machine()
    national_s = o["national"].best
    boot_ratio = boot_scaled / ranges_only
    print(
        f"\nnational run (framework load included) {national_s:.2f} s on "
        f"{info['cores_usable']} cores; a cold process adds {cold:.2f} s of interpreter start "
        "and imports"
    )
    print(
        f"peak memory: Python heap (tracemalloc) oversight national run "
        f"{run.memory['national']:.1f} MiB, pandas bootstrap ({b_pd} replicates) "
        f"{base.memory['bootstrap']:.1f} MiB; process max RSS {rss_oversight:.0f} MiB after "
        f"the oversight stages, {rss_end:.0f} MiB at the end ({rss_start:.0f} MiB after imports)"
    )
    national_ok = national_s < TARGET_SECONDS
    ratio_ok = boot_ratio >= TARGET_RATIO
    print(
        f"\nTARGETS: national run {national_s:.2f} s vs under {TARGET_SECONDS:g} s on "
        f"{TARGET_CORES} cores: {'MET' if national_ok else 'MISSED'}; bootstrap "
        f"{boot_ratio:.0f}x the pandas baseline vs at least {TARGET_RATIO:g}x: "
        f"{'MET' if ratio_ok else 'MISSED'}"
    )

    report = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "arguments": {"replicates": b, "baseline_replicates": b_pd, "repeat": repeat},
        "input": {
            "files": [
                str(f.relative_to(ROOT)) if f.is_relative_to(ROOT) else f.name for f in files
            ],
            "quarters": run.quarters,
            "trust_types": run.trust_types,
            "organisations_per_quarter": run.organisations,
        },
        "oversight_seconds": {
            **{k: asdict(v) for k, v in o.items()},
            "ranges_monte_carlo_only": ranges_only,
            "ranges_exact_only": o["ranges_exact"].best - o["scores"].best,
            "cold_start_imports": cold,
        },
        "pandas_seconds": {
            **{k: asdict(v) for k, v in p.items()},
            "bootstrap_replicates": b_pd,
            "bootstrap_scaled": boot_scaled,
            "bootstrap_per_replicate": p["bootstrap"].best / b_pd,
        },
        "table": table_rows,
        "peak_memory_mib": {
            "python_heap_oversight": run.memory,
            "python_heap_pandas": base.memory,
            "max_rss_after_imports": rss_start,
            "max_rss_after_oversight": rss_oversight,
            "max_rss_end": rss_end,
        },
        "agreement": {
            "pandas_engine_scores": asdict(checks.same_input),
            "pandas_published_scores": asdict(checks.published_input),
            "engine_exact_method": asdict(checks.exact_method),
            "engine_noise_at_baseline_replicates": [asdict(a) for a in checks.noise],
            "tolerance": {
                "score": SCORE_TOLERANCE,
                "rank": RANK_TOLERANCE,
                "noise_slack": NOISE_SLACK,
            },
        },
        "targets": {
            "national_seconds": national_s,
            "national_target_seconds": TARGET_SECONDS,
            "national_met": national_ok,
            "bootstrap_ratio": boot_ratio,
            "bootstrap_target_ratio": TARGET_RATIO,
            "bootstrap_met": ratio_ok,
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
