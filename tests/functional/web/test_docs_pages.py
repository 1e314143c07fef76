"""Docs and housekeeping through the in-process app: the API documentation from vendored files,
the glossary, "data last updated" on every page, the whole-dataset download and the
consequences page's grouping, chart and filters."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from oversight.service.site import Site
from oversight.service.updated import data_updated, updated_label
from oversight.web.app import create_app
from oversight.web.glossary_pages import GLOSSARY
from tests.functional.web.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, FIRST_OPEN_MS, Server

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


class Footer(HTMLParser):
    """The footer's links, by text."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.href: str | None = None
        self.links: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "footer":
            self.inside = True
        if self.inside and tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "footer":
            self.inside = False
        if tag == "a":
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.href and data.strip():
            self.links[data.strip()] = self.href


@pytest.fixture(scope="module")
def site(served_store: Path) -> Iterator[Site]:
    s = Site(served_store)
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(site)) as c:
        yield c


def footer_links(client: TestClient, path: str) -> dict[str, str]:
    parser = Footer()
    parser.feed(client.get(path).text)
    return parser.links


def resolve(page: str, href: str) -> str:
    base = page.rsplit("/", 1)[0] + "/" if "/" in page.lstrip("/") else "/"
    parts: list[str] = []
    for part in (base + href).split("/"):
        if part == "..":
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/" + "/".join(parts)


@pytest.mark.parametrize("page", ["/", "/2025-26-q4/league/mental_health_community.html"])
def test_the_footer_links_to_api_docs_that_load_nothing_from_another_host(
    client: TestClient, page: str
) -> None:
    links = footer_links(client, page)
    docs = resolve(page, links["API documentation"])
    assert docs == "/api/docs"
    r = client.get(docs)
    assert r.status_code == 200 and "swagger-ui" in r.text
    assert not EXTERNAL.search(r.text), "the docs page names another host"
    # every script and style it loads is served here, and the page needs no inline script
    # (the Content-Security-Policy allows scripts from this server only)
    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", r.text)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert client.get(resolve(docs, asset)).status_code == 200, asset
    assert "<script>" not in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Oversight API"


def test_the_glossary_page_renders_every_entry_of_glossary_md(client: TestClient) -> None:
    terms = re.findall(r"^\*\*(.+)\*\*$", GLOSSARY.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(terms) > 30
    links = footer_links(client, "/")
    assert resolve("/", links["Glossary"]) == "/glossary.html"
    html = client.get("/glossary.html").text
    body = client.get("/glossary.json").json()
    rows = list(csv.DictReader(io.StringIO(client.get("/glossary.csv").text)))
    assert [e["term"] for s in body["sections"] for e in s["entries"]] == terms
    assert [r["term"] for r in rows] == terms
    for term in terms:
        assert f">{escape(term)}</dt>" in html, term
    assert "<code>oversight explain RYY</code>" in html  # inline code kept as code


def test_every_page_says_when_the_data_was_last_updated(client: TestClient, site: Site) -> None:
    when = data_updated(site)
    assert when is not None
    label = updated_label(when)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC", label)
    for path in [
        "/",
        "/glossary.html",
        "/2025-26-q4/org/RYY.html",
        "/2025-26-q4/consequences.html",
    ]:
        assert f'<span id="data-updated">Data last updated {label}.</span>' in client.get(path).text
    assert client.get("/index.json").json()["data_updated"] == label


def test_download_everything(client: TestClient) -> None:
    home = client.get("/").text
    link = re.search(r'id="download-dataset" href="([^"]+)"', home)
    assert link is not None and link.group(1) == "downloads/oversight-data.zip"
    r = client.get("/downloads/oversight-data.zip")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    names = {n.removeprefix("oversight-data/") for n in z.namelist()}
    tables = ["league_tables", "metric_scores", "nof_published_values", "source_statistics"]
    tables.append("consequences")
    for t in tables:
        assert {f"{t}.csv", f"{t}.parquet"} <= names, t
        rows = list(csv.DictReader(io.StringIO(z.read(f"oversight-data/{t}.csv").decode())))
        parquet = pq.read_table(io.BytesIO(z.read(f"oversight-data/{t}.parquet")))
        assert len(rows) == parquet.num_rows > 0, t
    readme = z.read("oversight-data/README.md").decode()
    assert "Open Government Licence v3.0" in readme and "MODELLED" in readme
    assert "A&E Attendances and Emergency Admissions" in readme  # the sources stored
    league = list(csv.DictReader(io.StringIO(z.read("oversight-data/league_tables.csv").decode())))
    page = client.get("/api/v1/league-tables", params={"quarter": "Q4 2025/26"}).json()
    q4 = {r["trust_code"]: r["rank"] for r in league if r["quarter"] == "Q4 2025/26"}
    assert q4 == {r["trust_code"]: str(r["rank"]) for r in page["rows"]}
    consequences = z.read("oversight-data/consequences.csv").decode()
    rows = list(csv.DictReader(io.StringIO(consequences)))
    assert all(r["modelled"] == "true" and "would follow" in r["status"] for r in rows)


def test_consequences_grouped_charted_and_filtered(client: TestClient) -> None:
    everything = client.get("/2025-26-q4/consequences.json").json()
    html = client.get("/2025-26-q4/consequences.html").text
    # the page leads with what these are
    assert html.index("would follow under the Oversight national policy model") < html.index(
        'id="consequences-table"'
    )
    groups = everything["groups"]
    assert sum(g["organisations"] for g in groups) >= len(groups) > 1
    for g in groups:  # each group's count is its rows' organisations
        codes = {
            r["trust_code"] for r in everything["rows"] if r["consequence"] == g["consequence"]
        }
        assert g["organisations"] == len(codes)
        assert f">{g['organisations']}</text>" in html  # a labelled bar
    assert html.count('<tbody class="nhsuk-table__body">') == len(groups)
    first = groups[-1]["consequence"]
    region = everything["rows"][0]["region"]
    for params, keep in [
        ({"consequence": first}, lambda r: r["consequence"] == first),
        ({"region": region}, lambda r: r["region"] == region),
        ({"segment": "4"}, lambda r: r["segment"] == 4),
    ]:
        body = client.get("/2025-26-q4/consequences.json", params=params).json()
        expected = [r for r in everything["rows"] if keep(r)]
        assert body["rows"] == expected and body["all_rows"] == len(everything["rows"])
        page = client.get("/2025-26-q4/consequences.html", params=params).text
        assert page.count('<tr class="nhsuk-table__row" data-code=') == len(expected)
    form = re.search(r'<form action="" method="get"[^>]*id="consequences-filter"', html)
    assert form is not None  # filters work without a script
    assert json.loads(client.get("/api/v1/consequences").text)["modelled"] is True


@pytest.mark.browser
def test_api_docs_run_in_chromium_under_the_servers_csp(server: Server) -> None:
    """Swagger UI draws every route from the vendored files, with no request to another host
    and no Content-Security-Policy violation."""
    from playwright.sync_api import sync_playwright

    hosts: set[str] = set()
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(FIRST_OPEN_MS)
            page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(server.url + "/index.html")
            problems.clear()  # the docs page's own console from here on
            page.get_by_role("link", name="API documentation").click()
            page.wait_for_selector(".opblock", timeout=300_000)
            routes = page.locator(".opblock").count()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
        finally:
            browser.close()
    assert routes >= 10
    assert hosts == {server.url.split("/")[2]}, hosts
    assert not problems, problems
