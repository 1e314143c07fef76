"""The glossary page (``glossary.html`` with JSON and CSV twins), rendered from the repository's
GLOSSARY.md (``web/GLOSSARY.md`` links to it, so the package carries the same file).

GLOSSARY.md's shape: ``## Section`` headings, then entries of a ``**Term**`` line and a
definition that starts ``: `` and continues on indented lines. Inline code (backticks) is kept
as code; everything else is plain text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape
from pydantic import BaseModel

from oversight.service.site import Site
from oversight.web.pages import Page

GLOSSARY = Path(__file__).parent / "GLOSSARY.md"
_CODE = re.compile(r"`([^`]+)`")
# file and folder names in the prose (data/nhs/ods/etr.csv, docs/*.md, nof-2025-26.yaml)
_PATH = re.compile(
    r"(?<![\w/])(?:[\w.*-]+/)*[\w*-]+\.(?:yaml|csv|md|py|json|xlsx?|duckdb)\b"  # a file
    r"|(?<![\w/])[a-z][\w-]*(?:/[\w*-]+){2,}/?"  # a folder two or more levels deep
)


class GlossaryEntry(BaseModel):
    section: str
    term: str
    definition: str  # as written in GLOSSARY.md, inline code in backticks


class GlossarySection(BaseModel):
    title: str
    entries: list[GlossaryEntry]


class Glossary(BaseModel):
    title: str
    introduction: str
    sections: list[GlossarySection]


def parse_glossary(text: str) -> Glossary:
    title, intro = "Glossary", []
    sections: list[GlossarySection] = []
    term: str | None = None
    definition: list[str] = []

    def close_entry() -> None:
        nonlocal term
        if term is not None and sections:
            sections[-1].entries.append(
                GlossaryEntry(
                    section=sections[-1].title, term=term, definition=" ".join(definition)
                )
            )
        term = None
        definition.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if raw.startswith("# "):
            title = line[2:]
        elif raw.startswith("## "):
            close_entry()
            sections.append(GlossarySection(title=line[3:], entries=[]))
        elif line.startswith("**") and line.endswith("**") and len(line) > 4:
            close_entry()
            term = line[2:-2]
        elif term is not None and line.startswith(": "):
            definition.append(line[2:])
        elif term is not None and line and raw.startswith(" "):
            definition.append(line)
        elif line and not sections:
            intro.append(line)
    close_entry()
    return Glossary(title=title, introduction=" ".join(intro), sections=sections)


@cache
def glossary() -> Glossary:
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


def _paths(text: str) -> Markup:
    parts = _PATH.split(text)
    names = _PATH.findall(text)
    out = [escape(parts[0])]
    for name, rest in zip(names, parts[1:], strict=True):
        out += [Markup("<code>{}</code>").format(name), escape(rest)]
    return Markup("").join(out)


def inline(text: str) -> Markup:
    """Escaped text with `code`, and file names, as <code> elements."""
    parts = _CODE.split(text)  # odd items were inside backticks
    return Markup("").join(
        Markup("<code>{}</code>").format(p) if i % 2 else _paths(p) for i, p in enumerate(parts)
    )


def glossary_page(site: Site) -> Page:
    del site  # the same for every store
    g = glossary()
    rows = [e for s in g.sections for e in s.entries]
    return Page(
        "glossary.html", "glossary.html", g.title, g, rows, GlossaryEntry, {"inline": inline}
    )
