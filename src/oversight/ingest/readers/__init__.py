"""One reader per publication, registered by the name its collection declares (``reader:``).

A reader takes a file and its collection's declaration and returns a checked
:class:`~oversight.ingest.release.ParsedRelease`, or raises :class:`~oversight.errors.UserError`
naming the file, sheet, row and field of every problem. Readers register themselves here when
their module is imported; :func:`reader_for` imports the modules that provide them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib import import_module
from pathlib import Path

from oversight.frameworks.collections import CollectionDef
from oversight.ingest.release import ParsedRelease

Reader = Callable[[Path, CollectionDef], ParsedRelease]
READERS: dict[str, Reader] = {}

# reader name -> module that registers it (imported only when that reader is needed, so a
# command that reads one publication does not pay for the spreadsheet libraries of another)
MODULES: dict[str, str] = {
    "ae_monthly": "oversight.ingest.readers.ae_monthly",
    "cancer_waiting_times": "oversight.ingest.readers.cancer_waiting_times",
    "diagnostics_dm01": "oversight.ingest.readers.diagnostics_dm01",
    "ambulance_ambsys": "oversight.ingest.readers.ambulance_ambsys",
    "staff_survey": "oversight.ingest.readers.staff_survey",
    "ods_reference": "oversight.ingest.readers.ods_reference",
}


def register(name: str) -> Callable[[Reader], Reader]:
    def put(fn: Reader) -> Reader:
        READERS[name] = fn
        return fn

    return put


def reader_for(collection: CollectionDef) -> Reader:
    """The collection's reader, followed by the checks every collection's values must pass
    (periods within the publication's life, values within their declared ranges)."""
    if collection.reader not in READERS and collection.reader in MODULES:
        import_module(MODULES[collection.reader])
    try:
        read = READERS[collection.reader]
    except KeyError:
        raise KeyError(f"collection {collection.id!r}: no reader {collection.reader!r}") from None

    def checked(path: Path, definition: CollectionDef) -> ParsedRelease:
        from oversight.ingest.readers.checks import check_release

        parsed = read(path, definition)
        check_release(parsed, definition, date.today())
        return parsed

    return checked
