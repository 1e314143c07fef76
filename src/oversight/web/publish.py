"""``oversight publish``: the whole dashboard as static files any web server can host.

Every page the live server has is written with its JSON and CSV twins, at the same relative
paths, plus the static assets; links are relative, so the folder works at any URL (or opened
from disk). Search works in the browser (the page lists every organisation and a small script
filters it); without JavaScript the full list is shown.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oversight.api.site import Site
from oversight.api.tables import columns_of, to_csv
from oversight.web.app import STATIC
from oversight.web.pages import BUILDERS, all_pages
from oversight.web.render import render


@dataclass
class Published:
    pages: int
    files: int
    bytes: int


def publish(site: Site, out: Path, progress: Callable[[int, int], None] | None = None) -> Published:
    out.mkdir(parents=True, exist_ok=True)
    todo = all_pages(site)
    files = written = 0
    for i, (kind, args) in enumerate(todo, 1):
        page = BUILDERS[kind](site, *args)
        for name, content in (
            (page.path, render(page, live=False).encode("utf-8")),
            (page.twin("json"), page.model.model_dump_json(indent=1).encode("utf-8")),
            (page.twin("csv"), to_csv(page.rows, columns_of(page.row_model))),
        ):
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            files += 1
            written += len(content)
        if progress:
            progress(i, len(todo))
    shutil.copytree(STATIC, out / "static", dirs_exist_ok=True)
    return Published(len(todo), files, written)
