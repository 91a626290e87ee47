"""Fewer, broader indexes where they serve as well: merging what greedy by ratio picked apart.

Greedy by benefit per byte favours small indexes: three partial indexes on ``(project_id)``,
one per status a query asks for, each have a better ratio than the plain ``(project_id)``
index, though that one serves all three queries nearly as well, in less room than the three
together, and costs every write one entry instead of three. So after greedy, a candidate of
the same table replaces two or more chosen indexes when

- the workload's weighted estimated cost with the chosen set rises by at most
  :data:`WORKLOAD_TOLERANCE`, and no query's by more than :data:`QUERY_TOLERANCE` of its cost
  without new indexes, nor by more than :data:`QUERY_RISE` of its cost with the chosen set
  (beyond :data:`COST_SLACK`, a few microseconds): a tenant's directory read in index order
  must not become a sort of all its rows because that is still cheap next to a full scan, and
- it is at most :data:`SIZE_SLACK` bigger than the indexes it replaces together (one index
  written instead of several, planned among fewer), and costs the workload's writes no more
  than they do.

A chosen index can stand in for others the same way (one chosen index serving a narrower one's
queries as well). The merge that frees the most room goes first, and merging repeats while
one applies.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .budget import set_costs
from .evaluate import Evaluation
from .model import Candidate

if TYPE_CHECKING:
    from .choose import Selection

WORKLOAD_TOLERANCE = 0.10
QUERY_TOLERANCE = 0.02
QUERY_RISE = 0.5
COST_SLACK = 10.0
SIZE_SLACK = 0.10


def merge(evaluation: Evaluation, chosen: list[Candidate], pool: list[Candidate], weight: dict[int, float],
          selection: Selection) -> list[Candidate]:
    """``chosen`` with groups of its indexes replaced by one candidate of ``pool`` where that
    serves every query as well in no more room (see the module docstring)."""
    chosen = list(chosen)
    while True:
        found = best_merge(evaluation, chosen, pool, weight)
        if found is None:
            return chosen
        candidate, replaced = found
        for old in replaced:
            chosen.remove(old)
            selection.benefit.pop(old, None)
            selection.left_out[old] = f"merged into {candidate.body()}, which serves its queries as well"
        if candidate not in chosen:
            chosen.append(candidate)
            selection.benefit[candidate] = 0.0


def best_merge(evaluation: Evaluation, chosen: list[Candidate], pool: list[Candidate],
               weight: dict[int, float]) -> tuple[Candidate, list[Candidate]] | None:
    """The merge that frees the most bytes, or None."""
    costs = set_costs(evaluation, chosen, weight)
    best, best_saved = None, 0
    for candidate in pool:
        if evaluation.requires(candidate):
            continue
        new = candidate not in chosen
        replaced = replaceable(evaluation, candidate, chosen, weight, costs)
        if len(replaced) < (2 if new else 1):
            continue
        freed = sum(evaluation.size(old) for old in replaced)
        saved = freed - (evaluation.size(candidate) if new else 0)
        kept = [c for c in chosen if c not in replaced] + ([candidate] if new else [])
        if evaluation.writes_cost(kept) > evaluation.writes_cost(chosen) * (1 + 1e-9) + 1e-9:
            continue
        if saved >= -SIZE_SLACK * freed and (best is None or saved > best_saved):
            best, best_saved = (candidate, replaced), saved
    return best


def replaceable(evaluation: Evaluation, candidate: Candidate, chosen: list[Candidate],
                weight: dict[int, float], costs: dict[int, float]) -> list[Candidate]:
    """The chosen indexes of ``candidate``'s table it can stand in for, largest first, each
    removed only while every query stays within the tolerance."""
    same_table = [c for c in chosen if c.table_key == candidate.table_key and c is not candidate
                  and not evaluation.requires(c)
                  and (candidate.stands_in_for(c) or not any(c in evaluation.requires(o) for o in chosen))]
    same_table.sort(key=lambda c: -(evaluation.size(c) or 0))
    kept = list(dict.fromkeys([*chosen, candidate]))
    replaced = []
    for old in same_table:
        trial = [c for c in kept if c is not old]
        if within(evaluation, set_costs(evaluation, trial, weight), costs, weight):
            kept, replaced = trial, [*replaced, old]
    return replaced


def within(evaluation: Evaluation, new: dict[int, float], old: dict[int, float], weight: dict[int, float]) -> bool:
    """Whether the costs ``new`` stay within the tolerances of ``old`` (see the module docstring)."""
    base = evaluation.base_cost
    if any(new[n] - old[n] > QUERY_TOLERANCE * base(n) for n in old):
        return False
    if any(new[n] - old[n] > max(QUERY_RISE * old[n], COST_SLACK) for n in old):
        return False
    per_cost = {n: weight[n] / base(n) for n in old if base(n)}
    before = sum(per_cost[n] * old[n] for n in per_cost)
    after = sum(per_cost[n] * new[n] for n in per_cost)
    return after <= before * (1 + WORKLOAD_TOLERANCE)
