"""Options every command shares (store path, framework), resolved once per invocation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from oversight.engine.nof.inputs import available_quarters
from oversight.errors import Problem, UserError
from oversight.frameworks import Framework, load_framework
from oversight.store import Connection, connect, default_db_path


@dataclass
class Context:
    db: Path | None = None
    framework_source: str | None = None
    _framework: Framework | None = None

    @property
    def framework(self) -> Framework:
        if self._framework is None:
            self._framework = load_framework(self.framework_source)
        return self._framework

    def connect(self, must_exist: bool = False) -> Connection:
        path = self.db or default_db_path()
        if must_exist and not path.exists():
            raise UserError(
                f"No store at {path}",
                [
                    Problem(
                        "run `oversight ingest FILE...` (or `oversight demo`) first, "
                        "or point --db / OVERSIGHT_DB at your store"
                    )
                ],
            )
        return connect(path)

    def quarter(self, con: Connection, quarter: str | None) -> str:
        stored = available_quarters(con)
        if quarter is None:
            if not stored:
                raise UserError(
                    "The store has no NOF data yet",
                    [Problem("run `oversight ingest FILE...` first")],
                )
            return stored[-1]
        wanted = " ".join(quarter.split())
        for q in stored:
            if q.casefold() == wanted.casefold():
                return q
        raise UserError(
            f"No NOF data for quarter {quarter!r}",
            [Problem(f"quarters in the store: {', '.join(stored) or 'none'}")],
        )

    def trust_type(self, name: str) -> str:
        found = self.framework.trust_type_by_name(name)
        if found is None:
            names = ", ".join(f"{t.name!r}" for t in self.framework.trust_types)
            raise UserError(f"Unknown trust type {name!r}", [Problem(f"known: {names}")])
        return found.id


STATE = Context()
