"""NHS reporting periods and organisation codes as types: one parser for every face.

NHS England reports by *financial year* (1 April to 31 March, written "2025/26"), its
*quarters* ("Q1 2025/26" is April to June 2025) and calendar *months*. Text sorts these wrongly
("Q1 2026/27" < "Q4 2025/26" as strings), so every layer holds them as these types and converts
to text only to show or store them. Every spelling a user may type is accepted in one place:

- quarters: "Q4 2025/26", "q4 2025-26", "2025-26-q4" (the URL slug), "2025/26 Q4", "Q42025/26"
- months: "2025-11", "2025-11-01", "Nov 2025", "November 2025", "MSitAE-NOVEMBER-2025"
- financial years: "2025/26", "2025-26", "2025/2026", "FY2025/26"

This module is a leaf: it imports nothing from the rest of the package but ``errors``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

from oversight.errors import Problem, UserError

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_BY_NAME = (
    {n.casefold(): i + 1 for i, n in enumerate(MONTH_NAMES)}
    | {n[:3].casefold(): i + 1 for i, n in enumerate(MONTH_NAMES)}
    | {"sept": 9}
)

_FY = re.compile(r"^(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})$", re.IGNORECASE)
_Q_FIRST = re.compile(r"^Q\s*([1-4])\s*[-\s]?\s*(\d{4}\s*[/-]\s*(?:\d{2}|\d{4}))$", re.IGNORECASE)
_Q_LAST = re.compile(r"^(\d{4}\s*[/-]\s*(?:\d{2}|\d{4}))\s*[-\s]\s*Q\s*([1-4])$", re.IGNORECASE)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_NAMED_MONTH = re.compile(r"^(?:MSitAE-)?([A-Za-z]+)[\s-]+(\d{4})$", re.IGNORECASE)
_ODS = re.compile(r"^[A-Z0-9]{3,7}$")


class PeriodError(UserError):
    """A period or code that cannot be read, with what was given and what is accepted."""


def _fy_start(text: str) -> int:
    m = _FY.match(" ".join(text.split()))
    if m is None:
        raise PeriodError(
            f"Not a financial year: {text!r}",
            [Problem("write it as 2025/26 (April 2025 to March 2026)")],
        )
    start, end = int(m.group(1)), m.group(2)
    expected = start + 1
    if (len(end) == 2 and int(end) != expected % 100) or (len(end) == 4 and int(end) != expected):
        raise PeriodError(
            f"Not a financial year: {text!r}",
            [
                Problem(
                    f"a year starting in {start} ends in {expected}: {start}/{expected % 100:02d}"
                )
            ],
        )
    return start


@total_ordering
@dataclass(frozen=True, slots=True)
class FinancialYear:
    """An NHS financial year, 1 April ``start`` to 31 March ``start + 1``."""

    start: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        return cls(_fy_start(text))

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    def __str__(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def quarters(self) -> tuple[Quarter, ...]:
        return tuple(Quarter(self.start, q) for q in range(1, 5))

    @property
    def months(self) -> tuple[Month, ...]:
        return tuple(m for q in self.quarters for m in q.months)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FinancialYear):
            return NotImplemented
        return self.start < other.start


@total_ordering
@dataclass(frozen=True, slots=True)
class Quarter:
    """Quarter ``number`` (1 = April to June) of the financial year starting in ``year``."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise PeriodError(f"No quarter {self.number}", [Problem("quarters are Q1 to Q4")])

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Every spelling a user may type (see the module docstring)."""
        t = " ".join(str(text).split())
        m = _Q_FIRST.match(t)
        if m is not None:
            return cls(_fy_start(m.group(2)), int(m.group(1)))
        m = _Q_LAST.match(t)
        if m is not None:
            return cls(_fy_start(m.group(1)), int(m.group(2)))
        raise PeriodError(
            f"Not a quarter: {text!r}",
            [Problem("write it as Q4 2025/26 (or its URL form 2025-26-q4)", field="quarter")],
        )

    @classmethod
    def containing(cls, day: date | Month) -> Quarter:
        month = day if isinstance(day, Month) else Month(day.year, day.month)
        fy = FinancialYear.containing(month.first_day)
        return cls(fy.start, (month.month - 4) % 12 // 3 + 1)

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.year)

    @property
    def months(self) -> tuple[Month, Month, Month]:
        first = Month(self.year, 4).plus(3 * (self.number - 1))
        return (first, first.plus(1), first.plus(2))

    @property
    def first_day(self) -> date:
        return self.months[0].first_day

    @property
    def slug(self) -> str:
        """'2025-26-q4': safe in a URL or file name, and sorts by year then quarter."""
        return f"{self.financial_year.slug}-q{self.number}"

    def plus(self, quarters: int) -> Quarter:
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self) -> str:
        return f"Q{self.number} {self.financial_year}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Quarter):
            return NotImplemented
        return (self.year, self.number) < (other.year, other.number)


@total_ordering
@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodError(f"No month {self.month}", [Problem("months are 1 to 12")])

    @classmethod
    def parse(cls, text: str) -> Month:
        t = " ".join(str(text).split())
        m = _ISO_MONTH.match(t)
        if m is not None:
            return cls(int(m.group(1)), int(m.group(2)))
        m = _NAMED_MONTH.match(t)
        if m is not None and m.group(1).casefold() in _MONTH_BY_NAME:
            return cls(int(m.group(2)), _MONTH_BY_NAME[m.group(1).casefold()])
        raise PeriodError(
            f"Not a month: {text!r}",
            [Problem("write it as 2025-11 or November 2025", field="month")],
        )

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def quarter(self) -> Quarter:
        return Quarter.containing(self)

    @property
    def name(self) -> str:
        """'November 2025'."""
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    def plus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Month):
            return NotImplemented
        return (self.year, self.month) < (other.year, other.month)


@dataclass(frozen=True, slots=True, order=True)
class OdsCode:
    """An Organisation Data Service code: trusts 'RAJ', ICBs 'QMM', regions 'Y56', sites 'RAJ01'.

    Codes are case-insensitive in use and upper case as published; whitespace around them is
    noise. Anything else (punctuation, spaces inside, too short or long) is not a code, which
    also keeps every code safe to place in a URL or a file name.
    """

    code: str

    def __post_init__(self) -> None:
        if not _ODS.match(self.code):
            raise PeriodError(
                f"Not an ODS code: {self.code!r}",
                [Problem("3 to 7 letters and digits, such as RAJ or QMM", field="code")],
            )

    @classmethod
    def parse(cls, text: str) -> OdsCode:
        return cls(str(text).strip().upper())

    def __str__(self) -> str:
        return self.code


def sort_quarters(quarters: list[str]) -> list[str]:
    """Stored quarter labels in time order (not text order)."""
    return sorted(quarters, key=Quarter.parse)
