"""Load a consequence policy: bundled or a file, optionally extending another, checked against
the framework it reads, with every problem named by YAML line, rule and field."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from oversight.errors import Problem, UserError
from oversight.frameworks.loader import dotted, line_of, located_problems
from oversight.frameworks.model import Framework
from oversight.frameworks.policy_model import Condition, Policy
from oversight.frameworks.yaml_files import read_yaml

BUNDLED_POLICIES = {"national-2025-26": "policy-national-2025-26.yaml"}
DEFAULT_POLICY = "national-2025-26"


def policy_path(source: str | Path | None) -> Path:
    if source is None or str(source) in BUNDLED_POLICIES:
        name = BUNDLED_POLICIES[str(source) if source else DEFAULT_POLICY]
        return Path(str(resources.files("oversight.frameworks") / "definitions" / name))
    return Path(source)


def load_policy(source: str | Path | None, framework: Framework) -> Policy:
    """A policy by bundled name or path; ``extends:`` a base to change only what differs."""
    path = policy_path(source)
    if not path.exists():
        raise UserError(
            f"No policy file at {path}",
            [Problem(f"bundled policies are: {', '.join(BUNDLED_POLICIES)}", file=str(path))],
        )
    node, data = read_yaml(path)
    if not isinstance(data, dict):
        raise UserError(f"{path} is not a policy", [Problem("expected a mapping", str(path), 1)])
    if "extends" in data:
        data = _extend(path, data)
    else:
        _check_shapes(path, data)
    problems = _resolve_parameters(data, node, path)
    if problems:
        raise UserError(f"{path} is not a valid policy", problems)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise UserError(
            f"{path} is not a valid policy", _name_rules(located_problems(exc, node, path), data)
        ) from exc
    problems = [
        Problem(msg, str(path), line_of(node, loc), dotted(loc))
        for loc, msg in framework_problems(policy, framework)
    ]
    if problems:
        raise UserError(f"{path} does not fit framework {framework.id}", problems)
    return policy


def policy_digest(policy: Policy) -> str:
    return hashlib.sha256(policy.model_dump_json().encode()).hexdigest()[:12]


def _extend(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """A variant names its base and gives only what differs: parameters are updated, rules
    replace the base's rule of the same id (or are added), ``remove_rules`` drops rules."""
    base_source = str(data.pop("extends"))
    if base_source in BUNDLED_POLICIES:
        base_file = policy_path(base_source)
    else:
        # a variant may extend a bundled policy or a file beside it, nothing else on the machine
        name = Path(base_source)
        if name.is_absolute() or len(name.parts) != 1 or name.name in ("", ".", ".."):
            raise UserError(
                f"{path} extends a file outside its own folder",
                [
                    Problem(
                        f"{base_source!r}: name a bundled policy "
                        f"({', '.join(BUNDLED_POLICIES)}) or a file in {path.parent}",
                        str(path),
                        None,
                        "extends",
                    )
                ],
            )
        base_file = path.parent / name
    if not base_file.exists():
        raise UserError(
            f"{path} extends a policy that is not there",
            [Problem(f"no policy {base_source!r}", str(path), None, "extends")],
        )
    _, base = read_yaml(base_file)
    if not isinstance(base, dict):
        raise UserError(
            f"{base_file} is not a policy", [Problem("expected a mapping", str(base_file), 1)]
        )
    _check_shapes(base_file, base)
    _check_shapes(path, data)
    merged = dict(base)
    merged["parameters"] = {**base.get("parameters", {}), **data.pop("parameters", {})}
    removed = set(data.pop("remove_rules", []))
    rules = {r["id"]: r for r in base.get("rules", []) if r.get("id") not in removed}
    for rule in data.pop("rules", []):
        rules[rule.get("id")] = rule
    merged["rules"] = list(rules.values())
    merged.update(data)
    return merged


def _check_shapes(path: Path, data: dict[str, Any]) -> None:
    """The parts the loader walks before validation must have the right shape, so a list where
    a mapping belongs is a message, not a traceback."""
    problems = []
    if not isinstance(data.get("parameters", {}), dict):
        problems.append(Problem("must be a mapping of name: value", str(path), None, "parameters"))
    rules = data.get("rules", [])
    if not isinstance(rules, list):
        problems.append(Problem("must be a list of rules", str(path), None, "rules"))
    else:
        for i, rule in enumerate(rules):
            if not isinstance(rule, dict):
                problems.append(
                    Problem("each rule must be a mapping with an id", str(path), None, f"rules.{i}")
                )
    if not isinstance(data.get("remove_rules", []), list):
        problems.append(Problem("must be a list of rule ids", str(path), None, "remove_rules"))
    if problems:
        raise UserError(f"{path} is not a valid policy", problems)


def _resolve_parameters(data: dict[str, Any], node: Any, path: Path) -> list[Problem]:
    """Replace every ``$name`` with the parameter's value; name each one that is missing."""
    params = data.get("parameters") or {}
    problems: list[Problem] = []

    def walk(value: Any, loc: tuple[Any, ...]) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, (*loc, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*loc, i)) for i, v in enumerate(value)]
        if isinstance(value, str) and value.startswith("$"):
            name = value[1:]
            if name not in params:
                owner = _owner(data, loc)
                problems.append(
                    Problem(
                        f"{owner}missing parameter {name!r} (add it under `parameters:`)",
                        str(path),
                        line_of(node, loc),
                        dotted(loc),
                    )
                )
                return value
            return params[name]
        return value

    for key in list(data):
        if key != "parameters":
            data[key] = walk(data[key], (key,))
    return problems


def _owner(data: dict[str, Any], loc: tuple[Any, ...]) -> str:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules") or []
        if loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            return f"rule {rules[loc[1]].get('id')!r}: "
    if len(loc) >= 2 and loc[0] == "conditions":
        return f"condition {loc[1]!r}: "
    return ""


def _name_rules(problems: list[Problem], data: dict[str, Any]) -> list[Problem]:
    """Say which rule a problem is in, by id, not only by position."""
    out = []
    for p in problems:
        parts = tuple(int(x) if x.isdigit() else x for x in (p.field or "").split("."))
        owner = _owner(data, parts)
        out.append(Problem(owner + p.message, p.file, p.line, p.field) if owner else p)
    return out


def framework_problems(policy: Policy, framework: Framework) -> list[tuple[tuple[Any, ...], str]]:
    """References from the policy to metrics and domains the framework does not have."""
    metric_ids = {m.id for m in framework.metrics}
    raw_ids = {m.raw_id for m in framework.metrics if m.raw_id}
    domains = {d.id for d in framework.domains}
    out: list[tuple[tuple[Any, ...], str]] = []
    if policy.framework != framework.id:
        out.append((("framework",), f"policy is for {policy.framework!r}, not {framework.id!r}"))
    if policy.deficit_ladder.measure.metric not in raw_ids:
        out.append(
            (
                ("deficit_ladder", "measure", "metric"),
                f"unknown metric {policy.deficit_ladder.measure.metric!r}",
            )
        )
    if policy.capital.finance_domain not in domains:
        out.append(
            (("capital", "finance_domain"), f"unknown domain {policy.capital.finance_domain!r}")
        )
    if policy.payments.metrics != "all":
        for i, mid in enumerate(policy.payments.metrics):
            if mid not in metric_ids:
                out.append((("payments", "metrics", i), f"unknown metric {mid!r}"))

    def check(cond: Condition, loc: tuple[Any, ...], owner: str) -> None:
        for key in cond.domain_segment_in or {}:
            if key not in domains:
                out.append(((*loc, "domain_segment_in"), f"{owner}unknown domain {key!r}"))
        for field in ("metric_score_at_most", "metric_score_at_least"):
            for mid in getattr(cond, field) or {}:
                if mid not in metric_ids:
                    out.append(((*loc, field), f"{owner}unknown metric {mid!r}"))
        for i, sub in enumerate(cond.any_of or []):
            check(sub, (*loc, "any_of", i), owner)

    for i, rule in enumerate(policy.rules):
        check(rule.when, ("rules", i, "when"), f"rule {rule.id!r}: ")
        if rule.keep_while is not None:
            check(rule.keep_while, ("rules", i, "keep_while"), f"rule {rule.id!r}: ")
    for name, cond in policy.conditions.items():
        check(cond, ("conditions", name), f"condition {name!r}: ")
    return out
