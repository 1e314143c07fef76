"""An ingest plan (MANIFEST.csv): which file supersedes which, stated, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.errors import UserError
from oversight.ingest.manifest import RevisionPlan, is_manifest, manifest_above, read_manifest
from tests.ae_files import AE_DIR, ae_plan


def test_the_bundled_manifest_names_four_revised_months() -> None:
    plan = ae_plan()
    assert len(plan.supersedes) == 4
    assert manifest_above(AE_DIR) == AE_DIR.parent / "MANIFEST.csv"
    assert sorted(plan.depth(s) for s in (*plan.supersedes, *plan.supersedes.values())) == [
        0, 0, 0, 0, 1, 1, 1, 1
    ]  # fmt: skip


def test_a_supersedes_naming_no_row_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "MANIFEST.csv"
    path.write_text("file,sha256,supersedes\na.csv,aa,\nb.csv,bb,c.csv\n", encoding="utf-8")
    assert is_manifest(path)
    with pytest.raises(UserError) as info:
        read_manifest(path)
    [p] = info.value.problems
    assert (p.file, p.line, p.field) == (str(path), 3, "supersedes")
    assert "'c.csv'" in p.message


def test_other_csv_files_are_not_plans(tmp_path: Path) -> None:
    shared = tmp_path / "MANIFEST.csv"
    shared.write_text("file,bytes,sha256\na.csv,1,aa\n", encoding="utf-8")
    assert not is_manifest(shared)  # no supersedes column
    assert RevisionPlan().depth("aa") == 0
