"""A live `oversight serve` on loopback, and Playwright driving Debian's chromium.

The server runs the real console script in a subprocess on a free port of 127.0.0.1, over the
session's national store, and is stopped when the tests that use it are done. Browsers are the
system's ``/usr/bin/chromium`` (``scripts/test`` installs it); Playwright's own browser download
is never used.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

OVERSIGHT = Path(sys.executable).parent / "oversight"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# a page's first open computes its results; on a loaded machine that can take a minute or more,
# so browser waits are set far beyond it and no test depends on load
FIRST_OPEN_MS = 600_000


@pytest.fixture(autouse=True, scope="session")
def _patient_expectations() -> None:
    """Playwright's ``expect`` waits FIRST_OPEN_MS too (its default is 5 s)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=FIRST_OPEN_MS)


ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    db: Path


def start_server(db: Path, env_extra: dict[str, str] | None = None) -> Server:
    port = free_port()
    env = {**os.environ, "OVERSIGHT_DB": str(db)}
    env.pop("OVERSIGHT_ADMIN_TOKEN", None)
    env.update(env_extra or {})
    process = subprocess.Popen(
        # no per-client limit on new computations: it refills with time, and a test must not
        # depend on how fast the machine is (tests/unit/test_expensive_gate.py covers it)
        [
            str(OVERSIGHT),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--client-burst",
            "0",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # far beyond a start on a loaded machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"oversight serve exited {process.returncode}: {err}")
        try:
            if httpx.get(url + "/api/v1/quarters", timeout=1).status_code == 200:
                return Server(url, process, db)
        except httpx.HTTPError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("oversight serve did not answer within 600 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def served_store(national_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the national store for servers (so no lock is shared with other tests), with
    every bundled monthly A&E file added (for the series, SPC and funnel pages)."""
    from oversight.ingest.ae_monthly import parse_ae_files
    from oversight.store import connect
    from oversight.store.ae import store_ae_files
    from tests.ae_files import AE_FILES, ae_plan

    path = tmp_path_factory.mktemp("served") / "served.duckdb"
    shutil.copy(national_store, path)
    con = connect(path)
    try:
        store_ae_files(con, parse_ae_files(AE_FILES), plan=ae_plan())
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def server(served_store: Path) -> Iterator[Server]:
    s = start_server(served_store)
    yield s
    stop(s.process)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module (a module that needs another launch defines its own)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
