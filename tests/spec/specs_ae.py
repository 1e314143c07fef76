"""Behaviour of the A&E patient-level definition, one spec at a time: input records, what is
counted, the expected values. Every spec runs on every engine (test_ae_patient_level.py).

``counts`` keys are ``"PROVIDER YYYY-MM TYPE"`` and list only the measures the spec is about;
``metrics`` keys are ``"PROVIDER YYYY-MM METRIC"`` with ``(numerator, denominator)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spec:
    id: str
    title: str
    records: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    metrics: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    absent: tuple[str, ...] = ()  # metric keys that must not appear
    month_from: str = "arrival"


SPECS = [
    Spec(
        "four_hour_boundary",
        "Exactly 4h00m00s from arrival to departure is within 4 hours; one second more is over",
        """
        | provider | type | arrival             | departure           |
        | P        | 1    | 2025-11-03 10:00:00 | 2025-11-03 13:59:59 |
        | P        | 1    | 2025-11-03 10:00:00 | 2025-11-03 14:00:00 |
        | P        | 1    | 2025-11-03 10:00:00 | 2025-11-03 14:00:01 |
        | P        | 1    | 2025-11-03 22:30:00 | 2025-11-04 02:30:00 |
        | P        | 1    | 2025-11-03 22:30:00 | 2025-11-04 02:31:00 |
        """,
        counts={"P 2025-11 1": {"attendances": 5, "over_4hr": 2}},
        metrics={"P 2025-11 ae_4hr_all_types": (3, 5), "P 2025-11 ae_4hr_type1": (3, 5)},
    ),
    Spec(
        "dta_boundaries",
        "Decision to admit to departure: over 4h up to exactly 12h is a 4-12h wait; over 12h is "
        "a 12-hour wait; exactly 4h is neither",
        """
        | provider | type | arrival          | dta                 | departure           | admitted |
        | P        | 1    | 2025-11-03 08:00 | 2025-11-03 09:00:00 | 2025-11-03 13:00:00 | y        |
        | P        | 1    | 2025-11-03 08:00 | 2025-11-03 09:00:00 | 2025-11-03 13:00:01 | y        |
        | P        | 1    | 2025-11-03 08:00 | 2025-11-03 09:00:00 | 2025-11-03 21:00:00 | y        |
        | P        | 1    | 2025-11-03 08:00 | 2025-11-03 09:00:00 | 2025-11-03 21:00:01 | y        |
        | P        | 1    | 2025-11-03 08:00 | 2025-11-03 09:00:00 | 2025-11-05 09:00:00 | y        |
        """,
        counts={
            "P 2025-11 1": {
                "dta_4_12hr": 2,
                "dta_12hr": 2,
                "over_4hr": 5,
                "emergency_admissions": 5,
            }
        },
        metrics={"P 2025-11 ae_12hr_dta": (2, None)},
    ),
    Spec(
        "missing_departure",
        "An attendance with no departure time is counted, and counted as over 4 hours (it cannot "
        "be shown to have ended in time); its DTA wait is unknown and not counted",
        """
        | provider | type | arrival          | dta              | departure        | admitted |
        | P        | 1    | 2025-11-03 08:00 | 2025-11-03 08:30 |                  | y        |
        | P        | 1    | 2025-11-03 08:00 |                  | 2025-11-03 09:00 | n        |
        """,
        counts={
            "P 2025-11 1": {
                "attendances": 2,
                "over_4hr": 1,
                "departure_missing": 1,
                "dta_4_12hr": 0,
                "dta_12hr": 0,
                "emergency_admissions": 1,
            }
        },
        metrics={"P 2025-11 ae_4hr_all_types": (1, 2)},
    ),
    Spec(
        "month_by_arrival",
        "An attendance counts in the calendar month it arrived, waits and all, even when it "
        "ends in the next month",
        """
        | provider | type | arrival             | dta                 | departure           | admitted |
        | P        | 1    | 2025-11-30 23:59:59 | 2025-12-01 02:00:00 | 2025-12-01 14:00:01 | y        |
        | P        | 1    | 2025-12-01 00:00:00 |                     | 2025-12-01 01:00:00 | n        |
        | P        | 1    | 2025-10-31 23:00:00 |                     | 2025-11-01 01:00:00 | n        |
        """,
        counts={
            "P 2025-10 1": {"attendances": 1, "over_4hr": 0},
            "P 2025-11 1": {"attendances": 1, "over_4hr": 1, "dta_12hr": 1},
            "P 2025-12 1": {"attendances": 1, "over_4hr": 0, "dta_12hr": 0},
        },
        metrics={"P 2025-11 ae_12hr_dta": (1, None), "P 2025-12 ae_attendances_all": (1, None)},
    ),
    Spec(
        "month_by_departure_variant",
        "A variant definition with month_from: departure moves the same attendance to December",
        """
        | provider | type | arrival             | departure           |
        | P        | 1    | 2025-11-30 23:59:59 | 2025-12-01 04:00:00 |
        | P        | 1    | 2025-11-30 20:00:00 | 2025-11-30 23:00:00 |
        """,
        counts={
            "P 2025-11 1": {"attendances": 1, "over_4hr": 0},
            "P 2025-12 1": {"attendances": 1, "over_4hr": 1},
        },
        month_from="departure",
    ),
    Spec(
        "booked_appointments",
        "Booked appointments are attendances: in the denominator and, when over 4 hours, in the "
        "numerator's deduction, as NHS England publishes the all-types figure",
        """
        | provider | type | arrival          | departure        | booked |
        | P        | 1    | 2025-11-03 09:00 | 2025-11-03 09:30 | y      |
        | P        | 1    | 2025-11-03 09:00 | 2025-11-03 15:00 | y      |
        | P        | 1    | 2025-11-03 09:00 | 2025-11-03 10:00 | n      |
        | P        | 3    | 2025-11-03 09:00 | 2025-11-03 10:00 |        |
        """,
        counts={
            "P 2025-11 1": {"attendances": 3, "booked": 2, "over_4hr": 1, "booked_over_4hr": 1},
            "P 2025-11 3": {"attendances": 1, "booked": 0, "over_4hr": 0, "booked_over_4hr": 0},
        },
        metrics={
            "P 2025-11 ae_4hr_all_types": (3, 4),
            "P 2025-11 ae_4hr_type1": (2, 3),
            "P 2025-11 ae_attendances_all": (4, None),
        },
    ),
    Spec(
        "department_types",
        "Counts are kept per department type; the type 1 share has no value for a provider "
        "without a type 1 department",
        """
        | provider | type | arrival          | departure        | admitted |
        | P        | 1    | 2025-11-03 09:00 | 2025-11-03 14:00 | y        |
        | P        | 2    | 2025-11-03 09:00 | 2025-11-03 10:00 | y        |
        | P        | 3    | 2025-11-03 09:00 | 2025-11-03 09:20 | n        |
        | U        | 3    | 2025-11-03 09:00 | 2025-11-03 13:30 |          |
        """,
        counts={
            "P 2025-11 1": {"attendances": 1, "over_4hr": 1, "emergency_admissions": 1},
            "P 2025-11 2": {"attendances": 1, "over_4hr": 0, "emergency_admissions": 1},
            "P 2025-11 3": {"attendances": 1, "over_4hr": 0, "emergency_admissions": 0},
            "U 2025-11 3": {"attendances": 1, "over_4hr": 1, "emergency_admissions": 0},
        },
        metrics={
            "P 2025-11 ae_4hr_all_types": (2, 3),
            "P 2025-11 ae_4hr_type1": (0, 1),
            "P 2025-11 ae_emergency_admissions_via_ae": (2, None),
            "U 2025-11 ae_4hr_all_types": (0, 1),
        },
        absent=("U 2025-11 ae_4hr_type1",),
    ),
    Spec(
        "dta_without_admission",
        "A decision to admit counts towards DTA waits whether or not the admitted flag is set "
        "(a patient can be transferred to another provider's bed); admissions count the flag",
        """
        | provider | type | arrival          | dta              | departure        | admitted |
        | P        | 1    | 2025-11-03 08:00 | 2025-11-03 09:00 | 2025-11-03 22:00 | n        |
        """,
        counts={"P 2025-11 1": {"dta_12hr": 1, "emergency_admissions": 0}},
    ),
    Spec(
        "data_quality",
        "Times out of order are counted where they fall and flagged: a departure before arrival "
        "is within 4 hours; a decision to admit before arrival still measures its wait",
        """
        | provider | type | arrival          | dta              | departure        |
        | P        | 1    | 2025-11-03 10:00 |                  | 2025-11-03 09:00 |
        | P        | 1    | 2025-11-03 10:00 | 2025-11-02 20:00 | 2025-11-03 11:00 |
        """,
        counts={
            "P 2025-11 1": {
                "departure_before_arrival": 1,
                "dta_before_arrival": 1,
                "over_4hr": 0,
                "dta_12hr": 1,
            }
        },
    ),
]
