"""Every YAML file kind a user can hand Oversight (framework, policy, evaluation plan) is read
safely: aliases, oversize and deeply nested files, non-UTF-8 bytes, wrong shapes and `extends:`
outside the file's own folder are each refused with a one-line reason naming the file (and the
line where there is one), never a traceback or a hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from oversight.errors import UserError
from oversight.frameworks import load_framework
from oversight.frameworks.evaluation_plan import load_plan
from oversight.frameworks.policy_loader import load_policy, policy_path
from oversight.frameworks.yaml_files import MAX_BYTES, MAX_DEPTH

LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


def _refused(load, path: Path) -> UserError:  # type: ignore[no-untyped-def]
    with pytest.raises(UserError) as info:
        load(path)
    assert str(path) in str(info.value)
    return info.value


def _loaders(framework):  # type: ignore[no-untyped-def]
    return {
        "framework": load_framework,
        "policy": lambda p: load_policy(p, framework),
        "plan": load_plan,
    }


@pytest.mark.parametrize("kind", ["framework", "policy", "plan"])
def test_billion_laughs_is_refused_at_once(kind: str, tmp_path: Path, framework) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS)
    started = time.process_time()
    err = _refused(_loaders(framework)[kind], path)
    assert "anchors" in str(err) or "aliases" in str(err)
    assert err.problems[0].line == 1
    assert time.process_time() - started < 5  # refused before anything is expanded


@pytest.mark.parametrize("kind", ["framework", "policy", "plan"])
def test_not_utf8_names_the_line(kind: str, tmp_path: Path, framework) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: x\nname: Caf\u00e9\n".encode("latin-1"))
    err = _refused(_loaders(framework)[kind], path)
    assert "not UTF-8" in str(err) and err.problems[0].line == 2


@pytest.mark.parametrize("kind", ["framework", "policy", "plan"])
def test_oversize_and_deep_files_are_refused(kind: str, tmp_path: Path, framework) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.yaml"
    big.write_text("x: " + "a" * (MAX_BYTES + 1) + "\n")
    assert "too large" in str(_refused(_loaders(framework)[kind], big))
    deep = tmp_path / "deep.yaml"
    deep.write_text("x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert "levels deep" in str(_refused(_loaders(framework)[kind], deep))


def test_unterminated_quote_says_so(tmp_path: Path) -> None:
    path = tmp_path / "quote.yaml"
    path.write_text('id: x\nname: "unterminated\n')
    err = _refused(load_framework, path)
    assert "not valid YAML" in str(err)


@pytest.mark.parametrize(
    "body, field",
    [
        ("extends: national-2025-26\nparameters: [1, 2]\n", "parameters"),
        ("extends: national-2025-26\nrules: [a, b]\n", "rules.0"),
        ("extends: national-2025-26\nrules: {a: 1}\n", "rules"),
        ("extends: national-2025-26\nremove_rules: 7\n", "remove_rules"),
    ],
)
def test_policy_shapes_are_messages(body: str, field: str, tmp_path: Path, framework) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "variant.yaml"
    path.write_text(body)
    err = _refused(lambda p: load_policy(p, framework), path)
    assert field in {p.field for p in err.problems}


@pytest.mark.parametrize("target", ["/etc/passwd", "../other.yaml", "sub/base.yaml"])
def test_extends_stays_in_the_files_folder(target: str, tmp_path: Path, framework) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "base.yaml").write_text("parameters: {}\n")
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: {target}\n")
    err = _refused(lambda p: load_policy(p, framework), path)
    assert "outside its own folder" in str(err)


def test_extends_a_file_beside_it_still_works(tmp_path: Path, framework) -> None:  # type: ignore[no-untyped-def]
    base = tmp_path / "region.yaml"
    base.write_bytes(policy_path("national-2025-26").read_bytes())
    variant = tmp_path / "icb.yaml"
    variant.write_text("extends: region.yaml\nremove_rules: []\n")
    policy = load_policy(variant, framework)
    assert policy == load_policy("national-2025-26", framework)
