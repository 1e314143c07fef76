"""`league-table --calibrated`: the same ranks and segments, with empirically calibrated (wider)
likely ranges, and the output says which ranges it shows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.functional.test_cli import MH, cli, ingested, workdir  # noqa: F401


def test_calibrated_ranges_keep_ranks_and_widen_the_ranges(
    ingested: tuple[Path, str],  # noqa: F811
    workdir: Path,  # noqa: F811
) -> None:
    db, _ = ingested

    def table(*extra: str) -> list[dict[str, str]]:
        done = cli("league-table", "-t", MH, "--format", "csv", *extra, cwd=workdir, db=db)
        assert done.returncode == 0, done.stderr
        return list(csv.DictReader(io.StringIO(done.stdout)))

    published, calibrated = table(), table("--calibrated")
    assert [(r["trust_code"], r["rank"], r["segment"]) for r in published] == [
        (r["trust_code"], r["rank"], r["segment"]) for r in calibrated
    ]

    def width(rows: list[dict[str, str]]) -> float:
        return sum(int(r["rank_high"]) - int(r["rank_low"]) for r in rows) / len(rows)

    assert width(calibrated) > width(published)
    done = cli("league-table", "-t", MH, "--calibrated", "--format", "json", cwd=workdir, db=db)
    assert json.loads(done.stdout)["meta"]["likely_ranges"]["calibrated"] is True
