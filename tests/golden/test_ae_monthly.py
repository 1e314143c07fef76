"""NHS England's monthly A&E files, all of them: stored exactly as published, metrics equal to
the values computed straight from the published counts, England equal to the total row.

The expected values are computed here from the raw CSV with Python's csv module and the
publisher's own column names, independently of the ingest and of the metric definitions, so
the store and the SQL engine are checked against the publication, not against themselves.
Counts are integers, so equality is exact; shares are compared to 1e-12 (floating division).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from oversight.engine.sources.ae_series import england_check, provider_metric_table, series
from oversight.frameworks.ae import ae_metrics
from tests.ae_files import AE_FILES, MONTH_NUMBER

pytestmark = pytest.mark.golden


def published(path: Path) -> tuple[date, dict[str, dict[str, int]]]:
    """Provider code -> {column name: count}, straight from the file (total row left out)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = [h.strip() for h in rows[0]]
    out: dict[str, dict[str, int]] = {}
    month = None
    for row in rows[1:]:
        code = row[1].strip()
        if code.upper() == "TOTAL" or not code:
            continue
        found = re.match(r"MSITAE-([A-Z]+)-(\d{4})", row[0].strip().upper())
        assert found
        month = date(int(found.group(2)), MONTH_NUMBER[found.group(1)], 1)
        out[code] = {
            h: int(v) for h, v in zip(header[4:], row[4:], strict=False) if h and v.strip()
        }
    assert month is not None
    return month, out


def _current_files(con: duckdb.DuckDBPyConnection) -> list[Path]:
    names = {
        n
        for (n,) in con.execute(
            "SELECT f.file_name FROM ae_current_release JOIN source_file f USING (file_id)"
        ).fetchall()
    }
    return [p for p in AE_FILES if p.name in names]


def test_every_bundled_file_is_stored(ae_store: duckdb.DuckDBPyConnection) -> None:
    assert len(AE_FILES) == 98
    files = ae_store.execute(
        "SELECT count(*) FROM source_file WHERE kind = 'ae_monthly'"
    ).fetchone()
    assert files == (98,)
    months = ae_store.execute("SELECT count(DISTINCT month), count(*) FROM ae_release").fetchone()
    assert months == (94, 98)
    revised = ae_store.execute(
        "SELECT strftime(month, '%Y-%m'), f.file_name FROM ae_current_release "
        "JOIN source_file f USING (file_id) WHERE revision = 2 ORDER BY month"
    ).fetchall()
    assert revised == [
        ("2025-04", "April-2025-CSV-revised.csv"),
        ("2025-05", "May-2025-CSV-revised.csv"),
        ("2025-06", "June-2025-CSV-revised.csv"),
        ("2025-07", "July-2025-CSV-revised.csv"),
    ]


def test_store_holds_every_published_count(ae_store: duckdb.DuckDBPyConnection) -> None:
    """Each file's every provider count, in its own release (first and revised alike)."""
    layout_cols = 0
    for path in AE_FILES:
        month, expected = published(path)
        rows = ae_store.execute(
            "SELECT v.org_code, count(*), sum(v.value) FROM ae_value v "
            "JOIN source_file f USING (file_id) WHERE f.file_name = ? GROUP BY v.org_code",
            [path.name],
        ).fetchall()
        got = {code: (n, total) for code, n, total in rows}
        assert set(got) == set(expected), path.name
        for code, cells in expected.items():
            assert got[code] == (len(cells), sum(cells.values())), (path.name, code)
        layout_cols = max(layout_cols, max(len(c) for c in expected.values()))
    assert layout_cols == 18


def test_four_hour_performance_equals_published_counts(ae_store: duckdb.DuckDBPyConnection) -> None:
    """For every provider-month: (attendances - over 4 hours) / attendances, booked included,
    from the publisher's columns, for all types and for type 1."""
    metrics = ae_metrics()
    tables = {
        m: {
            (r["month"], r["code"]): r
            for r in provider_metric_table(ae_store, metrics.metric(m)).to_pylist()  # type: ignore[arg-type]
        }
        for m in ("ae_4hr_all_types", "ae_4hr_type1", "ae_attendances_all", "ae_12hr_dta")
    }
    checked = 0
    for path in _current_files(ae_store):
        month, providers = published(path)
        for code, cells in providers.items():
            att = sum(
                v
                for h, v in cells.items()
                if "attendances" in h.lower() and "over" not in h.lower()
            )
            over = sum(v for h, v in cells.items() if "over 4hrs" in h.lower())
            att1 = sum(
                v
                for h, v in cells.items()
                if re.search(r"attendances (booked appointments )?type 1$", h, re.I)
            )
            over1 = sum(
                v
                for h, v in cells.items()
                if re.search(r"over 4hrs (booked appointments )?type 1$", h, re.I)
            )
            all_types = tables["ae_4hr_all_types"][(month, code)]
            type1 = tables["ae_4hr_type1"][(month, code)]
            assert (all_types["numerator"], all_types["denominator"]) == (att - over, att)
            assert (type1["numerator"], type1["denominator"]) == (att1 - over1, att1)
            if att:
                assert all_types["value"] == pytest.approx((att - over) / att, abs=1e-12)
            else:
                assert all_types["value"] is None
            if att1:
                assert type1["value"] == pytest.approx((att1 - over1) / att1, abs=1e-12)
            assert tables["ae_attendances_all"][(month, code)]["value"] == att
            dta = cells["Patients who have waited 12+ hrs from DTA to admission"]
            assert tables["ae_12hr_dta"][(month, code)]["value"] == dta
            checked += 1
    assert checked > 19_000  # 94 months x about 200 providers


def test_england_equals_the_published_total_row(ae_store: duckdb.DuckDBPyConnection) -> None:
    metrics = ae_metrics()
    months_with_total = ae_store.execute(
        "SELECT count(*) FROM ae_current_release WHERE has_total"
    ).fetchone()
    assert months_with_total == (94,)
    for metric in metrics.metrics:
        assert england_check(ae_store, metric) == [], metric.id
    # and the published national figure itself: September 2024, 74.2% within 4 hours
    sep = next(
        p
        for p in series(ae_store, metrics, "ae_4hr_all_types", "ENGLAND")
        if p.month == date(2024, 9, 1)
    )
    assert round(sep.value or 0, 3) == 0.742


def test_regions_cover_every_provider_and_sum_to_england(
    ae_store: duckdb.DuckDBPyConnection,
) -> None:
    metrics = ae_metrics()
    names = [p for (p,) in ae_store.execute("SELECT DISTINCT parent_org FROM ae_value").fetchall()]
    assert [n for n in names if metrics.region_of(n) is None] == []
    england = {
        p.month: p.numerator for p in series(ae_store, metrics, "ae_attendances_all", "ENGLAND")
    }
    by_month: dict[date, float] = defaultdict(float)
    for region in metrics.regions:
        for p in series(ae_store, metrics, "ae_attendances_all", region.code):
            by_month[p.month] += p.numerator or 0
    assert dict(by_month) == england
