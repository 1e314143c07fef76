"""Bad declaration files that only the library loads (no CLI option takes them): collection
declarations and fetch-source lists. Each is a bundled or test file with one change, refused
with a UserError naming the file (and its line or field), never another exception."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oversight.errors import UserError
from oversight.frameworks.collections import load_collection
from oversight.frameworks.fetch_model import load_fetch_sources

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests/unit/collections/tiny_survey.yaml"
CWT = ROOT / "src/oversight/frameworks/definitions/collections/cancer_waiting_times.yaml"
SOURCES = ROOT / "src/oversight/frameworks/definitions/fetch-sources.yaml"
Loader = Callable[[Path], Any]


def swap(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return change


LAUGHS = "a: &a [x, x]\nb: [*a, *a]\n"
CASES: list[tuple[str, Path, Loader, Callable[[str], str], str]] = [
    ("collection-bad-id", TINY, load_collection, swap("id: tiny_survey", "id: Tiny Survey"), "id"),
    (
        "collection-no-measures",
        TINY,
        load_collection,
        lambda t: t.split("measures:")[0],
        "measures",
    ),
    (
        "collection-duplicate-measure",
        TINY,
        load_collection,
        swap("{id: disagreed,", "{id: agreed,"),
        "duplicate",
    ),
    ("collection-started-word", TINY, load_collection, swap('"2021"', "long ago"), "started"),
    ("collection-format-pdf", TINY, load_collection, swap("format: csv", "format: pdf"), "format"),
    (
        "collection-empty-header",
        TINY,
        load_collection,
        swap("header_contains: [Year, Code, Group, Asked, Agreed]", "header_contains: []"),
        "header_contains",
    ),
    (
        "collection-search-rows-huge",
        CWT,
        load_collection,
        swap("header_search_rows: 1", "header_search_rows: 100000"),
        "header_search_rows",
    ),
    ("collection-aliases", TINY, load_collection, lambda t: LAUGHS, "anchors"),
    ("collection-tabs", TINY, load_collection, swap("\nreader:", "\n\treader:"), "line"),
    ("collection-a-list", TINY, load_collection, lambda t: "- id: x\n", "collection"),
    ("sources-a-string", SOURCES, load_fetch_sources, lambda t: "just text\n", "fetch sources"),
    (
        "sources-unknown-key",
        SOURCES,
        load_fetch_sources,
        swap("version: 1", "versoin: 1"),
        "versoin",
    ),
    ("sources-aliases", SOURCES, load_fetch_sources, lambda t: LAUGHS, "anchors"),
]


@pytest.mark.parametrize(
    ("case", "source", "load", "change", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_declaration_is_refused(
    case: str,
    source: Path,
    load: Loader,
    change: Callable[[str], str],
    expected: str,
    tmp_path: Path,
) -> None:
    path = tmp_path / f"{case}.yaml"
    path.write_text(change(source.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load(path)
    text = str(caught.value)
    assert path.name in text, text
    assert expected.casefold() in text.casefold(), text


def test_a_declaration_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(TINY.read_bytes() + b"# caf\xe9\n")
    with pytest.raises(UserError, match="UTF-8"):
        load_collection(path)
