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

from oversight.api.tables import columns_of, to_csv
from oversight.service.site import Site
from oversight.service.updated import data_updated, updated_label
from oversight.web.app import STATIC
from oversight.web.builders import BUILDERS, export_pages
from oversight.web.dataset import DATASET_PATH, dataset_zip
from oversight.web.render import render


@dataclass
class Published:
    pages: int
    files: int
    bytes: int


def publish(site: Site, out: Path, progress: Callable[[int, int], None] | None = None) -> Published:
    out.mkdir(parents=True, exist_ok=True)
    todo = export_pages(site)
    steps = 2 * len(todo)  # build every page, then write them
    built = []
    for i, (kind, args) in enumerate(todo, 1):
        built.append(BUILDERS[kind](site, *args))
        if progress:
            progress(i, steps)
    # a page links to another only if it is in the export (the live server has more)
    available = {page.path for page in built}
    updated = updated_label(data_updated(site))
    files = written = 0
    for i, page in enumerate(built, 1):
        for name, content in (
            (page.path, render(page, False, available, updated=updated).encode("utf-8")),
            (page.twin("json"), page.model.model_dump_json(indent=1).encode("utf-8")),
            (page.twin("csv"), to_csv(page.rows, columns_of(page.row_model))),
        ):
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            files += 1
            written += len(content)
        if progress:
            progress(len(todo) + i, steps)
    shutil.copytree(STATIC, out / "static", dirs_exist_ok=True)
    dataset = dataset_zip(site)  # "download everything", linked from the home page
    (out / DATASET_PATH).parent.mkdir(parents=True, exist_ok=True)
    (out / DATASET_PATH).write_bytes(dataset)
    files += 1
    written += len(dataset)
    return Published(len(todo), files, written)
