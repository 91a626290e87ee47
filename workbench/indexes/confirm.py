"""Proof of the chosen set: build it for real (rolled back), measure, drop what does not pay, replace it.

1. Every query reading a table that gets an index is timed without the new indexes, as written
   and for the smallest and largest tenant (:mod:`.samples`); planned as a role, every query
   is timed, as each sample tenant.
2. The set is built and every case timed again. A case that looks slower is timed again with
   more runs, with and without the indexes, before anything is concluded from it: a sub-
   millisecond query easily measures 0.3 ms slower by chance.
3. With a size budget that the set as built exceeds, the index with the least benefit per
   byte leaves it (the sizes the choice used were estimates). Else one index that makes a case
   slower leaves the set; else those no plan uses; else those whose measured gain is too
   small. Then the set is tried again.
4. When indexes left, the choice is made again without them (and without the queries that are
   already too fast to gain), so that the next best candidate can serve their queries.
5. What the estimates misjudge is timed against the set (wider keys, one more index, a covering
   index without INCLUDE, one index fewer), and the set is proven again when a challenger
   wins (:mod:`.challenge`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..errors import WorkbenchError
from ..plans import Plan
from ..plans.words import size
from .challenge import challenge
from .choose import Limits, Selection, choose
from .evaluate import Evaluation
from .measure import (RECHECK_RUNS, Comparison, culprit, first_cases, measure_after, measure_before, reads_then_writes,
                      same_plan, time_sample, uses, writes)
from .model import Candidate
from .samples import samples
from .whatif import WhatIf

REPLACEMENT_ROUNDS = 3


@dataclass
class Confirmation:
    """The final set, its estimated plans per query, real sizes and measured comparisons;
    ``room`` says what a size budget leaves for new indexes next to it (see :func:`room_left`);
    ``tidy_note`` why the tables could not be vacuumed after the timed writes (:mod:`.tidy`)."""

    chosen: list[Candidate]
    selection: Selection
    plans: dict[int, Plan] = field(default_factory=dict)
    names: dict[str, Candidate] = field(default_factory=dict)
    sizes: dict[Candidate, int] = field(default_factory=dict)
    size_method: dict[Candidate, str] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)
    removed: dict[Candidate, str] = field(default_factory=dict)
    write_notes: dict[int, str] = field(default_factory=dict)
    room: Callable[[Confirmation], int] | None = None
    tidy_note: str | None = None


def confirm(whatif: WhatIf, evaluation: Evaluation, selection: Selection, *, measure: bool, runs: int,
            tenant_columns: tuple[str, ...], limits: Limits = Limits(), tick=None,
            viewers=(), room: Callable[[Confirmation], int] | None = None,
            tidy: Callable[[], None] = lambda: None) -> Confirmation:
    """Steps 1–5 of the module docstring (without ``measure``: plans only, no replacements);
    tenants are sampled on ``tenant_columns`` (none when empty), or each case runs as each of
    ``viewers`` (Row Level Security, see :mod:`.viewers`). ``room`` says what a size budget
    leaves for new indexes next to a result (the existing indexes its plans use stay).
    ``tidy`` is called after timings that ran writes, outside any trial (:mod:`.tidy`); in
    each batch of timings the reads go first."""
    result = Confirmation(list(selection.chosen), selection, room=room)
    cache: dict = {}
    for round_number in range(REPLACEMENT_ROUNDS + 1):
        if measure:
            add_cases(whatif, evaluation, result, tenant_columns, runs, cache, tick, viewers)
            tidy()
        settle(whatif, evaluation, result, measure=measure, runs=runs, limits=limits, tick=tick, tidy=tidy)
        if not measure or not result.removed or round_number == REPLACEMENT_ROUNDS:
            break
        if not replace(evaluation, result, limits):
            break
    if measure and result.chosen and challenge(whatif, evaluation, result, runs, limits, tick, tidy):
        settle(whatif, evaluation, result, measure=measure, runs=runs, limits=limits, tick=tick, tidy=tidy)
    if not result.chosen:
        result.plans = {n: p for n, p in enumerate(evaluation.baseline) if p is not None}
        for comparison in result.comparisons:
            comparison.after = comparison.before
    return result


def add_cases(whatif: WhatIf, evaluation: Evaluation, result: Confirmation,
              tenant_columns: tuple[str, ...], runs: int, cache: dict, tick=None, viewers=()) -> None:
    """Time, without the new indexes, the queries of the chosen set's tables not timed yet."""
    known = {c.number for c in result.comparisons}
    cases = {number: found for number, found
             in cases_for(whatif, evaluation, result.chosen, tenant_columns, cache, viewers).items()
             if number not in known}
    cases = dict(sorted(cases.items(), key=lambda item: writes(evaluation.baseline[item[0]])))
    result.comparisons += measure_before(whatif.conn, cases, runs, tick)


def cases_for(whatif: WhatIf, evaluation: Evaluation, chosen: list[Candidate],
              tenant_columns: tuple[str, ...], cache: dict | None = None, viewers=()) -> dict:
    """The cases to measure: queries reading a table that gets an index, with their samples;
    with ``viewers``, every query (each tenant's time is part of the advice)."""
    tables = {c.table_key for c in chosen}
    cache = {} if cache is None else cache
    cases = {}
    for number, shape in enumerate(evaluation.shapes):
        read = set(shape.tables) | evaluation.fires.get(number, set()) if shape is not None else set()
        if shape is None or number in evaluation.errors or not (viewers or tables & read):
            continue
        found = samples(whatif.conn, evaluation.queries[number], shape, cache, tenant_columns, viewers)
        if found:
            cases[number] = found
    return cases


def settle(whatif: WhatIf, evaluation: Evaluation, result: Confirmation, *, measure: bool, runs: int,
           limits: Limits, tick=None, tidy: Callable[[], None] = lambda: None) -> None:
    """Try the chosen set together until no index has to leave it (steps 2–3): the reads
    are timed (and the suspect ones again) before the writes, and ``tidy`` runs after."""
    while result.chosen:
        with whatif.trial(result.chosen, real=measure) as made:
            result.names = {h.name: c for c, h in made.items() if h.ok}
            result.sizes = {c: h.size_bytes for c, h in made.items() if h.ok}
            result.size_method = {c: h.method for c, h in made.items() if h.ok}
            if measure:
                evaluation.learn_sizes(result.sizes)
            result.plans = final_plans(whatif, evaluation)
            suspects = []
            for batch in reads_then_writes(result.comparisons):
                measure_after(whatif.conn, batch, runs, tick)
                suspects += recheck_after(whatif.conn, batch)
        if measure:
            tidy()
            recheck_before(whatif.conn, suspects)
            if any(writes(c.before.plan) for c in suspects):
                tidy()
        if not drop_one(result, result.selection.benefit, limits, evaluation):
            break


def recheck_after(conn, comparisons: list[Comparison]) -> list[Comparison]:
    """Time again, with more runs, the cases that look slower with the indexes."""
    suspects = [c for c in comparisons if c.slower]
    for comparison in suspects:
        again = time_sample(conn, comparison.sample, RECHECK_RUNS)
        if same_plan(again.plan, comparison.after.plan):
            comparison.after = again
    return suspects


def recheck_before(conn, suspects: list[Comparison]) -> None:
    """Time the suspect cases again without the indexes (call outside the trial), reads first."""
    for comparison in sorted(suspects, key=lambda c: writes(c.before.plan)):
        again = time_sample(conn, comparison.sample, RECHECK_RUNS)
        if same_plan(again.plan, comparison.before.plan):
            comparison.before = again


def replace(evaluation: Evaluation, result: Confirmation, limits: Limits) -> bool:
    """Choose again without the removed indexes and the queries already too fast to gain
    (step 4); True when that brings in an index not tried yet."""
    selection = choose(evaluation, limits, exclude=set(result.removed), settled=too_fast(result, limits))
    if set(selection.chosen) <= set(result.chosen):
        return False
    result.chosen, result.selection = list(selection.chosen), selection
    return True


def too_fast(result: Confirmation, limits: Limits) -> set[int]:
    """The queries no index can make ``min_saved_ms`` quicker: every case already takes less."""
    times: dict[int, list[float | None]] = {}
    for comparison in result.comparisons:
        times.setdefault(comparison.number, []).append(comparison.before.ms)
    return {number for number, found in times.items()
            if all(t is not None and t < limits.min_saved_ms for t in found)}


def final_plans(whatif: WhatIf, evaluation: Evaluation) -> dict[int, Plan]:
    plans = {}
    for number, query in enumerate(evaluation.queries):
        if evaluation.baseline[number] is None:
            continue
        try:
            plans[number] = whatif.plan(query)
        except WorkbenchError:
            plans[number] = evaluation.baseline[number]
    return plans


def drop_one(result: Confirmation, benefit: dict, limits: Limits, evaluation: Evaluation) -> bool:
    """Take out one index when the set as built is over the size budget, else one that slows a
    case down, else those no plan uses, else those whose measured gain is too small; True when
    the set changed."""
    result.write_notes = {}
    if (index := over_budget(result, benefit, limits)) is not None:
        result.removed[index] = (f"over the size budget as built: the set took "
                                 f"{size(built_bytes(result))}, the budget leaves {size(room_left(result, limits))} "
                                 "for new indexes")
        result.chosen.remove(index)
        return True
    for comparison in result.comparisons:
        if comparison.slower:
            if writes(comparison.after.plan):
                index = write_culprit(evaluation, result, comparison, benefit)
            else:
                index = culprit(comparison, result.chosen, result.names, benefit)
            if index is not None:
                before, after = comparison.before.ms, comparison.after.ms
                result.removed[index] = (f"made query {comparison.number + 1} ({comparison.sample.label}) "
                                         f"slower: {before:.2f} ms -> {after:.2f} ms")
                result.chosen.remove(index)
                return True
    used = {result.names[n] for plan in result.plans.values() for n in plan.indexes_used() if n in result.names}
    used |= {c for comparison in result.comparisons for c in uses(comparison, result.names)}
    dropped = {c: "no query's plan uses it next to the other recommended indexes"
               for c in result.chosen if c not in used}
    if not dropped and result.comparisons:
        dropped = {c: reason for c in result.chosen
                   if (reason := small_gain(result, c, limits)) is not None}
    for index, reason in dropped.items():
        result.removed[index] = reason
        result.chosen.remove(index)
    return bool(dropped)


def built_bytes(result: Confirmation) -> int:
    """The size of the chosen set as built (or as estimated, when it was not built)."""
    return sum(result.sizes.get(c) or 0 for c in result.chosen)


def room_left(result: Confirmation, limits: Limits) -> int | None:
    """What the size budget leaves for new indexes (None without a budget): the room the choice
    had, less any existing index proposed for dropping that the set's plans use after all."""
    if limits.budget_bytes is None:
        return None
    return min(limits.budget_bytes, result.room(result)) if result.room else limits.budget_bytes


def over_budget(result: Confirmation, benefit: dict, limits: Limits) -> Candidate | None:
    """The index with the least benefit per byte, when the set as built exceeds the budget."""
    room = room_left(result, limits)
    if room is None or built_bytes(result) <= room:
        return None
    return min(result.chosen, key=lambda c: benefit.get(c, 0.0) / max(result.sizes.get(c) or 1, 1))


def write_culprit(evaluation: Evaluation, result: Confirmation, comparison: Comparison,
                  benefit: dict) -> Candidate | None:
    """For a write made slower (by the entries it now writes into the new indexes of its table,
    even when one of them finds its rows faster): the least useful of those indexes, unless the
    reads they serve gain more time (calls × ms) than the write loses, in which case the write's
    slowdown is noted as their price."""
    target = next(node for node in comparison.after.plan.nodes if node.node_type == "ModifyTable")
    on_table = [c for c in result.chosen if (c.schema, c.table) == (target.schema, target.relation)]
    if not on_table:
        return None
    calls = {n: evaluation.queries[n].calls for n in range(len(evaluation.queries))}
    loss = (comparison.after.ms - comparison.before.ms) * calls[comparison.number]
    gain = sum((c.before.ms - c.after.ms) * calls[c.number] for c in first_cases(result.comparisons)
               if c.number != comparison.number and uses(c, result.names) & set(on_table)
               and c.before.ms is not None and c.after and c.after.ms is not None)
    if gain > loss:
        result.write_notes[comparison.number] = (
            f"{comparison.before.ms:.2f} ms -> {comparison.after.ms:.2f} ms: the price of writing "
            f"the new indexes of {target.relation}; weighted by the workload's calls, the reads they serve "
            f"gain {gain / 1000:,.2f} s against {loss / 1000:,.2f} s lost here")
        return None
    return min(on_table, key=lambda c: benefit.get(c, 0.0))


def unmeasured_use(result: Confirmation, candidate: Candidate) -> str | None:
    """Why an index only estimated plans use leaves: every query whose estimated plan uses it
    was measured, and no measured plan did (None when some such query was not measured)."""
    numbers = [n for n, plan in result.plans.items()
               if any(result.names.get(i) is candidate for i in plan.indexes_used())]
    measured = {c.number for c in result.comparisons if c.after is not None and c.after.plan is not None}
    if not numbers or not set(numbers) <= measured:
        return None
    return (f"only the estimated plan of query {numbers[0] + 1} uses it; no measured case does "
            "(with the sample values the planner prefers another plan)")


def small_gain(result: Confirmation, candidate: Candidate, limits: Limits) -> str | None:
    """Why ``candidate``'s measured gain is too small to pay for it: no case it serves gets
    ``min_speedup`` times faster and ``min_saved_ms`` quicker (None when one does). A tenant's
    report that gains 6 ms at 1.95 times keeps the index when the query as written gains 14
    times."""
    served = [c for c in result.comparisons if candidate in uses(c, result.names)
              and c.before.ms is not None and c.after and c.after.ms is not None]
    if not served:
        return unmeasured_use(result, candidate)
    if any((c.ratio or 0) >= limits.min_speedup and c.before.ms - c.after.ms >= limits.min_saved_ms for c in served):
        return None
    best = max(served, key=lambda c: c.before.ms - c.after.ms)
    return (f"measured gain too small for its cost: best case query {best.number + 1} "
            f"({best.sample.label}) {best.before.ms:.2f} ms -> {best.after.ms:.2f} ms")
