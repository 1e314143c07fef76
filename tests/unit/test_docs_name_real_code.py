"""The docs name code that exists: every `folder/module.name` or `folder/module.py` in
docs/architecture.md (and the other docs' file references) is a real module, and the name is
defined in it (a function, class, or method of a class), so a rename that forgets the docs fails
here instead of sending a new contributor to a dead end."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "oversight"
DOCS = ROOT / "docs"
# `engine/nof/quarter.compute_quarter`, `store/releases.py`, `service/site.Site`,
# `Site.result` is checked by the class's own reference
REF = re.compile(r"`((?:[a-z_]+/)+[a-z_]+)(?:\.py|\.([A-Za-z_][A-Za-z0-9_]*))?`")
FOLDERS = {p.name for p in PACKAGE.iterdir() if p.is_dir()} | {"periods", "errors"}


@cache
def defined(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names |= {a.asname or a.name for a in node.names}
    return names


def references(doc: Path) -> list[tuple[str, str | None]]:
    found = []
    for m in REF.finditer(doc.read_text(encoding="utf-8")):
        path, name = m.group(1), m.group(2)
        if path.split("/")[0] in FOLDERS and not path.startswith(("data/", "docs/", "tests/")):
            found.append((path, name))
    return found


DOC_FILES = sorted(DOCS.glob("*.md"))


def test_architecture_doc_names_many_steps() -> None:
    refs = references(DOCS / "architecture.md")
    assert len(refs) >= 40, refs  # the walk from file to page names each function on the way


@pytest.mark.parametrize("doc", DOC_FILES, ids=[d.name for d in DOC_FILES])
def test_every_code_reference_exists(doc: Path) -> None:
    missing = []
    for path, name in references(doc):
        if name in {"html", "yaml", "css", "js", "json", "csv"}:  # a bundled file, not code
            if not (PACKAGE / f"{path}.{name}").exists():
                missing.append(f"{path}.{name}: no such file")
            continue
        module = PACKAGE / f"{path}.py"
        package = PACKAGE / path
        if not module.exists() and not package.is_dir():
            missing.append(f"{path}: no such module")
            continue
        if name and module.exists() and name not in defined(module):
            missing.append(f"{path}.{name}: not defined there")
    assert missing == [], missing
