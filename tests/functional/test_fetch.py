"""`oversight fetch` end to end against a publisher mirror on loopback (no network).

The server serves fake landing pages in the publishers' layout (england.nhs.uk, digital.nhs.uk)
linking to the bundled files, and can answer 404, cut a body short, honour Range, and swap a
file's content and ETag, recording every request so the tests can see what the client asked.
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from tests.ae_files import JUL_2025_FIRST, JUL_2025_REVISED, SEP_2024, real_rows, write_csv
from tests.conftest import MH_DATA, MH_LEAGUE, ROOT

OVERSIGHT = Path(sys.executable).parent / "oversight"
DM01 = ROOT / "data" / "nhs" / "diagnostics" / "Monthly-Diagnostics-Web-File-Provider-May-2025.xls"
ETR = ROOT / "data" / "nhs" / "ods" / "etr.csv"
ENG = "www.england.nhs.uk"
UPLOADS = "/statistics/wp-content/uploads/sites/2/2025/08"
AE_PAGE = (
    "/statistics/statistical-work-areas/ae-waiting-times-and-activity/"
    "ae-attendances-and-emergency-admissions-2025-26/"
)
DM01_PAGE = (
    "/statistics/statistical-work-areas/diagnostics-waiting-times-and-activity/"
    "monthly-diagnostics-waiting-times-and-activity/monthly-diagnostics-data-2025-26/"
)
NOF_PAGE = "/nhs-oversight-framework/segmentation-and-league-tables/"
ODS_HOST = "digital.nhs.uk"
ODS_PAGE = (
    "/services/organisation-data-service/export-data-files/csv-downloads/other-nhs-organisations"
)


@dataclass
class Served:
    body: bytes
    etag: str
    truncate_next: bool = False  # the next whole-file GET announces it all, sends half, closes


@dataclass
class Publisher:
    base: str = ""
    files: dict[str, Served] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def serve(self, path: str, body: bytes) -> None:
        self.files[path] = Served(body, f'"{hashlib.sha256(body).hexdigest()[:16]}"')

    def ranged(self, path: str) -> list[str]:
        return [h["Range"] for p, h in self.requests if p == path and "Range" in h]


def _handler(pub: Publisher) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            pub.requests.append((self.path, dict(self.headers.items())))
            if self.path in pub.pages:
                return self._send(200, pub.pages[self.path].encode(), "text/html; charset=utf-8")
            served = pub.files.get(self.path)
            if served is None:
                return self._send(404, b"<h1>Not found</h1>", "text/html")
            if self.headers.get("If-None-Match") == served.etag:
                return self._send(304, b"", None, served.etag)
            wanted = self.headers.get("Range", "")
            if_range = self.headers.get("If-Range")
            if wanted.startswith("bytes=") and if_range in (None, served.etag):
                start = int(wanted[6:].rstrip("-"))
                body, size = served.body[start:], len(served.body)
                rng = f"bytes {start}-{size - 1}/{size}"
                return self._send(206, body, "text/csv", served.etag, {"Content-Range": rng})
            if served.truncate_next:
                served.truncate_next = False
                self.send_response(200)
                self.send_header("Content-Length", str(len(served.body)))
                self.send_header("ETag", served.etag)
                self.end_headers()
                self.wfile.write(served.body[: len(served.body) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)  # closed mid-body
                return None
            return self._send(200, served.body, "application/octet-stream", served.etag)

        def _send(
            self,
            status: int,
            body: bytes,
            kind: str | None,
            etag: str | None = None,
            extra: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            if etag:
                self.send_header("ETag", etag)
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buf.getvalue()


def _mirror(pub: Publisher) -> None:
    """The publishers' pages and files, under <base>/<host>/<path> as --base-url expects."""
    ae = {
        JUL_2025_FIRST.name: JUL_2025_FIRST.read_bytes(),
        SEP_2024.name: SEP_2024.read_bytes(),
    }
    for name, body in ae.items():
        pub.serve(f"/{ENG}{UPLOADS}/{name}", body)
    pub.files[f"/{ENG}{UPLOADS}/{SEP_2024.name}"].truncate_next = True
    ae_links = [*ae, "Monthly-AE-October-2024.csv"]  # the last one is a broken link (404)
    pub.pages[f"/{ENG}{AE_PAGE}"] = (
        "".join(f'<p><a href="https://{ENG}{UPLOADS}/{n}">{n} (CSV)</a></p>' for n in ae_links)
        + f'<a href="https://{ENG}{UPLOADS}/Timeseries.xls">time series</a>'
    )
    for path in (MH_DATA, MH_LEAGUE):
        pub.serve(f"/{ENG}/long-read/{path.name}", path.read_bytes())
    pub.pages[f"/{ENG}{NOF_PAGE}"] = "".join(
        f'<li><a class="file" href="/long-read/{p.name}">{p.stem}</a></li>'
        for p in (MH_DATA, MH_LEAGUE)
    )
    pub.serve(f"/{ENG}{UPLOADS}/{DM01.name}", DM01.read_bytes())
    pub.pages[f"/{ENG}{DM01_PAGE}"] = f'<a href="../../../../..{UPLOADS}/{DM01.name}">DM01</a>'
    pub.serve("/files.digital.nhs.uk/assets/ods/current/etr.zip", _zip("etr.csv", ETR.read_bytes()))
    pub.pages[f"/{ODS_HOST}{ODS_PAGE}"] = (
        '<a href="https://files.digital.nhs.uk/assets/ods/current/etr.zip">etr.zip</a>'
    )


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    pub = Publisher()
    _mirror(pub)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pub))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pub.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield pub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def fetch(tmp: Path, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(OVERSIGHT), "--db", str(tmp / "o.duckdb"), "fetch", "--cache", str(tmp / "c"), *args],
        capture_output=True,
        text=True,
        cwd=tmp,
        timeout=300,
    )
    assert done.returncode == code, done.stderr + done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    return done


def _manifest(tmp: Path) -> dict[str, dict[str, object]]:
    data = json.loads((tmp / "c" / "manifest.json").read_text())
    return {f"{e['publication']}/{e['file_name']}": e for e in data["files"]}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_fetch_resume_revision_and_missing_file(publisher: Publisher, tmp_path: Path) -> None:
    first = fetch(tmp_path, "--base-url", publisher.base)
    out, err = first.stdout, first.stderr
    # the broken link and the cut-short download are warnings naming the URL; the run goes on
    assert "Monthly-AE-October-2024.csv: not fetched" in err and "HTTP 404" in err
    assert f"{publisher.base}/{ENG}{UPLOADS}/Monthly-AE-October-2024.csv: HTTP 404" in err
    assert f"{SEP_2024.name}: not fetched" in err and "cut short" in err
    assert "cancer_waiting_times: landing page unavailable" in err  # not on this mirror
    part = tmp_path / "c" / "ae_monthly" / f"{SEP_2024.name}.part"
    assert part.stat().st_size == SEP_2024.stat().st_size // 2
    assert not (tmp_path / "c" / "ae_monthly" / SEP_2024.name).exists()
    assert "Timeseries.xls" not in out + err  # links not matching the pattern are not taken

    cached = {
        "ae_monthly/" + JUL_2025_FIRST.name: JUL_2025_FIRST,
        "nof/" + MH_DATA.name: MH_DATA,
        "nof/" + MH_LEAGUE.name: MH_LEAGUE,
        "diagnostics_dm01/" + DM01.name: DM01,
    }
    manifest = _manifest(tmp_path)
    for key, source in cached.items():
        data = (tmp_path / "c" / key).read_bytes()
        assert data == source.read_bytes()
        assert manifest[key]["sha256"] == _sha(data) and manifest[key]["size"] == len(data)
        assert manifest[key]["etag"] == f'"{_sha(data)[:16]}"'
    assert manifest["nof/" + MH_DATA.name]["url"] == f"https://{ENG}/long-read/{MH_DATA.name}"
    assert (tmp_path / "c" / "ods_trusts" / "etr.csv").read_bytes() == ETR.read_bytes()
    assert f"{JUL_2025_FIRST.name}: stored: A&E 2025-07 revision 1" in out
    assert f"{MH_LEAGUE.name}: stored: NOF nof_league_table" in out
    # every publication fetch downloads is ingested, whatever its collection
    assert f"{DM01.name}: stored: diagnostics_dm01 2025-05 revision 1" in out
    assert "etr.csv: stored: ods_trusts " in out and "not ingestable" not in out

    # the publisher revises July (same name, new content and ETag)
    publisher.serve(f"/{ENG}{UPLOADS}/{JUL_2025_FIRST.name}", JUL_2025_REVISED.read_bytes())
    publisher.requests.clear()
    second = fetch(tmp_path, "--base-url", publisher.base, "--only", "ae_monthly", "--only", "nof")
    sep_path = f"/{ENG}{UPLOADS}/{SEP_2024.name}"
    assert publisher.ranged(sep_path) == [f"bytes={SEP_2024.stat().st_size // 2}-"]
    assert (tmp_path / "c" / "ae_monthly" / SEP_2024.name).read_bytes() == SEP_2024.read_bytes()
    assert not part.exists()
    manifest = _manifest(tmp_path)
    assert manifest["ae_monthly/" + SEP_2024.name]["sha256"] == _sha(SEP_2024.read_bytes())
    jul = manifest["ae_monthly/" + JUL_2025_FIRST.name]
    assert jul["sha256"] == _sha(JUL_2025_REVISED.read_bytes()) == jul["ingested_sha256"]
    assert f"{JUL_2025_FIRST.name}: changed" in second.stdout
    assert f"{JUL_2025_FIRST.name}: stored: A&E 2025-07 revision 2" in second.stdout
    assert f"{SEP_2024.name}: stored: A&E 2024-09 revision 1" in second.stdout
    assert f"nof/{MH_DATA.name}: unchanged" in second.stdout  # answered 304
    assert MH_DATA.name + ":" not in second.stdout.replace(f"nof/{MH_DATA.name}:", "")

    con = duckdb.connect(str(tmp_path / "o.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT strftime(month, '%Y-%m'), revision, file_name FROM ae_release "
        "JOIN source_file USING (file_id) ORDER BY 1, 2"
    ).fetchall()
    con.close()
    assert rows == [
        ("2024-09", 1, SEP_2024.name),
        ("2025-07", 1, JUL_2025_FIRST.name),
        ("2025-07", 2, JUL_2025_FIRST.name),
    ]
    releases = subprocess.run(
        [str(OVERSIGHT), "--db", str(tmp_path / "o.duckdb"), "ae", "releases"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "revised" in releases

    # nothing changed: every file answered 304, nothing is ingested again
    third = fetch(tmp_path, "--base-url", publisher.base, "--only", "ae_monthly")
    assert "stored" not in third.stdout
    assert third.stdout.count(": unchanged") == 2


def test_no_ingest_then_list(publisher: Publisher, tmp_path: Path) -> None:
    done = fetch(
        tmp_path, "--base-url", publisher.base, "--only", "diagnostics_dm01", "--no-ingest"
    )
    assert "1 of 1 files fetched" in done.stdout and "ingest skipped" in done.stdout
    assert not (tmp_path / "o.duckdb").exists()
    listed = fetch(tmp_path, "--list").stdout
    assert "ae_monthly" in listed and "nhsstaffsurveys.com" in listed


def test_nothing_fetched_exits_1(tmp_path: Path) -> None:
    with socket.socket() as s:  # a free port, closed again: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = fetch(tmp_path, "--base-url", f"http://127.0.0.1:{port}", "--only", "nof", code=1)
    assert "connection refused" in done.stderr and "nothing could be fetched" in done.stderr


def test_unknown_publication_is_one_line(tmp_path: Path) -> None:
    done = fetch(tmp_path, "--only", "nope", code=1)
    assert "Unknown publication(s): nope" in done.stderr


def test_refused_file_is_reported_and_exits_1(publisher: Publisher, tmp_path: Path) -> None:
    header, rows = real_rows(JUL_2025_FIRST)
    rows[3] = rows[3][:4]  # a provider row cut short: the A&E reader refuses the file
    broken = write_csv(tmp_path / "broken.csv", header, rows).read_bytes()
    publisher.serve(f"/{ENG}{UPLOADS}/{JUL_2025_FIRST.name}", broken)
    publisher.files[f"/{ENG}{UPLOADS}/{SEP_2024.name}"].truncate_next = False
    done = fetch(tmp_path, "--base-url", publisher.base, "--only", "ae_monthly", code=1)
    assert (
        f"{JUL_2025_FIRST.name}: refused: {JUL_2025_FIRST.name} has rows of the wrong length"
        in (done.stderr)
    )
    assert f"{SEP_2024.name}: stored: A&E 2024-09 revision 1" in done.stdout  # the rest goes on
    jul = _manifest(tmp_path)["ae_monthly/" + JUL_2025_FIRST.name]
    assert jul["sha256"] == _sha(broken) and jul["ingested_sha256"] is None
