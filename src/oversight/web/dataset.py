""" "Download everything": the whole dataset as one zip, CSV and Parquet per table, with a
README naming the sources, the licence and what is modelled. Served live at
``downloads/oversight-data.zip`` and written there by ``oversight publish``.

Tables are the same records the pages and the API show (league tables, metric values and
scores, modelled consequences, the ICB table) plus the stored data as published (NOF values,
every source-statistics value), so a download and a page never disagree.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from pydantic import BaseModel

from oversight.api import records
from oversight.api.consequences_records import consequences
from oversight.csv_out import neutralise
from oversight.errors import UserError
from oversight.frameworks.collections import collection
from oversight.service import downloads
from oversight.service.icb_pages import league_records
from oversight.service.icb_values import DEFAULT_QUARTER
from oversight.service.icbs import has_icb_data
from oversight.service.site import Site
from oversight.service.updated import data_updated, updated_label

DATASET_PATH = "downloads/oversight-data.zip"
# a fixed time for every member, so the same store always gives the same bytes
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Table:
    name: str
    what: str  # one line for the README
    modelled: bool
    build: Callable[[Site], pa.Table | None]


def _rows(models: Sequence[BaseModel], extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return [{**(extra or {}), **m.model_dump(mode="json")} for m in models]


def _table(rows: list[dict[str, Any]]) -> pa.Table | None:
    return pa.Table.from_pylist(rows) if rows else None


def _league(site: Site) -> pa.Table | None:
    return _table([r for q in site.quarters for r in _rows(records.league(site, q).rows)])


def _metric_scores(site: Site) -> pa.Table | None:
    rows: list[dict[str, Any]] = []
    for q in site.quarters:
        for m in sorted(records.scored_metrics(site.result(q))):
            view = records.metric_view(site, q, m, None)
            extra = {"quarter": q, "metric_id": view.metric.id, "metric_name": view.metric.name}
            rows += _rows(view.rows, extra)
    return _table(rows)


def _consequences(site: Site) -> pa.Table | None:
    return _table(
        [r for q in site.quarters for r in _rows(consequences(site, q).rows, {"quarter": q})]
    )


def _icbs(site: Site) -> pa.Table | None:
    if not site.read(has_icb_data):
        return None
    try:
        found = site.read(lambda con: league_records(con, DEFAULT_QUARTER))
    except UserError:  # the reference files without the statistics the ICB table needs
        return None
    return _table([{"quarter": DEFAULT_QUARTER, **r} for r in found])


def _arrow(build: Callable[[Site], Any]) -> Callable[[Site], pa.Table | None]:
    def table(site: Site) -> pa.Table | None:
        found: pa.Table = build(site)
        return found if found.num_rows else None

    return table


TABLES = [
    Table(
        "league_tables",
        "every organisation's average score, segment and rank with likely ranges, per quarter",
        False,
        _league,
    ),
    Table(
        "metric_scores",
        "every organisation on every scored metric: value, peer quartiles, rank and score",
        False,
        _metric_scores,
    ),
    Table(
        "nof_published_values",
        "NHS Oversight Framework values exactly as published (current revision of each file)",
        False,
        _arrow(downloads.published_nof_values),
    ),
    Table(
        "source_statistics",
        "every organisation value of every source-statistics collection stored (long format)",
        False,
        _arrow(downloads.source_statistics),
    ),
    Table(
        "icb_league",
        "integrated care boards: Oversight's providers-in-the-ICB table (placeholder thresholds)",
        True,
        _icbs,
    ),
    Table(
        "consequences",
        "what would follow under the Oversight national policy model, per quarter",
        True,
        _consequences,
    ),
]


def _safe_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Text cells a spreadsheet would run as formulas get csv_out's leading apostrophe; done
    on each distinct value (a few hundred names), not on every one of half a million rows."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column
    chunks = []
    for chunk in column.cast(pa.string()).chunks:
        coded = chunk.dictionary_encode()
        safe = pa.array([neutralise(v) for v in coded.dictionary.to_pylist()], pa.string())
        chunks.append(pa.DictionaryArray.from_arrays(coded.indices, safe).cast(pa.string()))
    return pa.chunked_array(chunks, pa.string())


def _csv(table: pa.Table) -> bytes:
    """As every Oversight CSV: header row, empty cells for nulls, true/false, no formulas."""
    safe = pa.table([_safe_text(c) for c in table.columns], names=table.column_names)
    sink = io.BytesIO()
    pacsv.write_csv(safe, sink, pacsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue()


def _parquet(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def _readme(site: Site, written: list[tuple[Table, int]], collections: list[str]) -> str:
    fw = site.framework
    lines = [
        "# Oversight: the whole dataset",
        "",
        f"Data last updated {updated_label(data_updated(site))} (the latest file ingested).",
        "Each table is here twice: `NAME.csv` (UTF-8, comma-separated, header row) and",
        "`NAME.parquet` (Apache Parquet, typed columns).",
        "",
        "## Tables",
        "",
    ]
    for t, n in written:
        label = " MODELLED:" if t.modelled else ""
        lines.append(f"- `{t.name}` ({n:,} rows):{label} {t.what}.")
    lines += [
        "",
        "## What is modelled",
        "",
        "`league_tables` and `metric_scores` are Oversight's reproduction of NHS England's",
        f"{fw.name} method from the published values; where NHS England publishes a figure",
        "the published one is in `nof_published_values`. `consequences` is MODELLED: what",
        "would follow under the Oversight national policy model, not a decision NHS England or",
        "anyone else has taken. `icb_league` is MODELLED too: a providers-in-the-ICB view with",
        "Oversight's placeholder segment thresholds, not NHS England's ICB assessment.",
        "",
        "## Sources",
        "",
        f"- {fw.name}: NHS England. " + "; ".join(fw.sources),
    ]
    for cid in collections:
        c = collection(cid)
        lines.append(f"- {c.title}: {c.publisher}, {c.source_url} ({c.licence})")
    lines += [
        "",
        "## Licence",
        "",
        "Contains public sector information licensed under the Open Government Licence v3.0",
        "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).",
        "Data © NHS England and the other publishers named above. Oversight's own code is MIT",
        "licensed; the derived tables here may be reused under the same Open Government Licence.",
        "",
    ]
    return "\n".join(lines)


def _members(site: Site) -> Iterator[tuple[str, bytes]]:
    written: list[tuple[Table, int]] = []
    collections: list[str] = []
    for t in TABLES:
        table = t.build(site)
        if table is None:
            continue
        if t.name == "source_statistics":
            collections = sorted(set(table.column("collection").to_pylist()))
        written.append((t, table.num_rows))
        yield f"{t.name}.csv", _csv(table)
        yield f"{t.name}.parquet", _parquet(table)
    yield "README.md", _readme(site, written, collections).encode("utf-8")


def dataset_zip(site: Site) -> bytes:
    """The zip's bytes (the same store gives the same bytes)."""
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in _members(site):
            z.writestr(
                zipfile.ZipInfo(f"oversight-data/{name}", _ZIP_TIME),
                content,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return sink.getvalue()
