"""NOF questions every face asks, answered from a ``Site`` as typed results.

League table, explanation, what-if, gap and history: the CLI renders these as tables, CSV or
JSON; the API and pages build their models from the same ``Site`` results. Quarters are
resolved by ``Site.quarter`` (every spelling ``Quarter.parse`` accepts), results come from the
site's cache (one engine run per quarter and set of range options).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oversight.engine.nof.explain import explain
from oversight.engine.nof.gap import GapReport
from oversight.engine.nof.gap import gap as find_gap
from oversight.engine.nof.history import History, history_of
from oversight.engine.nof.quarter import RangeOptions
from oversight.engine.nof.results import OrgResult, QuarterResult
from oversight.engine.nof.whatif import WhatIf, parse_changes, what_if
from oversight.frameworks.model import TrustType
from oversight.frameworks.policy_loader import load_policy
from oversight.frameworks.policy_model import Policy
from oversight.policy.consequences import Active
from oversight.policy.run import whatif_consequences
from oversight.service.site import Site


@dataclass(frozen=True)
class League:
    """One trust type's ranked table in a quarter."""

    result: QuarterResult
    trust_type: TrustType
    orgs: list[OrgResult]

    @property
    def quarter(self) -> str:
        return self.result.quarter

    def rows(self) -> list[dict[str, Any]]:
        """The published columns (``LEAGUE_COLUMNS``), one row per organisation."""
        return [o.league_row() for o in self.orgs]


@dataclass(frozen=True)
class Explanation:
    quarter: str
    detail: dict[str, Any]  # the engine's explanation: metrics, domains, steps, rank_of


@dataclass(frozen=True)
class WhatIfOutcome:
    quarter: str
    change: WhatIf
    policy: Policy
    consequences_before: list[Active]
    consequences_after: list[Active]


def league(
    site: Site, quarter: str | None, trust_type: str, options: RangeOptions | None = None
) -> League:
    """The table for a trust type given by id or name; ``quarter`` in any spelling."""
    kind = site.trust_type(trust_type)
    result = site.result(quarter, options)
    return League(result, kind, result.league_table(kind.id))


def explanation(
    site: Site, quarter: str | None, code: str, options: RangeOptions | None = None
) -> Explanation:
    result = site.result(quarter, options)
    return Explanation(result.quarter, explain(site.framework, result, code))


def whatif(
    site: Site,
    quarter: str | None,
    code: str,
    settings: list[str],
    options: RangeOptions | None = None,
    policy_source: str | None = None,
) -> WhatIfOutcome:
    """The organisation recomputed with changed inputs, and the consequences before and after."""
    computed = site.computed(quarter)
    changes = parse_changes(settings, site.framework)
    change = what_if(site.framework, computed.data, code, changes, options)
    policy = load_policy(policy_source, site.framework)
    before, after = site.read(
        lambda con: whatif_consequences(con, site.framework, policy, change, options)
    )
    return WhatIfOutcome(computed.data.quarter, change, policy, before, after)


def gap(site: Site, quarter: str | None, code: str) -> GapReport:
    return find_gap(site.framework, site.computed(quarter).data, code)


def history(site: Site, code: str) -> History:
    """Every stored quarter's standing of one organisation (framework's range settings)."""
    return history_of(site.all_results(), code)
