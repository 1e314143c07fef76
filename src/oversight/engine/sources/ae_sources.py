"""Monthly A&E counts as sources for SPC series and funnel plots (see engine/sources/ae_series.py);
offered to ``engine.series`` and ``engine.funnel`` by :mod:`engine.sources.provided`.

An A&E metric ID (``ae_4hr_type1`` ...) gives an organisation's monthly series as it is today
(predecessors summed in), and, for shares, every provider's numerator and denominator in a
month for a funnel plot.
"""

from __future__ import annotations

from oversight.engine.shapes import Series, Unit
from oversight.engine.sources.ae_series import provider_metric_table
from oversight.engine.sources.ae_series import series as ae_series
from oversight.errors import Problem, UserError
from oversight.frameworks.ae import AE_COLLECTION, ae_metrics, ae_successors
from oversight.store.collections_query import has_collection_tables, org_name, org_names
from oversight.store.schema import Connection


def _has_ae(con: Connection) -> bool:
    return has_collection_tables(con)


def _name(con: Connection, code: str) -> str:
    found = org_name(con, AE_COLLECTION, code)
    return found.strip() if found else code


def monthly_series(con: Connection, code: str, metric: str) -> Series | None:
    metrics = ae_metrics()
    definition = metrics.metric(metric)
    if definition is None or not _has_ae(con):
        return None
    points = [
        p for p in ae_series(con, metrics, metric, code, ae_successors()) if p.value is not None
    ]
    return Series(
        code,
        _name(con, code),
        metric,
        definition.description,
        [p.month.strftime("%Y-%m") for p in points],
        [float(p.value) for p in points if p.value is not None],
        "increase" if definition.higher_is_better else "decrease",
        "monthly",
    )


def month_units(con: Connection, metric: str, period: str | None) -> list[Unit] | None:
    panel = month_panel(con, metric)
    if panel is None:
        return None
    return units_of_month(panel, period)


def units_of_month(panel: dict[str, list[Unit]], period: str | None) -> list[Unit]:
    """One month of a ``month_panel`` (None: the latest); a month not stored is an error."""
    months = list(panel)
    wanted = period or months[-1]
    if wanted not in panel:
        raise UserError(
            f"No A&E month {wanted!r}", [Problem(f"months stored: {months[0]} to {months[-1]}")]
        )
    return panel[wanted]


def month_panel(con: Connection, metric: str) -> dict[str, list[Unit]] | None:
    """Every stored month's providers with a denominator, in month order: the metric's table
    and the providers' names read once (a funnel of any month is then only arithmetic)."""
    metrics = ae_metrics()
    definition = metrics.metric(metric)
    if definition is None or not _has_ae(con):
        return None
    if definition.kind != "share_within":
        raise UserError(
            f"{metric} is a count with no denominator",
            [Problem("a funnel plot needs a share, e.g. ae_4hr_type1")],
        )
    table = provider_metric_table(con, definition).to_pylist()
    panel: dict[str, list[Unit]] = {m: [] for m in sorted({str(r["month"])[:7] for r in table})}
    names = org_names(con, AE_COLLECTION)
    for r in table:
        if r["denominator"] and r["denominator"] > 0:
            name = names.get(r["code"])
            unit = Unit(r["code"], name.strip() if name else r["code"], float(r["numerator"]),
                        float(r["denominator"]))  # fmt: skip
            panel[str(r["month"])[:7]].append(unit)
    return panel
