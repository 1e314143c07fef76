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
from tests.functional.web.test_evaluations_api import computed_ahead

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def _warm(server: Server) -> None:
    """Wait until the server has computed every evaluation ahead (the slow first computations;
    until then a plan answers 202), so the fuzzer only ever meets cached answers, whatever the
    machine's load; then ask once for each."""
    computed_ahead(server)
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
    # every operation the schema declares was fuzzed (none skipped or filtered out)
    schema = httpx.get(server.url + "/api/openapi.json", timeout=600).json()
    operations = sum(len(methods) for methods in schema["paths"].values())
    assert operations >= 30  # 30 when this was written: a route lost from the schema shows
    assert f"{operations} selected / {operations} total" in run.stdout
    assert " passed" in run.stdout and "failed" not in run.stdout.split("SUMMARY")[-1]


def test_fuzzing_wrote_nothing(server: Server) -> None:
    con = duckdb.connect(str(server.db), read_only=True)
    try:
        files = con.execute("SELECT count(*) FROM source_file").fetchone()
    finally:
        con.close()
    assert files == (2 + len(AE_FILES),)  # the two NOF files and the monthly A&E files
