"""`oversight demo` ends with the dashboard running on localhost; `--no-serve` returns."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx

from tests.functional.web.conftest import OVERSIGHT, free_port, stop

# a first, uncached computation can take many seconds on a loaded machine: the timeout is
# far beyond any such wait, so these tests do not depend on load
FIRST_COMPUTATION = 600


def test_demo_ends_serving_the_dashboard(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("OVERSIGHT_DB", "OVERSIGHT_ADMIN_TOKEN")
    }
    first = subprocess.run(
        [str(OVERSIGHT), "demo", "--no-serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "oversight.duckdb").exists()

    port = free_port()
    demo = subprocess.Popen(
        [str(OVERSIGHT), "demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            assert demo.poll() is None, demo.stdout.read() if demo.stdout else ""
            assert time.monotonic() < deadline, "the dashboard did not come up"
            try:
                home = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        assert home.status_code == 200 and "NHS oversight league tables" in home.text
        league = httpx.get(
            f"http://127.0.0.1:{port}/2025-26-q4/league/mental_health_community.json",
            timeout=FIRST_COMPUTATION,
        ).json()
        assert league["total"] == 61
    finally:
        stop(demo)
    assert demo.returncode is not None
