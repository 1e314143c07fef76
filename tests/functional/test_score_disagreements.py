"""When a file's raw values and its own published scores disagree, every face says so, and
`--scores computed` scores from the raw values.

The case: NHS England's real Q4 2025/26 mental health and community data file with two trusts'
raw staff-engagement values (OF0084) swapped, nothing else changed. The published OF1084 scores
no longer follow from the raw values for exactly those two trusts.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oversight.service.site import Site
from oversight.stats.rounding import half_up
from oversight.web.app import create_app
from tests.conftest import MH_DATA
from tests.functional.inprocess import oversight

Q4 = "Q4 2025/26"
A, B = "RHA", "RYV"  # OF0084 6.42 and 7.36, each value held by no other trust


@pytest.fixture(scope="module")
def swapped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, float]]:
    folder = tmp_path_factory.mktemp("swap")
    with MH_DATA.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [list(r) for r in reader]
    q, code, mid, val = (header.index(c) for c in ("Quarter", "Trust_code", "Metric_ID", "Value"))
    raw = {r[code]: r for r in rows if r[q] == Q4 and r[mid] == "OF0084" and r[code] in (A, B)}
    raw[A][val], raw[B][val] = raw[B][val], raw[A][val]
    published = {
        r[code]: float(r[val])
        for r in rows
        if r[q] == Q4 and r[mid] == "OF1084" and r[code] in (A, B)
    }
    path = folder / "swapped.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([header, *rows])
    db = folder / "swap.duckdb"
    assert oversight("ingest", path, db=db).returncode == 0
    return db, published


def _league(db: Path, *extra: str) -> tuple[dict[str, dict[str, object]], list[str], str]:
    run = oversight(
        "league-table",
        "-t",
        "mental_health_community",
        "-q",
        Q4,
        "--format",
        "json",
        *extra,
        db=db,
    )
    assert run.returncode == 0, run.stderr
    body = json.loads(run.stdout)
    return (
        {r["trust_code"]: r for r in body["rows"]},
        body["meta"]["score_disagreements"],
        run.stderr,
    )


def test_the_disagreement_is_reported_and_the_publication_kept(
    swapped: tuple[Path, dict[str, float]],
) -> None:
    db, _ = swapped
    rows, lines, err = _league(db)
    assert len(lines) == 1 and lines[0].startswith("OF1084:")
    assert f"{A} computed" in lines[0] and f"{B} computed" in lines[0]
    assert "2 organisation(s)" in lines[0] and "published scores are used" in lines[0]
    assert "warning: OF1084" in err.replace("\n", " ")
    # the API and the dashboard say the same
    client = TestClient(create_app(Site(db)))
    meta = client.get("/api/v1/league-tables", params={"quarter": Q4}).json()["meta"]
    assert meta["score_disagreements"] == lines
    page = client.get("/2025-26-q4/league/mental_health_community.html").text
    assert 'id="score-disagreements"' in page and f"{A} computed" in page


def test_computed_scores_move_the_two_trusts_by_the_expected_amounts_and_no_one_else(
    swapped: tuple[Path, dict[str, float]],
) -> None:
    db, published = swapped
    before, _, _ = _league(db)
    after, lines, _ = _league(db, "--scores", "computed")
    assert "computed scores are used" in lines[0]
    explain = {
        code: json.loads(oversight("explain", code, "-q", Q4, "--format", "json", db=db).stdout)
        for code in (A, B)
    }
    moved = {c for c in before if before[c]["average_score"] != after[c]["average_score"]}
    assert moved == {A, B}
    of1084 = {
        code: next(m["score"] for m in explain[code]["metrics"] if m["metric_id"] == "OF1084")
        for code in (A, B)
    }
    for code, other in ((A, B), (B, A)):
        used = [m for m in explain[code]["metrics"] if m["used_in_average"]]
        total = sum(float(m["score"]) for m in used)
        # the swapped raw value takes the other trust's place in the ranking, so its computed
        # score is the other's (published, unrounded) one; nothing else in its average moves
        expected = half_up((total - of1084[code] + of1084[other]) / len(used))
        assert after[code]["average_score"] == pytest.approx(expected, abs=1e-9), code
    assert published[A] != published[B]
