"""Load and validate framework files; report problems with the YAML line they sit on."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from oversight.errors import Problem, UserError
from oversight.frameworks.model import Framework
from oversight.frameworks.yaml_files import read_yaml

BUNDLED = {
    "nof-2025-26": "nof-2025-26.yaml",
    "public-acute-ambulance-2025-26": "public-acute-ambulance-2025-26.yaml",
    "icb-2026-27": "icb-2026-27.yaml",
}
DEFAULT_FRAMEWORK = "nof-2025-26"
M = TypeVar("M", bound=BaseModel)


def bundled_path(name: str = DEFAULT_FRAMEWORK) -> Path:
    ref = resources.files("oversight.frameworks") / "definitions" / BUNDLED[name]
    return Path(str(ref))


def load_framework(source: str | Path | None = None) -> Framework:
    """A bundled framework by name (default: NOF 2025/26), or a framework file by path."""
    if source is None or str(source) in BUNDLED:
        path = bundled_path(str(source) if source else DEFAULT_FRAMEWORK)
    else:
        path = Path(source)
    if not path.exists():
        raise UserError(
            f"No framework file at {path}",
            [Problem(f"bundled frameworks are: {', '.join(BUNDLED)}", file=str(path))],
        )
    return load_validated(path, Framework, "framework")


def load_validated(path: Path, model: type[M], what: str) -> M:
    """Parse a YAML file into a pydantic model; problems name the YAML line and field."""
    node, data = read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise UserError(f"{path} is not a valid {what}", located_problems(exc, node, path)) from exc


def located_problems(exc: ValidationError, node: yaml.Node | None, path: Path) -> list[Problem]:
    """Pydantic's errors as problems naming the file, the YAML line and the field path."""
    problems = []
    for err in exc.errors():
        for loc, message in _located(err["loc"], err["msg"]):
            problems.append(Problem(message, str(path), line_of(node, loc), dotted(loc)))
    return problems


def framework_digest(framework: Framework) -> str:
    """A short content hash, so results can name exactly which variant produced them."""
    # data_quality is left out: the official results never depend on it
    body = framework.model_dump_json(exclude={"data_quality"}).encode()
    return hashlib.sha256(body).hexdigest()[:12]


def _located(loc: tuple[Any, ...], msg: str) -> list[tuple[tuple[Any, ...], str]]:
    """Split a model-level message of ``@path: problem`` parts into located problems."""
    if "@" not in msg:
        return [(loc, msg)]
    out = []
    for part in msg.split("; "):
        head, sep, text = part.partition(": ")
        if "@" in head and sep:
            dotted = head[head.index("@") + 1 :]
            path = tuple(int(p) if p.isdigit() else p for p in dotted.split("."))
            out.append(((*loc, *path), text))
        else:
            out.append((loc, part))
    return out


def dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a 1-based line."""
    best = node
    for part in loc:
        if isinstance(best, yaml.MappingNode):
            nxt = next((v for k, v in best.value if k.value == part), None)
        elif isinstance(best, yaml.SequenceNode) and isinstance(part, int):
            nxt = best.value[part] if part < len(best.value) else None
        else:
            nxt = None
        if nxt is None:
            break
        best = nxt
    return best.start_mark.line + 1 if best is not None else None
