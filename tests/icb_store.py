"""A store for the ICB tests: the ODS/ONS reference files and the source statistics that give
Q1 2025/26's ICB metrics (cancer April-July 2025, A&E April-June 2025, DM01 June 2025, the
2024 staff survey)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.frameworks.collections import collection
from oversight.ingest.readers import reader_for
from oversight.store import connect
from oversight.store.collections import store_releases

NHS = Path(__file__).resolve().parents[1] / "data" / "nhs"
ODS = NHS / "ods"
FILES = [
    ("ods_trusts", ["ods/etr.csv"]),
    ("ods_successions", ["ods/succ.csv"]),
    ("ons_icbs", ["ods/icb_names_codes_dec_2024.csv"]),
    ("cancer_waiting_times", ["cancer/CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx"]),
    (
        "ae_monthly",
        [
            "ae/monthly/April-2025-CSV-revised.csv",
            "ae/monthly/May-2025-CSV-revised.csv",
            "ae/monthly/June-2025-CSV-revised.csv",
        ],
    ),  # fmt: skip
    ("diagnostics_dm01", ["diagnostics/Monthly-Diagnostics-Web-File-Provider-June-2025_45KNG.xls"]),
    ("staff_survey_2024", ["staff-survey/NSS24 detailed spreadsheets organisational results.xlsx"]),
]


def build_icb_store(path: Path) -> Path:
    con = connect(path)
    for cid, names in FILES:
        definition = collection(cid)
        read = reader_for(definition)
        store_releases(con, [read(NHS / n, definition) for n in names])
    con.close()
    return path


@pytest.fixture(scope="session")
def icb_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Import into a test module to use (built once per session)."""
    return build_icb_store(tmp_path_factory.mktemp("icb") / "icb.duckdb")
