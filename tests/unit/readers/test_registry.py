"""Every new collection is declared, has a registered reader, and costs nothing at import."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from oversight.frameworks.collections import collection
from oversight.ingest.readers import MODULES, reader_for
from tests.unit.readers._files import DATA, read, refused

IDS = (
    "cancer_waiting_times",
    "diagnostics_dm01",
    "ambulance_ambsys",
    "staff_survey_2024",
    "ods_trusts",
    "ods_sub_icb",
    "ods_successions",
    "ons_icbs",
)


@pytest.mark.parametrize("collection_id", IDS)
def test_declared_with_a_registered_reader(collection_id: str) -> None:
    c = collection(collection_id)
    assert c.reader in MODULES
    assert callable(reader_for(c))


def test_importing_the_readers_does_not_load_the_spreadsheet_library() -> None:
    modules = " ".join(sorted(set(MODULES.values())))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}.split():\n    importlib.import_module(m)\n"
        "import oversight.ingest.readers.recognise\n"
        "print('python_calamine' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "extract.xlsx"
    fake.write_text("PERIOD,STANDARD\n2025-04-01,28-day FDS\n")
    assert "Cannot read extract.xlsx as a spreadsheet" in refused("cancer_waiting_times", fake)


@pytest.mark.slow
def test_the_three_cancer_extracts_cover_sixteen_months_without_overlap() -> None:
    months: list[date] = []
    for path in sorted((DATA / "cancer").glob("*.xlsx")):
        months += read("cancer_waiting_times", path).periods
    assert len(months) == len(set(months)) == 16
    assert min(months) == date(2024, 4, 1) and max(months) == date(2025, 7, 1)
