"""The store's DDL for source statistics: the shared collection tables and monthly A&E's views
over them (see :mod:`oversight.store.collections_schema` and docs/ae-monthly.md)."""

from __future__ import annotations

from oversight.store.collections_schema import AE_VIEWS, COLLECTION_DDL

AE_DDL = [*COLLECTION_DDL, *AE_VIEWS]
