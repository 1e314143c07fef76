"""Compile a patient-level definition to one Ibis expression: the definition's counts per
provider, calendar month and department type. Ibis turns the expression into each engine's SQL
(through SQLGlot), so DuckDB and Spark run the same logic, written once here."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from oversight.frameworks.patient_level import (
    Condition,
    Flag,
    Measure,
    Missing,
    PatientLevelDefinition,
    Wait,
)

KEYS = ("provider", "month", "department_type")


def _hours(h: float) -> ir.IntervalScalar:
    # whole seconds: ECDS times have second precision, and both engines add second intervals
    return ibis.interval(seconds=round(h * 3600))


def _wait(t: ir.Table, w: Wait) -> ir.BooleanValue:
    start, end = t[w.start], t[w.end]
    tests: list[ir.BooleanValue] = []
    # end - start compared with a bound, written as end vs start + bound so that no engine has
    # to turn a timestamp difference into a number (they disagree on how)
    if w.more_than is not None:
        tests.append(end > start + _hours(w.more_than))
    if w.at_least is not None:
        tests.append(end >= start + _hours(w.at_least))
    if w.at_most is not None:
        tests.append(end <= start + _hours(w.at_most))
    if w.less_than is not None:
        tests.append(end < start + _hours(w.less_than))
    both = tests[0]
    for more in tests[1:]:
        both = both & more
    return ibis.ifelse(start.isnull() | end.isnull(), ibis.literal(w.if_missing), both)


def _condition(t: ir.Table, c: Condition) -> ir.BooleanValue:
    if isinstance(c, Flag):
        return (t[c.flag] == c.equals).fill_null(False)
    if isinstance(c, Missing):
        return t[c.column].isnull() if c.missing else t[c.column].notnull()
    return _wait(t, c)


def _count(t: ir.Table, m: Measure) -> ir.IntegerScalar:
    if not m.where:
        return t.count()
    test = _condition(t, m.where[0])
    for c in m.where[1:]:
        test = test & _condition(t, c)
    # a sum of 0/1 rather than count(where=...): Spark's filtered count of no rows is NULL
    return test.cast("int64").sum().fill_null(0)


def counts_expr(t: ir.Table, definition: PatientLevelDefinition) -> ir.Table:
    """Every measure of ``definition``, per provider, month and department type."""
    month = t[definition.month_from].truncate("M").date()
    measures = {m.id: _count(t, m) for m in definition.measures}
    return t.group_by(
        provider=t.provider, month=month, department_type=t.department_type.cast("int8")
    ).aggregate(**measures)
