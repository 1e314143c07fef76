"""The response of every table route: the whole view as JSON, or its rows as CSV or Parquet (a
download named after the table), built once per store state and kept in the site's memo."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import Response
from pydantic import BaseModel

from oversight.api.routes import _download_name, _memo_response
from oversight.api.tables import TableFormat, render
from oversight.service.site import Site

V = TypeVar("V", bound=BaseModel)


def table_response(
    site: Site,
    key: tuple[Any, ...],
    fmt: TableFormat,
    stem: str,
    view: Callable[[], V],
    rows: Callable[[V], Sequence[BaseModel]],
    row_model: type[BaseModel],
) -> Response:
    """``view`` is computed only when ``key`` is not in the memo; ``rows`` picks its table."""

    def build() -> tuple[bytes, str]:
        whole = view()
        return render(fmt, whole, rows(whole), row_model)

    return _memo_response(site, key, build, _download_name(fmt, stem))
