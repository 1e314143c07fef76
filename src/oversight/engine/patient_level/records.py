"""The attendance-level record layout the patient-level metrics read (Emergency Care Data Set
shape, one row per A&E attendance), and the check that an input has it."""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa

from oversight.errors import Problem, UserError

# Times are local wall-clock times as ECDS records them (no time zone).
RECORD_SCHEMA = pa.schema(
    [
        pa.field("provider", pa.string(), nullable=False),
        pa.field("site", pa.string()),
        pa.field("department_type", pa.int8(), nullable=False),
        pa.field("arrival", pa.timestamp("us"), nullable=False),
        pa.field("departure", pa.timestamp("us")),
        pa.field("decision_to_admit", pa.timestamp("us")),
        pa.field("admitted", pa.bool_()),
        pa.field("booked", pa.bool_()),
    ]
)

COLUMN_HELP = {
    "provider": "provider organisation code (text)",
    "site": "site code (text; not used by the metrics)",
    "department_type": "A&E department type 1, 2 or 3 (integer)",
    "arrival": "arrival date and time (timestamp without time zone)",
    "departure": "departure / conclusion time (timestamp without time zone; may be missing)",
    "decision_to_admit": "decision-to-admit time (timestamp without time zone; may be missing)",
    "admitted": "admitted as an emergency from this attendance (boolean)",
    "booked": "booked appointment (boolean)",
}
OPTIONAL = {"site"}


def _kind_ok(name: str, dtype: dt.DataType) -> bool:
    if name in ("provider", "site"):
        return bool(dtype.is_string())
    if name == "department_type":
        return bool(dtype.is_integer())
    if name in ("admitted", "booked"):
        return bool(dtype.is_boolean())
    # wall-clock times: a time-zone-aware column would be shifted by the engine's session zone
    return isinstance(dtype, dt.Timestamp) and dtype.timezone is None


def check_columns(path: str, schema: ibis.Schema) -> None:
    """Refuse an input whose columns are missing or of the wrong type, naming each one."""
    problems = []
    for name, help_text in COLUMN_HELP.items():
        if name not in schema:
            if name not in OPTIONAL:
                problems.append(Problem(f"missing column; expected {help_text}", path, None, name))
        elif not _kind_ok(name, schema[name]):
            problems.append(Problem(f"is {schema[name]}; expected {help_text}", path, None, name))
    if problems:
        raise UserError(f"{path} is not a file of A&E attendance records", problems)
