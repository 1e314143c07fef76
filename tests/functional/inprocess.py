"""Run the `oversight` command in the test process, the way a user runs it: an argument list
in; exit status, standard output and standard error out.

In process rather than through the console script: no interpreter start-up per call, coverage
is measured, and a failure shows the real traceback. The console script's one extra step
(`oversight.cli.main.main`: a UserError becomes ``error: ...`` on stderr and exit status 1) is
done here the same way; any other exception is raised, since the command would have crashed.
"""

from __future__ import annotations

import contextlib
import gc
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from oversight.errors import UserError


def oversight(
    *args: str | Path,
    cwd: Path | None = None,
    db: Path | None = None,
    env_db: Path | None = None,
    wide: bool = False,
) -> subprocess.CompletedProcess[str]:
    """`oversight [--db DB] ARGS` in ``cwd``, with OVERSIGHT_DB set to ``env_db`` (or unset).

    The console is 80 columns wide, as when output goes to a pipe, unless ``wide``.
    """
    from oversight.cli.main import app  # imported when run, as the console script does

    argv = [*(["--db", str(db)] if db is not None else []), *map(str, args)]
    env: dict[str, str | None] = {
        "OVERSIGHT_DB": None if env_db is None else str(env_db),
        "COLUMNS": "1000" if wide else "80",
        "LINES": None,
    }
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        result = CliRunner().invoke(app, argv, env=env, prog_name="oversight")
    code, stdout, stderr = result.exit_code, result.stdout, result.stderr
    error = result.exception
    if error is not None and not isinstance(error, UserError | SystemExit):
        raise error
    if isinstance(error, UserError):
        code, stderr = 1, stderr + f"error: {error}\n"
    # A process would end here and close its store; in process, the exception's traceback still
    # holds the command's connection, and DuckDB refuses a second connection of another kind.
    del result, error
    gc.collect()
    return subprocess.CompletedProcess(["oversight", *argv], code, stdout, stderr)
