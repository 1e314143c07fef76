"""A test hook to stop a write at a named stage, so a crash there can be simulated exactly.

With ``OVERSIGHT_TEST_PAUSE_AT=<stage>`` set, reaching that stage writes the marker file named
by ``OVERSIGHT_TEST_PAUSE_MARKER`` and then sleeps (up to ten minutes), so a test can wait for
the marker (not for time) and kill the process at that point. Unset, it does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

# The stages, in the order an ingest reaches them.
STAGES = ("schema-before-commit", "schema-committed", "batch-mid", "batch-before-commit")


def pause_at(stage: str) -> None:
    if os.environ.get("OVERSIGHT_TEST_PAUSE_AT") != stage:
        return
    marker = os.environ.get("OVERSIGHT_TEST_PAUSE_MARKER")
    if marker:
        Path(marker).write_text(f"{stage} {os.getpid()}\n", encoding="utf-8")
    time.sleep(600)
