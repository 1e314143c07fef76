"""The API fuzzed from its own OpenAPI schema by schemathesis, against a live `oversight serve`.

The schemathesis command runs every phase (examples, coverage, fuzzing, stateful) with every
check: no 5xx, every status documented, every body matching its schema, content types as
declared, and so on. The admin route is fuzzed without a token, so it must refuse everything
(401) and nothing is written. The run is seeded and bounded (30 examples per operation), and
its request timeout is set beyond anything machine load can reach: nothing here depends on timing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import httpx

from tests.ae_files import AE_FILES
from tests.functional.web.conftest import ARTIFACTS, Server

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def _warm(server: Server) -> None:
    """Ask once for every evaluation (the slow first computations) before fuzzing, so the
    fuzzer times cached answers; timeouts far beyond any first computation on a loaded machine."""
    with httpx.Client(base_url=server.url, timeout=600) as client:
        for plan in client.get("/api/v1/evaluations").json()["plans"]:
            assert client.get(f"/api/v1/evaluations/{plan['plan_id']}").status_code == 200


def test_api_conforms_to_its_schema(server: Server) -> None:
    _warm(server)
    reports = ARTIFACTS / "schemathesis"
    reports.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        [
            str(SCHEMATHESIS),
            "--no-color",
            "run",
            server.url + "/api/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "30",
            "--seed",
            "20250401",
            # the first request for a slow evaluation is computed there and then; on a loaded
            # machine that has taken over 10 s (schemathesis's default), so no load can reach this
            "--request-timeout",
            "300",
            "--max-response-time",
            "300",
            "--report",
            "junit",
            "--report-dir",
            str(reports),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ARTIFACTS,  # schemathesis keeps a cache folder in the working directory
    )
    (ARTIFACTS / "schemathesis.txt").write_text(run.stdout + run.stderr)
    assert run.returncode == 0, run.stdout[-4000:]
    assert "27 selected / 27 total" in run.stdout  # 27th: /api/v1/data-quality
    assert " passed" in run.stdout and "failed" not in run.stdout.split("SUMMARY")[-1]


def test_fuzzing_wrote_nothing(server: Server) -> None:
    con = duckdb.connect(str(server.db), read_only=True)
    try:
        files = con.execute("SELECT count(*) FROM source_file").fetchone()
    finally:
        con.close()
    assert files == (2 + len(AE_FILES),)  # the two NOF files and the monthly A&E files
