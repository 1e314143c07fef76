"""Successions: the ODS succession file where it covers a code, the reviewed mapping for the
rest; the codes where they disagree are exactly those listed in docs/ae-monthly.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from oversight.engine.sources.ae_successors import attribution
from oversight.engine.sources.successions import combined, disagreements
from oversight.errors import UserError
from oversight.frameworks.ae import ae_successors
from oversight.ingest.ae_ods_successions import read_ods_successions

SUCC = Path(__file__).resolve().parents[2] / "data" / "nhs" / "ods" / "succ.csv"


def test_disagreements_are_the_documented_ones() -> None:
    found = disagreements(ae_successors(), read_ods_successions(SUCC))
    assert [d.code for d in found] == ["RR1", "RY1", "RT2", "RW6", "RY9"]
    by_code = {d.code: d for d in found}
    assert by_code["RT2"].ods == "no succession"
    assert by_code["RY9"].ods.startswith("RAX from 2024-11")
    doc = (Path(__file__).resolve().parents[2] / "docs" / "ae-monthly.md").read_text()
    for d in found:
        assert f"| {d.code} | {d.mapping} | {d.ods} |" in doc


def test_combined_mapping_takes_agreeing_entries_from_ods_and_attributes_the_same() -> None:
    smap = ae_successors()
    both = combined(smap, read_ods_successions(SUCC))
    from_ods = [c.predecessor for c in both.changes if c.source.startswith("ODS succ.csv")]
    assert len(from_ods) == 22 and "RGQ" in from_ods and "RR1" not in from_ods
    for change in smap.changes:
        for month in (date(2018, 4, 1), date(2021, 6, 1), date(2025, 12, 1)):
            code = change.predecessor
            assert attribution(both, code, month) == attribution(smap, code, month)


def test_bad_ods_row_is_refused_with_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "succ.csv"
    bad.write_text('"RAA","RBB","","20200401","0"\n"RCC","RDD","","2020-04","0"\n')
    with pytest.raises(UserError) as info:
        read_ods_successions(bad)
    problem = info.value.problems[0]
    assert (problem.line, problem.field) == (2, "effective date")
