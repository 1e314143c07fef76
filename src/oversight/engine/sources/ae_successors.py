"""Organisations as they are today: whose published rows count towards a code, and how much.

A code's activity in month ``m`` belongs to today's organisations according to the changes in
the successor mapping that happened *after* ``m``: a partial transfer sends its share to the
receiving trust (the code keeps the rest), and the code's final change (merger, acquisition,
split) sends what remains to its successor(s) in their shares. Successors that later changed
themselves pass it on in turn. A closed code keeps its own activity.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from oversight.errors import Problem, UserError
from oversight.frameworks.ae import SuccessorMap
from oversight.periods import Month


def month_key(month: date) -> str:
    return str(Month.of(month))


def attribution(smap: SuccessorMap, code: str, month: date) -> dict[str, float]:
    """Today's organisations that ``code``'s activity in ``month`` belongs to, with shares."""
    return _attribute(smap, code, month_key(month), depth=0)


def _attribute(smap: SuccessorMap, code: str, month: str, depth: int) -> dict[str, float]:
    if depth > 20:
        raise UserError("The successor mapping has a cycle", [Problem(f"through {code}")])
    later = [c for c in smap.for_code(code) if c.effective > month]
    out: dict[str, float] = {}
    remaining = 1.0

    def give(target: str, share: float) -> None:
        for final, w in _attribute(smap, target, month, depth + 1).items():
            out[final] = out.get(final, 0.0) + share * w

    for change in sorted(later, key=lambda c: c.effective):
        if change.kind == "partial_transfer":
            for s in change.successors:
                give(s.code, s.share)
                remaining -= s.share
    final = next((c for c in later if c.kind != "partial_transfer"), None)
    if final is None or final.kind == "closed":
        out[code] = out.get(code, 0.0) + remaining
    else:
        for s in final.successors:
            give(s.code, remaining * s.share)
    return out


def weights_for(
    smap: SuccessorMap, target: str, reported: Iterable[tuple[str, date]]
) -> list[tuple[str, date, float]]:
    """(code, month, weight) for every published row that counts towards ``target`` today."""
    related = _ancestors(smap, target) | {target}
    out = []
    for code, month in reported:
        if code in related:
            weight = attribution(smap, code, month).get(target, 0.0)
            if weight > 0:
                out.append((code, month, weight))
    return out


def _ancestors(smap: SuccessorMap, target: str) -> set[str]:
    found: set[str] = set()
    frontier = {target}
    while frontier:
        nxt = {
            c.predecessor
            for c in smap.changes
            if any(s.code in frontier for s in c.successors) and c.predecessor not in found
        }
        found |= nxt
        frontier = nxt
    return found


def final_change(smap: SuccessorMap, code: str) -> str | None:
    """A sentence if ``code`` is no longer an organisation of its own today."""
    final = next((c for c in smap.for_code(code) if c.kind != "partial_transfer"), None)
    if final is None or final.kind == "closed":
        return None
    names = " and ".join(s.code for s in final.successors)
    return f"{code} ({final.name}) became part of {names} from {final.effective}"
