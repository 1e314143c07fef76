"""Draw attendance records whose counts equal given counts exactly (vectorised numpy).

Within each provider, month and department type the records are laid out by role, then given
times: the first ``over_4hr`` records stay more than 4 hours (the last ``booked_over_4hr`` of
them booked), the rest at most 4 hours (the last ``booked - booked_over_4hr`` booked). The first
``dta_12hr`` records wait more than 12 hours from a decision to admit, the next ``dta_4_12hr``
over 4 and at most 12 hours; the first ``emergency_admissions`` records are admitted. Boundaries
are those of the patient-level definition (``ae-patient-level-v1.yaml``), in whole seconds.

Times: arrival day uniform in the month, hour of day from a typical A&E arrival profile (low at
4-5 am, peak late morning), seconds uniform. Length of stay within 4 hours is log-normal by
department type, with stays that would pass 4 hours drawn instead from the last hour before it
(the familiar rush before the 4-hour mark); over 4 hours, 4 hours plus an exponential tail.
"""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pyarrow as pa

from oversight.engine.patient_level import RECORD_SCHEMA

FOUR_H, TWELVE_H = 4 * 3600, 12 * 3600
# share of a day's arrivals in each hour, 00:00 to 23:00 (shape of published ECDS profiles)
HOURLY = np.array(
    [2.2, 1.8, 1.5, 1.3, 1.1, 1.1, 1.5, 2.5, 4.3, 6.0, 6.6, 6.5,
     6.2, 6.0, 5.8, 5.6, 5.5, 5.5, 5.4, 5.1, 4.6, 4.0, 3.3, 2.6]
)  # fmt: skip
HOURLY = HOURLY / HOURLY.sum()
# median minutes in the department for stays within 4 hours, by department type 1, 2, 3
MEDIAN_WITHIN = np.array([150.0, 80.0, 55.0])
MEAN_BEYOND = np.array([140.0, 60.0, 40.0])  # mean minutes past 4 hours, over-4-hour stays
EPOCH = date(1970, 1, 1)


def generate(counts: pa.Table, rng: np.random.Generator) -> pa.Table:
    """Records (``RECORD_SCHEMA``) for every row of ``counts`` (``counts.COUNTS_SCHEMA``)."""
    c = {name: counts.column(name).to_numpy() for name in counts.column_names if name != "month"}
    months = counts.column("month").to_pylist()
    n = c["attendances"].astype(np.int64)
    total = int(n.sum())
    group = np.repeat(np.arange(len(n)), n)
    i = np.arange(total) - np.repeat(np.cumsum(n) - n, n)  # index within the group

    def per(name: str) -> np.ndarray:
        return np.repeat(c[name].astype(np.int64), n)

    over_n, d12, d4 = per("over_4hr"), per("dta_12hr"), per("dta_4_12hr")
    booked_over = per("booked_over_4hr")
    booked_within = per("booked") - booked_over
    over = i < over_n
    booked = np.where(over, i >= over_n - booked_over, i >= n[group] - booked_within)
    admitted = i < per("emergency_admissions")
    band12 = i < d12
    band4 = (i >= d12) & (i < d12 + d4)
    in_band = band12 | band4

    dtype = c["department_type"].astype(np.int64)[group] - 1
    start = np.array([(m - EPOCH).days * 86400 for m in months], np.int64)[group]
    days = np.array([calendar.monthrange(m.year, m.month)[1] for m in months], np.int64)[group]
    arrival = (
        start
        + (rng.random(total) * days).astype(np.int64) * 86400
        + rng.choice(24, size=total, p=HOURLY).astype(np.int64) * 3600
        + rng.integers(0, 3600, size=total)
    )
    los = _stay(over, dtype, rng)
    wait = np.where(
        band12,
        TWELVE_H + 1 + rng.exponential(5 * 3600, total).astype(np.int64),
        rng.integers(FOUR_H + 1, TWELVE_H + 1, size=total),
    )
    to_dta = rng.integers(30 * 60, FOUR_H + 1, size=total)
    # a consistent DTA wait needs a stay over 4 hours: arrival -> decision -> departure
    consistent = in_band & over
    los = np.where(consistent, to_dta + wait, los)
    departure = arrival + los
    # other admitted patients wait less than 4 hours from a decision made during their stay;
    # waits published without enough over-4-hour stays to carry them keep their published
    # length, so their decision to admit falls before arrival (see counts.reconcile)
    short_wait = (rng.uniform(0.05, 1.0, total) * np.minimum(los, FOUR_H)).astype(np.int64)
    dta = np.where(in_band, departure - wait, departure - short_wait)
    has_dta = in_band | admitted

    provider_codes = counts.column("provider").to_numpy(zero_copy_only=False)
    codes, provider_index = np.unique(provider_codes, return_inverse=True)
    sites = np.char.add(
        np.char.add(codes.astype(str)[provider_index], "-T"), c["department_type"].astype(str)
    )
    site_codes, site_index = np.unique(sites, return_inverse=True)
    return pa.table(
        {
            "provider": pa.DictionaryArray.from_arrays(
                pa.array(provider_index[group], pa.int32()), pa.array(codes, pa.string())
            ).cast(pa.string()),
            "site": pa.DictionaryArray.from_arrays(
                pa.array(site_index[group], pa.int32()), pa.array(site_codes, pa.string())
            ).cast(pa.string()),
            "department_type": pa.array(dtype + 1, pa.int8()),
            "arrival": _ts(arrival),
            "departure": _ts(departure),
            "decision_to_admit": pa.array(dta * 1_000_000, pa.timestamp("us"), mask=~has_dta),
            "admitted": pa.array(admitted),
            "booked": pa.array(booked),
        },
        schema=RECORD_SCHEMA,
    )


def _stay(over: np.ndarray, dtype: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds from arrival to departure: at most 4 hours where not ``over``, else more."""
    n = len(over)
    within = rng.lognormal(np.log(MEDIAN_WITHIN[dtype] * 60), 0.55, n)
    rush = rng.uniform(3 * 3600, FOUR_H, n)
    within = np.clip(np.where(within > FOUR_H, rush, within), 60, FOUR_H).astype(np.int64)
    beyond = FOUR_H + 1 + rng.exponential(MEAN_BEYOND[dtype] * 60).astype(np.int64)
    return np.where(over, beyond, within)


def _ts(seconds: np.ndarray) -> pa.Array:
    return pa.array(seconds * 1_000_000, pa.timestamp("us"))
