"""DuckDB tables shared by every source-statistics collection (monthly A&E, cancer waiting
times, DM01, AmbSYS, the staff survey, ODS reference files; see frameworks/collections.py).

One release table (a collection's period, published once and perhaps revised), one long table
of values in the readers' :data:`~oversight.ingest.release.VALUE_SCHEMA` plus provenance
(collection, source file, revision), one table of national totals as published, and views of the
current release of every period so no reader repeats the max(revision) logic. Files themselves
are recorded in the shared ``source_file`` table (``kind`` = the collection's id).

The ``ae_*`` views keep monthly A&E's long-standing names and column names (month,
department_type, whole-number values) over the shared tables.
"""

from __future__ import annotations

_VALUE_COLUMNS = """
        collection VARCHAR NOT NULL,
        file_id INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        sheet VARCHAR,
        line INTEGER NOT NULL,
        period DATE NOT NULL,
        org_code VARCHAR NOT NULL,
        org_name VARCHAR,
        parent_org VARCHAR,
        breakdown VARCHAR NOT NULL,
        subgroup VARCHAR NOT NULL,
        measure VARCHAR NOT NULL,
        value DOUBLE NOT NULL"""

COLLECTION_DDL = [
    """CREATE TABLE IF NOT EXISTS collection_release (
        collection VARCHAR NOT NULL,
        period DATE NOT NULL,
        revision INTEGER NOT NULL,
        file_id INTEGER NOT NULL,
        content_sha256 VARCHAR NOT NULL,
        row_count INTEGER NOT NULL,
        has_total BOOLEAN NOT NULL,
        layout VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL,
        PRIMARY KEY (collection, period, revision)
    )""",
    # Organisation rows: org_code as published (trimmed).
    f"CREATE TABLE IF NOT EXISTS collection_value ({_VALUE_COLUMNS})",
    # National total rows as published (org_code exactly as written: TOTAL, Total, blank...).
    f"CREATE TABLE IF NOT EXISTS collection_total ({_VALUE_COLUMNS})",
    """CREATE OR REPLACE VIEW collection_current_release AS
        SELECT * FROM collection_release
        QUALIFY revision = max(revision) OVER (PARTITION BY collection, period)""",
    """CREATE OR REPLACE VIEW collection_value_current AS
        SELECT v.* FROM collection_value v
        JOIN collection_current_release r USING (collection, period, revision)""",
    """CREATE OR REPLACE VIEW collection_total_current AS
        SELECT t.* FROM collection_total t
        JOIN collection_current_release r USING (collection, period, revision)""",
]

_AE_LONG = """SELECT file_id, line, period AS month, revision,
            CASE WHEN revision = 1 THEN 'first' ELSE 'revised' END AS release,
            org_code, org_name, parent_org, breakdown AS department_type, measure,
            value::BIGINT AS value
        FROM {table} WHERE collection = 'ae_monthly'"""

AE_VIEWS = [
    """CREATE OR REPLACE VIEW ae_release AS
        SELECT period AS month, revision, file_id, content_sha256, row_count AS provider_rows,
               has_total, layout, ingested_at
        FROM collection_release WHERE collection = 'ae_monthly'""",
    f"CREATE OR REPLACE VIEW ae_value AS {_AE_LONG.format(table='collection_value')}",
    f"""CREATE OR REPLACE VIEW ae_published_total AS
        {_AE_LONG.format(table="collection_total")}""",
    """CREATE OR REPLACE VIEW ae_current_release AS
        SELECT * FROM ae_release
        QUALIFY revision = max(revision) OVER (PARTITION BY month)""",
    """CREATE OR REPLACE VIEW ae_value_current AS
        SELECT v.* FROM ae_value v JOIN ae_current_release r USING (month, revision)""",
    """CREATE OR REPLACE VIEW ae_published_total_current AS
        SELECT t.* FROM ae_published_total t JOIN ae_current_release r USING (month, revision)""",
]
