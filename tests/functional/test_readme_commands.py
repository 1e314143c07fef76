"""Every command in the README's "Everyday commands" block runs and exits 0 on the demo store.

The commands are read from README.md itself, so a line added there is covered here. Input paths
are the repository's; output files (``-o``, ``--out``, ``--chart``, ``--plot``) go to a temporary
folder, which is also the working directory (so a file one command writes is there for the next).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.functional.inprocess import oversight

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PROGRAM = ".venv/bin/oversight"
OUTPUT_FLAGS = {"-o", "--out", "--chart", "--plot"}
SKIPPED = {
    "serve": "starts a web server that runs until stopped (tests/functional/web start one)",
    "demo": "ingests into ./oversight.duckdb and serves the dashboard (web/test_demo.py)",
}


@dataclass(frozen=True)
class Command:
    line: str
    args: list[str]  # after the program name; empty when skipped
    skip: str = ""

    @property
    def outputs(self) -> list[str]:
        return [b for a, b in zip(self.args, self.args[1:], strict=False) if a in OUTPUT_FLAGS]


def readme_commands() -> list[Command]:
    text = README.read_text(encoding="utf-8")
    _, _, after = text.partition("## Everyday commands")
    block = after.split("```bash", 1)[1].split("```", 1)[0]
    commands = []
    for line in (ln.strip() for ln in block.splitlines()):
        if not line:
            continue
        words = shlex.split(line, comments=True)
        if words[0] != PROGRAM:
            reason = (
                "an HTTP request to a running server (tests/functional/web cover the routes)"
                if words[0] == "curl"
                else "needs an environment variable set for a server (the admin API is tested "
                "in tests/functional/web)"
            )
            commands.append(Command(line, [], reason))
        elif words[1] in SKIPPED:
            commands.append(Command(line, [], SKIPPED[words[1]]))
        elif "spark" in words:
            commands.append(
                Command(line, [], "the Spark engine starts Java (the specs run it, -m spark)")
            )
        else:
            commands.append(Command(line, words[1:]))
    return commands


COMMANDS = readme_commands()


def _id(i: int, c: Command) -> str:
    words = shlex.split(c.line, comments=True)
    words = words[1:3] if words[0] == PROGRAM else words[:2]
    return f"{i:02d}-" + re.sub(r"[^A-Za-z0-9.-]+", "-", "-".join(Path(w).name for w in words))


def resolved(args: list[str], out: Path) -> list[str]:
    """Inputs from the repository (globs expanded as the shell would), outputs under ``out``."""
    done: list[str] = []
    for i, arg in enumerate(args):
        if i and args[i - 1] in OUTPUT_FLAGS:
            done.append(str(out / arg))
        elif any(ch in arg for ch in "*?["):
            matches = sorted(ROOT.glob(arg))
            assert matches, f"{arg} matches no file"
            done += [str(m) for m in matches]
        elif "/" in arg and (ROOT / arg).exists():
            done.append(str(ROOT / arg))
        else:
            done.append(arg)
    return done


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """What `oversight demo` ingests: every bundled publication under data/nhs/."""
    work = tmp_path_factory.mktemp("readme")
    db = work / "demo.duckdb"
    done = oversight("ingest", ROOT / "data" / "nhs", db=db, cwd=work)
    assert done.returncode == 0, done.stderr
    return db, work


def test_readme_has_commands() -> None:
    assert sum(1 for c in COMMANDS if not c.skip) >= 20


@pytest.mark.slow
@pytest.mark.parametrize(
    "command", COMMANDS, ids=[_id(i, c) for i, c in enumerate(COMMANDS, start=1)]
)
def test_readme_command_exits_0(command: Command, demo_store: tuple[Path, Path]) -> None:
    if command.skip:
        pytest.skip(command.skip)
    db, work = demo_store
    # a file an earlier line writes (synth's records, say) is made first if this runs alone
    for needed in set(command.args) - set(command.outputs):
        maker = next((c for c in COMMANDS if needed in c.outputs), None)
        if maker is not None and not (work / needed).exists():
            assert oversight(*resolved(maker.args, work), db=db, cwd=work).returncode == 0
    done = oversight(*resolved(command.args, work), db=db, cwd=work)
    assert done.returncode == 0, f"{command.line}\n{done.stdout}\n{done.stderr}"
    for name in command.outputs:
        assert (work / name).exists(), f"{command.line}: {name} not written"
