"""Monthly A&E files: the reader lives in :mod:`oversight.ingest.readers.ae_monthly`; these
names stay importable from here."""

from oversight.ingest.readers.ae_monthly import (
    LONG_SCHEMA,
    ParsedAeMonth,
    parse_ae_file,
    parse_ae_files,
    read_ae_release,
)

__all__ = ["LONG_SCHEMA", "ParsedAeMonth", "parse_ae_file", "parse_ae_files", "read_ae_release"]
