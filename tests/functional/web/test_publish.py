"""`oversight publish`: a static site whose every link resolves to a file, hosted anywhere."""

from __future__ import annotations

import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.functional.web.conftest import OVERSIGHT

LINK_ATTRS = {"href", "src", "action"}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in LINK_ATTRS and value:
                self.found.append(value)


@pytest.fixture(scope="module")
def site(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published") / "site"
    run = subprocess.run(
        [str(OVERSIGHT), "--db", str(served_store), "publish", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=1800,  # every evaluation is computed: far beyond any machine load
        env={k: v for k, v in os.environ.items() if k != "OVERSIGHT_DB"},
    )
    assert run.returncode == 0, run.stderr
    assert "pages" in run.stderr
    return out


def test_every_page_and_twin_is_written(site: Path) -> None:
    for q in ("2025-26-q1", "2025-26-q4"):
        assert (site / q / "league" / "mental_health_community.html").is_file()
        assert len(list((site / q / "org").glob("*.html"))) == 61
        assert len(list((site / q / "metric").glob("*.html"))) >= 7
    pages = list(site.rglob("*.html"))
    for page in pages:
        assert page.with_suffix(".json").is_file() and page.with_suffix(".csv").is_file(), page
    record = json.loads((site / "2025-26-q4" / "org" / "RYY.json").read_text())
    assert record["segment_path"]["rank"] == 1
    assert (site / "static" / "nhsuk" / "nhsuk-frontend.min.css").is_file()
    assert (site / "static" / "nhsuk" / "LICENSE").is_file()
    # evaluations: every plan is computed at publish time, the slow ones (prop99...) too
    assert (site / "evaluations" / "index.csv").is_file()
    assert (site / "evaluations" / "organ_donation.html").is_file()
    assert (site / "evaluations" / "prop99.html").is_file()
    index = json.loads((site / "evaluations" / "index.json").read_text())
    assert {p["plan_id"]: p["status"] for p in index["plans"]}["prop99"] == "computed"


def test_every_link_is_relative_and_resolves(site: Path) -> None:
    broken = []
    for page in site.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.found:
            assert not re.match(r"^(https?:)?//", link), f"{page}: absolute URL {link}"
            assert not link.startswith("/"), f"{page}: root-relative link {link}"
            target = link.split("#")[0].split("?")[0]
            if not target:
                continue
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
    assert not broken, broken[:10]


def test_no_third_party_hosts_in_assets(site: Path) -> None:
    for asset in (site / "static").rglob("*"):
        if asset.suffix in (".css", ".js", ".html"):
            assert not re.search(r"url\((['\"]?)(https?:)?//", asset.read_text()), asset
    # the API documentation link is live-only: a static site has no server behind it
    assert "api/docs" not in (site / "index.html").read_text()


def test_static_search_lists_every_organisation(site: Path) -> None:
    html = (site / "search.html").read_text()
    assert html.count("data-search=") == 61 and "data-complete" in html
