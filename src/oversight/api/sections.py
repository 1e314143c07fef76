"""Extra sections of an organisation's record, contributed by other modules.

The organisation page and its JSON have a place for parts that other work adds later (the
consequences a segment brings, statistics from monthly series). A module registers a provider;
the record lists whatever the providers return, in registration order, and the page renders
each as a titled table. Nothing is shown for a provider that returns None.
"""

from __future__ import annotations

from collections.abc import Callable

from oversight.api.models import Section
from oversight.engine.nof.results import OrgResult, QuarterResult

Provider = Callable[[OrgResult, QuarterResult, list[QuarterResult]], Section | None]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a section provider (usable as a decorator); registering twice is a no-op."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister(provider: Provider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def sections_for(
    org: OrgResult, result: QuarterResult, history: list[QuarterResult]
) -> list[Section]:
    found = (p(org, result, history) for p in _PROVIDERS)
    return [s for s in found if s is not None]
