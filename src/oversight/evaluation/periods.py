"""Period labels <-> consecutive whole numbers, so that "one period later" is just +1.

Years are themselves; quarters are 4*year + (quarter-1) on the calendar; months 12*year +
(month-1). NHS financial-year quarters ("Q1 2025/26" = April-June 2025) map onto the calendar
quarter they cover, so NOF quarters and calendar quarters sort together.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

Frequency = Literal["year", "quarter", "month"]

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}


class PeriodError(ValueError):
    pass


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def parse_period(value: object, frequency: Frequency) -> int:
    """The ordinal of a period label; raises PeriodError if it is not one."""
    if isinstance(value, datetime | date):
        return _from_date(value.year, value.month, frequency)
    text = str(value).strip()
    if frequency == "year":
        m = re.fullmatch(r"(\d{4})(?:\.0+)?", text)
        if not m:
            raise PeriodError(f"{text!r} is not a year such as 2019")
        return int(m.group(1))
    if frequency == "quarter":
        return _quarter(text)
    return _month(text)


def _from_date(year: int, month: int, frequency: Frequency) -> int:
    if frequency == "year":
        return year
    if frequency == "quarter":
        return year * 4 + (month - 1) // 3
    return year * 12 + month - 1


def _quarter(text: str) -> int:
    t = text.upper().replace(" ", "")
    # NHS financial year: Q1 2025/26 is April-June 2025
    m = re.fullmatch(r"Q([1-4])(\d{4})/(\d{2,4})", t)
    if m:
        q, fy = int(m.group(1)), int(m.group(2))
        return fy * 4 + q  # fiscal Q1 -> calendar Q2 (index 1), ..., fiscal Q4 -> next Q1
    for pattern in (r"(\d{4})-?Q([1-4])", r"Q([1-4])-?(\d{4})"):
        m = re.fullmatch(pattern, t)
        if m:
            a, b = m.group(1), m.group(2)
            year, q = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
            return year * 4 + q - 1
    raise PeriodError(f"{text!r} is not a quarter such as 2011Q3, Q3 2011 or Q1 2025/26")


def _month(text: str) -> int:
    t = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?(?:[ T].*)?", t)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)) * 12 + int(m.group(2)) - 1
    m = re.fullmatch(r"([A-Za-z]{3})[A-Za-z]*[-\s]+(\d{2}|\d{4})", t)
    if m and m.group(1).lower() in _MONTHS:
        return _year(m.group(2)) * 12 + _MONTHS[m.group(1).lower()] - 1
    raise PeriodError(f"{text!r} is not a month such as 2019-04 or Apr-19")


def period_label(ordinal: int, frequency: Frequency) -> str:
    """A canonical label (used when the source's own label is not at hand)."""
    if frequency == "year":
        return str(ordinal)
    if frequency == "quarter":
        return f"{ordinal // 4}Q{ordinal % 4 + 1}"
    return f"{ordinal // 12}-{ordinal % 12 + 1:02d}"
