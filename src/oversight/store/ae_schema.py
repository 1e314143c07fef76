"""DuckDB tables for NHS England's monthly A&E statistics (see docs/ae-monthly.md).

One long table of values, each with its provenance (source file, line, release), a separate
table for the England total row as published, and a release table per month so a revised
release supersedes the first while both stay queryable. Files themselves are recorded in the
shared ``source_file`` table (kind ``ae_monthly``; its ``quarters`` column holds the month).
"""

from __future__ import annotations

_LONG_COLUMNS = """
        file_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        month DATE NOT NULL,
        revision INTEGER NOT NULL,
        release VARCHAR NOT NULL,
        org_code VARCHAR NOT NULL,
        org_name VARCHAR,
        parent_org VARCHAR,
        department_type VARCHAR NOT NULL,
        measure VARCHAR NOT NULL,
        value BIGINT NOT NULL"""

AE_DDL = [
    """CREATE TABLE IF NOT EXISTS ae_release (
        month DATE NOT NULL,
        revision INTEGER NOT NULL,
        file_id INTEGER NOT NULL,
        content_sha256 VARCHAR NOT NULL,
        provider_rows INTEGER NOT NULL,
        has_total BOOLEAN NOT NULL,
        layout VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL,
        PRIMARY KEY (month, revision)
    )""",
    # Provider rows: org_code as published (trimmed), one row per department type and measure.
    f"CREATE TABLE IF NOT EXISTS ae_value ({_LONG_COLUMNS})",
    # The England total row as published (org_code exactly as written: TOTAL, Total, blank...).
    f"CREATE TABLE IF NOT EXISTS ae_published_total ({_LONG_COLUMNS})",
    """CREATE OR REPLACE VIEW ae_current_release AS
        SELECT * FROM ae_release
        QUALIFY revision = max(revision) OVER (PARTITION BY month)""",
    # The values of the current release of every month: what every reader should use.
    """CREATE OR REPLACE VIEW ae_value_current AS
        SELECT v.* FROM ae_value v JOIN ae_current_release r USING (month, revision)""",
    """CREATE OR REPLACE VIEW ae_published_total_current AS
        SELECT t.* FROM ae_published_total t JOIN ae_current_release r USING (month, revision)""",
]
