"""The A&E reader's release is checked against its declaration once, and its parse's Arrow
pool is put back afterwards."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pytest

from oversight.frameworks.collections import collection
from oversight.ingest.readers import checks, reader_for
from oversight.ingest.release import ParsedRelease, system_allocator
from tests.ae_files import AUG_2025


def test_reader_for_checks_the_release_once(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[ParsedRelease] = []
    real = checks.check_release

    def counted(parsed: ParsedRelease, definition: object, today: date) -> None:
        seen.append(parsed)
        real(parsed, definition, today)  # type: ignore[arg-type]

    monkeypatch.setattr(checks, "check_release", counted)
    import oversight.ingest.readers.ae_monthly as ae

    monkeypatch.setattr(ae, "check_release", counted)
    definition = collection("ae_monthly")
    parsed = reader_for(definition)(AUG_2025, definition)
    assert len(seen) == 1 and seen[0] is parsed


def test_another_declaration_is_checked_with_the_bundled_one_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []
    real = checks.check_release

    def counted(parsed: ParsedRelease, definition: object, today: date) -> None:
        seen.append(definition.title)  # type: ignore[attr-defined]
        real(parsed, definition, today)  # type: ignore[arg-type]

    monkeypatch.setattr(checks, "check_release", counted)
    import oversight.ingest.readers.ae_monthly as ae

    monkeypatch.setattr(ae, "check_release", counted)
    bundled = collection("ae_monthly")
    other = bundled.model_copy(update={"title": "Another A&E"})
    reader_for(other)(AUG_2025, other)
    assert seen == [bundled.title, "Another A&E"]


def test_system_allocator_restores_the_pool() -> None:
    before = pa.default_memory_pool()
    with system_allocator():
        assert pa.default_memory_pool().backend_name == "system"
        kept = pa.array(range(1000))
    assert pa.default_memory_pool().backend_name == before.backend_name
    assert kept.sum().as_py() == sum(range(1000))
