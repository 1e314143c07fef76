"""Published monthly counts (the A&E ingest's long table) as the generator's provider-months."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from oversight.errors import Problem, UserError
from oversight.frameworks.ae import AE_COLLECTION
from oversight.store.collections_query import period_values
from oversight.store.schema import Connection
from oversight.synthetic.counts import ProviderMonth

TYPES = {"type1": 0, "type2": 1, "other": 2}  # "other" (types 3 and 4) is generated as type 3


def provider_months(long: pa.Table, month: date | None = None) -> list[ProviderMonth]:
    """``long`` has org_code, department_type, measure, value and (unless ``month`` is given,
    as for one parsed file) month: the A&E ingest's shape."""
    if "month" not in long.column_names:
        if month is None:
            raise ValueError("give the month of a table without a month column")
        long = long.append_column("month", pa.array([month] * long.num_rows, pa.date32()))
    by: dict[tuple[str, date], dict[str, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0, 0])
    )
    for r in long.select(["org_code", "month", "department_type", "measure", "value"]).to_pylist():
        if r["value"] is None:
            continue
        cell = by[(r["org_code"], r["month"])][r["measure"]]
        cell[TYPES.get(r["department_type"], 0)] += r["value"]
    out = []
    for (code, month), m in sorted(by.items()):
        booked, booked_over = m["attendances_booked"], m["over_4hr_booked"]
        out.append(
            ProviderMonth(
                provider=code,
                month=month,
                attendances=_t([x + y for x, y in zip(m["attendances"], booked, strict=True)]),
                booked=_t(booked),
                over_4hr=_t([x + y for x, y in zip(m["over_4hr"], booked_over, strict=True)]),
                booked_over_4hr=_t(booked_over),
                emergency_admissions=_t(m["emergency_admissions_via_ae"]),
                dta_4_12hr=sum(m["dta_wait_4_to_12hr"]),
                dta_12hr=sum(m["dta_wait_12hr_plus"]),
            )
        )
    return out


def _t(v: list[int]) -> tuple[int, int, int]:
    return (v[0], v[1], v[2])


def stored_month(con: Connection, month: date, providers: list[str] | None = None) -> pa.Table:
    """The current release of ``month`` from the store, in the long shape."""
    found = period_values(con, AE_COLLECTION, month, providers)
    table = pa.table(
        {
            "org_code": found.column("org_code"),
            "month": found.column("period"),
            "department_type": found.column("breakdown"),
            "measure": found.column("measure"),
            "value": pc.cast(found.column("value"), pa.int64()),
        }
    )
    if table.num_rows == 0:
        raise UserError(
            f"No published A&E counts for {month:%Y-%m} in the store",
            [Problem("run `oversight ae ingest data/nhs/ae/monthly/` first, or check --month")],
        )
    if providers:
        missing = sorted(set(providers) - set(table.column("org_code").to_pylist()))
        if missing:
            raise UserError(
                f"Providers with no counts in {month:%Y-%m}: {', '.join(missing)}",
                [Problem("check the codes (as published) with `oversight series`")],
            )
    return table
