"""What the source-statistics collections provide to the rest of the engine, asked directly
(no registry for a face to fill): an organisation's monthly series of a collection metric for
SPC, and every organisation's counts of a share for a funnel plot. ``None`` means the metric is
not one of theirs (or the store holds no collection data), so the caller tries the NOF store.
"""

from __future__ import annotations

from oversight.engine.shapes import Series, Unit
from oversight.engine.sources import ae_sources
from oversight.store.schema import Connection


def source_series(con: Connection, code: str, metric: str) -> Series | None:
    return ae_sources.monthly_series(con, code, metric)


def source_units(con: Connection, metric: str, period: str | None) -> list[Unit] | None:
    return ae_sources.month_units(con, metric, period)
