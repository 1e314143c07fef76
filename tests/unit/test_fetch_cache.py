"""The fetch cache's manifest: round trip, what needs ingesting, what is a revision."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.errors import UserError
from oversight.fetch.cache import Entry, default_cache_dir, load_manifest


def _entry(sha: str, ingested: str | None = None) -> Entry:
    return Entry(
        "ae_monthly", "July.csv", "https://x/July.csv", sha, 10, '"e"', None, "t", ingested
    )


def test_round_trip_and_atomic_save(tmp_path: Path) -> None:
    manifest = load_manifest(tmp_path / "cache")
    assert manifest.entries == {}
    manifest.put(_entry("a" * 64))
    manifest.save()
    assert not (tmp_path / "cache" / "manifest.json.tmp").exists()
    again = load_manifest(tmp_path / "cache")
    assert again.get("ae_monthly", "July.csv") == _entry("a" * 64)
    assert (
        again.file_path("ae_monthly", "July.csv") == tmp_path / "cache" / "ae_monthly" / "July.csv"
    )


def test_needs_ingest_and_revision() -> None:
    fresh = _entry("a")
    assert fresh.needs_ingest and not fresh.is_revision
    done = _entry("a", ingested="a")
    assert not done.needs_ingest and not done.is_revision
    changed = _entry("b", ingested="a")
    assert changed.needs_ingest and changed.is_revision


def test_unreadable_manifest_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(UserError, match="cannot be read"):
        load_manifest(tmp_path)


def test_default_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "oversight"
