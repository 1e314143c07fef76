"""No page shows an internal identifier: every kind of page the dashboard has (the web BUILDERS
registry) is built over a store with every kind of data, rendered as the live server renders it,
and its visible text (text nodes, plus the alt, title, aria-label and placeholder people and
screen readers get) is searched for model class names, policy ids and versions, raw keys
(snake_case metric, pool, plan and trust-type ids), estimator ids and glued period labels.

``<code>`` elements are left out: they show commands and file names on purpose.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

import oversight.api
import oversight.web
from oversight.frameworks.collections import collection
from oversight.ingest.readers import reader_for
from oversight.service.site import Site
from oversight.service.updated import data_updated, updated_label
from oversight.store import connect
from oversight.store.collections import store_releases
from oversight.web.builders import BUILDERS, export_pages
from oversight.web.render import render
from tests.icb_store import FILES, NHS

DEFINITIONS = Path(oversight.api.__file__).parents[1] / "frameworks" / "definitions"
HIDDEN = {"script", "style", "code"}
SPOKEN = {"alt", "title", "aria-label", "placeholder"}
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ESTIMATOR_IDS = re.compile(r"\b(?:callaway[ _]santanna|twfe|Twfe)\b")
GLUED_QUARTER = re.compile(r"\bQ[1-4](?:19|20)\d\d\b")  # "Q32011" for Q3 2011


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif not self.hidden:
            self.parts += [v for k, v in attrs if k in SPOKEN and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def model_class_names() -> set[str]:
    """Every pydantic model of the API and the dashboard whose name is more than one word
    (``HomeRow`` -> 'homerow'; one-word names such as ``Consequences`` are plain English)."""
    names: set[str] = set()
    for package in (oversight.api, oversight.web):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, obj in inspect.getmembers(module, inspect.isclass):
                compound = len(re.findall(r"[A-Z]", name)) > 1
                if issubclass(obj, BaseModel) and obj.__module__ == module.__name__ and compound:
                    names.add(name.lower())
    return names


def policy_identifiers() -> set[str]:
    found: set[str] = set()
    for path in DEFINITIONS.glob("policy-*.yaml"):
        policy = yaml.safe_load(path.read_text(encoding="utf-8"))
        found |= {str(policy["id"]), str(policy["version"])}
    return found


def internal_identifiers(text: str) -> list[str]:
    lowered = text.lower()
    found = [n for n in sorted(model_class_names()) if re.search(rf"\b{n}\b", lowered)]
    found += [
        p for p in sorted(policy_identifiers()) if re.search(rf"(?<![\w.-]){re.escape(p)}\b", text)
    ]
    for pattern in (SNAKE, ESTIMATOR_IDS, GLUED_QUARTER):
        found += sorted(set(pattern.findall(text)))
    return found


@pytest.fixture(scope="module")
def site(served_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The served store (NOF files, monthly A&E) with the ODS/ONS reference files, the other
    source statistics and AmbSYS added: every kind of page has something to show."""
    path = tmp_path_factory.mktemp("page-text") / "all.duckdb"
    shutil.copy(served_store, path)
    extra = [(cid, [NHS / n for n in names]) for cid, names in FILES if cid != "ae_monthly"]
    extra.append(("ambulance_ambsys", sorted(NHS.glob("ambulance/*.xlsx"))))
    con = connect(path)
    try:
        for cid, files in extra:
            definition = collection(cid)
            read = reader_for(definition)
            store_releases(con, [read(f, definition) for f in files])
    finally:
        con.close()
    s = Site(path)
    yield s
    s.close()


def one_page_of_each_kind(site: Site) -> dict[str, tuple[Any, ...]]:
    kinds: dict[str, tuple[Any, ...]] = {"search": ("RAJ",)}
    for kind, args in export_pages(site):
        kinds.setdefault(kind, args)
    # the compare page is live only (its organisations come from the query string)
    quarter = site.latest
    codes = tuple(o.trust_code for o in site.result(quarter).orgs[:2])
    kinds["compare"] = (quarter, codes)
    kinds["services"] = ("RAJ", None)  # live only too (the month comes from a form)
    return kinds


def test_the_finder_finds_what_the_issue_saw() -> None:
    """The check itself: each leak the issue reported is caught."""
    leaks = (
        "Download as CSV (homerow rows) leaguerow funnelrowout national-2025-26 2025-26.1 "
        "As ae_4hr_all_types for type 1; callaway santanna, twfe; Twfe; California from Q32011"
    )
    found = internal_identifiers(leaks)
    for leak in ("homerow", "leaguerow", "funnelrowout", "national-2025-26", "2025-26.1",
                 "ae_4hr_all_types", "callaway santanna", "twfe", "Twfe", "Q32011"):  # fmt: skip
        assert leak in found, leak
    assert internal_identifiers("Seen within 4 hours, type 1; Q3 2011; TWFE; 2025/26") == []


def test_no_page_text_contains_an_internal_identifier(site: Site) -> None:
    kinds = one_page_of_each_kind(site)
    assert set(kinds) == set(BUILDERS), f"no page built for {set(BUILDERS) - set(kinds)}"
    updated = updated_label(data_updated(site))
    leaks = {}
    for kind, args in kinds.items():
        page = BUILDERS[kind](site, *args)
        found = internal_identifiers(visible_text(render(page, live=True, updated=updated)))
        if found:
            leaks[f"{kind}{args}"] = found
    assert not leaks, leaks
