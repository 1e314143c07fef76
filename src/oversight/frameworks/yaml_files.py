"""Reading the YAML files users write (frameworks, policies, collections, evaluation plans)
safely: bounded size and depth, no anchors or aliases, UTF-8 only, and a one-line reason
naming the file and line for anything else.

Aliases are refused outright rather than bounded: no bundled file uses them, and a handful of
nested aliases ("billion laughs") expands to gigabytes when the data is walked. PyYAML's safe
loader already refuses Python tags.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from oversight.errors import Problem, UserError

MAX_BYTES = 2_000_000  # the national framework is ~15 kB; a user's variant is of that order
MAX_DEPTH = 40


def _located_error(path: Path, message: str, mark: Any) -> UserError:
    line = mark.line + 1 if mark is not None else None
    return UserError(
        f"{path} is not a file Oversight can read", [Problem(message, str(path), line)]
    )


def _check_events(path: Path, text: str) -> None:
    """Walk the event stream once (cheap, no construction): no alias, no anchor, depth bounded."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _located_error(path, "YAML aliases (*name) are not accepted", event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _located_error(
                path, f"YAML anchors (&{anchor}) are not accepted", event.start_mark
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _located_error(
                    path, f"nested more than {MAX_DEPTH} levels deep", event.start_mark
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def read_text(path: Path) -> str:
    """The file's text: it must exist, be at most MAX_BYTES and be UTF-8."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(
            f"Cannot read {path}", [Problem(exc.strerror or str(exc), str(path))]
        ) from None
    if size > MAX_BYTES:
        raise UserError(
            f"{path} is too large ({size:,} bytes)",
            [Problem(f"YAML definition files are limited to {MAX_BYTES:,} bytes", str(path))],
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(
            f"{path} is not UTF-8 text",
            [Problem(f"byte 0x{raw[exc.start]:02x} cannot be read as UTF-8", str(path), line)],
        ) from None


def read_yaml(path: Path) -> tuple[yaml.Node | None, Any]:
    """The YAML node tree (for line numbers) and the data, or an error naming the line."""
    text = read_text(path)
    try:
        _check_events(path, text)
        return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError(
            f"{path} is not valid YAML",
            [Problem(str(problem), str(path), mark.line + 1 if mark is not None else None)],
        ) from None
