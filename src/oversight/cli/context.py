"""Options every command shares (store path, framework), resolved once per invocation.

The Typer callback in ``main`` builds one ``Context`` and hands it to commands via ``ctx.obj``;
there is no module-level state, so commands can be run in process (``typer.testing.CliRunner``)
one after another. Heavy modules (DuckDB, the engine) are imported only when a command first
asks for the store, so ``oversight --help`` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from oversight.errors import Problem, UserError

if TYPE_CHECKING:
    from oversight.frameworks import Framework
    from oversight.service.site import Site
    from oversight.store.schema import Connection


@dataclass
class Context:
    db: Path | None = None
    framework_source: str | None = None
    _framework: Framework | None = field(default=None, repr=False)

    @property
    def framework(self) -> Framework:
        if self._framework is None:
            from oversight.frameworks import load_framework

            self._framework = load_framework(self.framework_source)
        return self._framework

    @property
    def db_path(self) -> Path:
        from oversight.store import default_db_path

        return self.db or default_db_path()

    def site(self) -> Site:
        """The store (read-only) and framework behind the service layer, as the API uses them."""
        from oversight.service.site import Site

        self._require_store(self.db_path)
        return Site(self.db_path, self.framework)

    def connect(self, must_exist: bool = False) -> Connection:
        from oversight.store import connect

        path = self.db_path
        if must_exist:
            self._require_store(path)
        return connect(path)

    @staticmethod
    def _require_store(path: Path) -> None:
        if not path.exists():
            raise UserError(
                f"No store at {path}",
                [
                    Problem(
                        "run `oversight ingest FILE...` (or `oversight demo`) first, "
                        "or point --db / OVERSIGHT_DB at your store"
                    )
                ],
            )

    def trust_type(self, name: str) -> str:
        found = self.framework.trust_type_by_name(name)
        if found is None:
            names = ", ".join(f"{t.name!r}" for t in self.framework.trust_types)
            raise UserError(f"Unknown trust type {name!r}", [Problem(f"known: {names}")])
        return found.id


def context_of(ctx: typer.Context) -> Context:
    """The invocation's Context, built by the ``oversight`` callback (or a default one when a
    command module's app runs on its own, as in a test)."""
    found = ctx.find_object(Context)
    if found is None:
        found = Context()
        ctx.obj = found
    return found
