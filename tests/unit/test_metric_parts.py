"""A source metric split into its parts, each ranked with a Wilson interval: A&E by department
type agrees with the A&E services view; cancer's 28-day standard by route and by cancer type on
a bundled cancer file."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from oversight.engine.sources.ae_services import service_split
from oversight.engine.sources.metric_parts import WHOLE, metric_parts
from oversight.engine.sources.monthly_metric import monthly_values
from oversight.frameworks.source_metrics import source_metrics
from tests.functional.inprocess import oversight

ROOT = Path(__file__).resolve().parents[2]
CANCER = (
    ROOT / "data" / "nhs" / "cancer" / "CWT-CRS-Apr-2025-to-Jul-2025-Data-Extract-Provider.xlsx"
)


def test_ae_parts_agree_with_the_services_view(ae_store: duckdb.DuckDBPyConnection) -> None:
    metric = source_metrics().metric("OF0013")
    assert metric is not None
    month, found = metric_parts(ae_store, metric, "breakdown", "2025-12")
    services = {s.department_type: s for s in service_split(ae_store, "RX1", month).services}
    parts = {p.key: p for p in found["RX1"].parts}
    assert parts[WHOLE].share == pytest.approx(services["all_types"].share)
    assert (parts[WHOLE].rank, parts[WHOLE].of) == (
        services["all_types"].rank,
        services["all_types"].of,
    )
    for key in ("type1", "type2", "other"):
        assert parts[key].share == pytest.approx(services[key].share)
        assert (parts[key].rank, parts[key].of) == (services[key].rank, services[key].of)


@pytest.fixture(scope="module")
def cancer_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cancer")
    shutil.copy(CANCER, folder / CANCER.name)
    db = folder / "cancer.duckdb"
    done = oversight("ingest", folder / CANCER.name, db=db)
    assert done.returncode == 0, done.stderr
    return db


def test_cancer_fds_by_route_and_type(cancer_store: Path) -> None:
    metric = source_metrics().metric("OF0010")
    assert metric is not None
    con = duckdb.connect(str(cancer_store), read_only=True)
    try:
        month, by_route = metric_parts(con, metric, "subgroup", "2025-07")
        _, by_type = metric_parts(con, metric, "breakdown", "2025-07")
        monthly = monthly_values(con, metric)
    finally:
        con.close()
    code = max(by_route, key=lambda c: by_route[c].parts[0].denominator)  # the largest provider
    route = by_route[code].parts
    assert route[0].key == WHOLE
    # the whole equals the metric's monthly value; the routes add up to it
    value = next(v for d, v in monthly[code].items() if f"{d:%Y-%m}" == month)
    assert route[0].share * metric.scale == pytest.approx(value)
    assert sum(p.denominator for p in route[1:]) == pytest.approx(route[0].denominator)
    assert sum(p.denominator for p in by_type[code].parts[1:]) == pytest.approx(
        route[0].denominator
    )
    for p in route + by_type[code].parts:
        assert p.ci_low <= p.share <= p.ci_high and 1 <= p.rank <= p.of
