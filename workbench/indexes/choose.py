"""Choosing a small set of indexes for a workload: greedy by benefit per byte, then pruned;
within a size budget, the better of that and an exact search over the top candidates
(:mod:`.budget`).

A query's weight is what it costs the server in total: its total time from
``pg_stat_statements`` when known, else its calls times its estimated cost. Every statement
weighs at least :data:`RARE_SHARE` of the average statement: the nightly job that scans a big
table for a handful of rows holds its locks for that whole scan, and a tiny index fixes it, so
it must not vanish in the totals. The benefit of
an index is the weighted share of cost it removes, assuming a query's cost with several new
indexes is its cost with the best of them (what the planner does for one table), less what it
adds to the workload's INSERTs and UPDATEs (:mod:`.writes`). Indexes that must be present
together (a join's two sides, the arms of an ``OR``) are weighed as one bundle. Greedy picks
by ratio can leave several narrow indexes where one serves all their queries as well: those
are merged (:mod:`.merge`).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from .budget import best_within, exact_pool, set_costs, set_gain
from .evaluate import Evaluation
from .merge import merge
from .model import Candidate

RARE_SHARE = 0.05


@dataclass(frozen=True)
class Limits:
    """How far the selection goes: at most ``max_indexes``, within ``budget_bytes`` if set.
    An index counts for a query when it makes it ``min_improvement`` cheaper, or, when a chosen
    index already serves that query, ``min_further`` cheaper than that again while removing at
    least ``min_further_of_base`` of its original cost; it must save
    ``min_share`` of the workload's weighted cost. When measured, an index stays only if it
    makes some case of a query it serves ``min_speedup`` times faster and ``min_saved_ms`` quicker."""

    max_indexes: int = 20
    budget_bytes: int | None = None
    min_improvement: float = 0.1
    min_further: float = 0.5
    min_further_of_base: float = 0.005
    min_share: float = 0.001
    min_speedup: float = 2.0
    min_saved_ms: float = 1.0


@dataclass
class Selection:
    """The chosen candidates, each with its benefit, and the reason others were left out;
    ``search`` says which search found the set (``greedy``, or ``exact`` within a budget)."""

    chosen: list[Candidate] = field(default_factory=list)
    benefit: dict[Candidate, float] = field(default_factory=dict)
    left_out: dict[Candidate, str] = field(default_factory=dict)
    search: str = "greedy"


def weights(evaluation: Evaluation, *, least_share: float = RARE_SHARE) -> dict[int, float]:
    """Each plannable query's weight (see the module docstring); ``least_share=0`` gives the
    weights as they are, which is what a write's upkeep is paid by (a cheap UPDATE run often
    must not count as if each call scanned a table)."""
    found = {}
    for number, query in enumerate(evaluation.queries):
        base = evaluation.base_cost(number)
        if base is None or number in evaluation.errors:
            continue
        found[number] = query.total_ms if query.total_ms is not None else query.calls * base
    least = least_share * statistics.fmean(found.values()) if found else 0.0
    return {number: max(weight, least) for number, weight in found.items()}


def gain(evaluation: Evaluation, members: list[Candidate], chosen: list[Candidate],
         current: dict[int, float], weight: dict[int, float], limits: Limits) -> float:
    """The weighted cost that adding ``members`` (an index, with the indexes it was costed
    next to for joins) would remove, on top of the ``chosen`` ones."""
    after = frozenset(chosen) | frozenset(members)
    total = 0.0
    for number in dict.fromkeys(n for m in members for n in evaluation.relevant(m)):
        base = evaluation.base_cost(number)
        options = [evaluation.cost(number, m, after) for m in members if evaluation.helps(number, m, after)]
        if number not in weight or not options or not base:
            continue
        cost = min(options)
        if counts(cost, current[number], base, limits):
            total += weight[number] * (current[number] - cost) / base
    return total - evaluation.added_writes_cost([m for m in members if m not in chosen], chosen)


def bundle(evaluation: Evaluation, candidate: Candidate, chosen: list[Candidate], pool: list[Candidate]) -> list[Candidate]:
    """``candidate`` and the indexes it needs for its join costs, not chosen yet (if available)."""
    needed = [c for c in evaluation.requires(candidate) if c not in chosen and c in pool]
    return [candidate, *needed]


def counts(cost: float, current: float, base: float, limits: Limits) -> bool:
    """Whether going from ``current`` to ``cost`` is a gain worth an index (see :class:`Limits`)."""
    if current >= base:
        return cost < base * (1 - limits.min_improvement)
    return cost <= current * (1 - limits.min_further) and current - cost >= base * limits.min_further_of_base


def choose(evaluation: Evaluation, limits: Limits = Limits(), *, exclude=frozenset(),
           settled=frozenset()) -> Selection:
    """Greedy by benefit per byte (within the size budget); if that picks more than
    ``max_indexes``, keep the ones with the largest benefit; then drop chosen indexes the
    others make useless. Candidates in ``exclude`` are not considered, and the query numbers
    in ``settled`` (already fast enough) count for nothing."""
    weight = weights(evaluation)
    floor = limits.min_share * sum(weight.values())
    weight = {number: w for number, w in weight.items() if number not in settled}
    selection = Selection()
    pool = [c for c in evaluation.candidates if evaluation.size(c) and c not in exclude]
    by_ratio = greedy(evaluation, pool, weight, limits, floor, selection, per_byte=True)
    by_ratio = merge(evaluation, by_ratio, pool, weight, selection)
    if len(by_ratio) > limits.max_indexes:
        kept = greedy(evaluation, by_ratio, weight, limits, floor, Selection(), per_byte=False,
                      cap=limits.max_indexes)
        for candidate in by_ratio:
            if candidate not in kept:
                selection.left_out[candidate] = f"beyond the {limits.max_indexes} most useful indexes"
        by_ratio = kept
    selection.chosen = by_ratio
    selection.benefit = {c: selection.benefit.get(c, 0.0) for c in by_ratio}
    prune(evaluation, selection, weight, limits)
    if limits.budget_bytes is not None:
        search_exactly(evaluation, pool, weight, limits, floor, selection)
    for candidate in pool:
        if candidate not in selection.chosen:
            selection.left_out.setdefault(candidate, left_out_reason(evaluation, candidate, weight, limits, floor))
    return selection


def left_out_reason(evaluation: Evaluation, candidate: Candidate, weight: dict[int, float], limits: Limits,
                    floor: float) -> str:
    """Why a candidate nobody chose was left out: its writes, or its benefit for its size."""
    penalty = evaluation.write_cost.get(candidate, 0.0)
    if penalty:
        current = {n: evaluation.base_cost(n) for n in weight}
        reads = gain(evaluation, [candidate], [], current, weight, limits) + penalty
        if reads > floor and reads <= penalty + floor:
            return (f"the workload's writes would pay more for it than its reads gain "
                    f"({penalty / max(reads, 1e-9):.0%} of what it saves)")
    return "too little benefit for its size next to the chosen set"


def greedy(evaluation: Evaluation, pool: list[Candidate], weight: dict[int, float], limits: Limits,
           floor: float, selection: Selection, *, per_byte: bool, cap: int | None = None) -> list[Candidate]:
    """Pick from ``pool`` one bundle at a time, the best by gain per byte (or by gain), while gains last."""
    current = {n: evaluation.base_cost(n) for n in weight}
    pool, chosen, used_bytes = list(pool), [], 0
    while pool and (cap is None or len(chosen) < cap):
        scored = []
        for candidate in pool:
            members = bundle(evaluation, candidate, chosen, pool)
            found = gain(evaluation, members, chosen, current, weight, limits)
            if found > floor and (cap is None or len(chosen) + len(members) <= cap):
                scored.append((found, sum(evaluation.size(m) for m in members), members))
        if not scored:
            break
        if per_byte:
            best_gain, best_size, members = max(scored, key=lambda item: (item[0] / item[1], item[0]))
        else:
            best_gain, best_size, members = max(scored, key=lambda item: (item[0], -item[1]))
        for member in members:
            pool.remove(member)
        if limits.budget_bytes is not None and used_bytes + best_size > limits.budget_bytes:
            selection.left_out[members[0]] = "over the size budget"
            continue
        chosen += members
        selection.benefit[members[0]] = best_gain
        used_bytes += best_size
        current = best_costs(evaluation, chosen, weight)
    return chosen


def search_exactly(evaluation: Evaluation, pool: list[Candidate], weight: dict[int, float], limits: Limits,
                   floor: float, selection: Selection) -> None:
    """Within the budget, replace the greedy set by the best subset of the top candidates when
    that removes more of the workload's cost (see :mod:`.budget`)."""
    top = exact_pool(evaluation, pool, weight, limits.budget_bytes, floor)
    found, found_gain = best_within(evaluation, top, weight, limits.budget_bytes, limits.max_indexes)
    if found_gain <= set_gain(evaluation, selection.chosen, weight) * (1 + 1e-9):
        return
    for candidate in selection.chosen:
        if candidate not in found:
            selection.left_out[candidate] = "a better set fits the size budget without it"
    for candidate in found:
        selection.left_out.pop(candidate, None)
    selection.chosen, selection.search = found, "exact"
    selection.benefit = {c: found_gain - set_gain(evaluation, [o for o in found if o is not c], weight)
                         for c in found}
    prune(evaluation, selection, weight, limits)


def best_costs(evaluation: Evaluation, chosen: list[Candidate], weight: dict[int, float]) -> dict[int, float]:
    """Each query's estimated cost with the best of ``chosen``."""
    return set_costs(evaluation, chosen, weight)


def prune(evaluation: Evaluation, selection: Selection, weight: dict[int, float], limits: Limits) -> None:
    """Drop a chosen index when the others serve every query (almost) as well without it."""
    for candidate in list(reversed(selection.chosen)):
        with_it = best_costs(evaluation, selection.chosen, weight)
        others = [c for c in selection.chosen if c is not candidate]
        without = best_costs(evaluation, others, weight)
        if all(without[n] <= with_it[n] * (1 + limits.min_improvement) for n in weight):
            selection.chosen.remove(candidate)
            selection.benefit.pop(candidate, None)
            selection.left_out[candidate] = "the other chosen indexes serve its queries as well"
