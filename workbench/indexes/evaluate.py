"""The what-if matrix: each query's estimated cost without new indexes, and with each candidate alone.

One trial per candidate: it is made visible once and every query reading its table is
planned against it, so a workload costs one index build (or one HypoPG call) per candidate.
Expression keys (``lower(email)``, ``date_trunc('week', due_on)``) are always tried as real
indexes, analysed: HypoPG has no statistics for them and would cost them with a default
selectivity, so the workload's choice between them and plain columns would rest on a guess.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Callable

from ..errors import WorkbenchError
from ..plans import Plan
from .model import Candidate
from .progress import expect
from .query import QueryShape
from .sources import Query
from .whatif import Hypothetical, WhatIf


@dataclass
class Evaluation:
    """Baseline plans, and per (query number, candidate) the estimated cost and whether it was
    used; ``write_cost`` is what each candidate alone adds to the workload's writes, and
    ``upkeep`` what a set of them adds together (:mod:`.writes`); ``fires`` holds the tables a
    DELETE's foreign-key triggers read (:mod:`.lookups`); ``unvacuumed`` the workload's tables
    whose visibility map is mostly unset (:mod:`.visibility`)."""

    queries: list[Query]
    shapes: list[QueryShape | None]
    baseline: list[Plan | None]
    errors: dict[int, str] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    made: dict[Candidate, Hypothetical] = field(default_factory=dict)
    costs: dict[tuple[int, Candidate], float] = field(default_factory=dict)
    used: dict[tuple[int, Candidate], bool] = field(default_factory=dict)
    origins: dict[Candidate, set[int]] = field(default_factory=dict)
    joined: dict[tuple[int, Candidate], tuple[float, frozenset]] = field(default_factory=dict)
    write_cost: dict[Candidate, float] = field(default_factory=dict)
    fires: dict[int, set[tuple[str, str]]] = field(default_factory=dict)
    smallest: dict = field(default_factory=dict)
    upkeep: object | None = None
    built: dict[Candidate, int] = field(default_factory=dict)
    estimate_scale: float = 1.0
    unvacuumed: list = field(default_factory=list)

    def writes_cost(self, indexes) -> float:
        """What ``indexes``, all new together, add to the workload's writes."""
        indexes = list(dict.fromkeys(indexes))
        if self.upkeep is not None:
            return self.upkeep.cost(indexes)
        return sum(self.write_cost.get(c, 0.0) for c in indexes)

    def added_writes_cost(self, members, chosen) -> float:
        """What adding ``members`` to the ``chosen`` indexes adds to the workload's writes."""
        return self.writes_cost([*chosen, *members]) - self.writes_cost(chosen)

    def base_cost(self, number: int) -> float | None:
        plan = self.baseline[number]
        return plan.total_cost if plan is not None else None

    def cost(self, number: int, candidate: Candidate, chosen=frozenset()) -> float | None:
        """Estimated cost of query ``number`` with ``candidate`` (None when not tried); with the
        ``chosen`` set, the cost next to the indexes it joins with, when those are all chosen."""
        alone = self.costs.get((number, candidate))
        together = [cost for cost, needed in self.joined_costs(number, candidate) if present(needed, chosen)]
        if together:
            return min(together) if alone is None else min(alone, *together)
        return alone

    def joined_costs(self, number: int, candidate: Candidate) -> list[tuple[float, frozenset]]:
        """The costs query ``number`` reaches next to other indexes with ``candidate``, or with an
        index ``candidate`` stands in for (the same keys and more)."""
        if getattr(self, "_joined_size", None) != len(self.joined):
            self._by_query: dict[int, list] = {}
            for (n, member), found in self.joined.items():
                self._by_query.setdefault(n, []).append((member, found))
            self._joined_size = len(self.joined)
        return [found for member, found in self._by_query.get(number, ())
                if member is candidate or candidate.stands_in_for(member)]

    def helps(self, number: int, candidate: Candidate, chosen=frozenset()) -> bool:
        """Whether the plan with ``candidate`` (and ``chosen``) uses it and is cheaper than without."""
        cost, base = self.cost(number, candidate, chosen), self.base_cost(number)
        used = self.used.get((number, candidate)) or any(
            present(needed, chosen) for _, needed in self.joined_costs(number, candidate))
        return bool(used) and cost is not None and base is not None and cost < base

    def requires(self, candidate: Candidate) -> frozenset:
        """The indexes ``candidate`` was costed next to, for some join query."""
        found = [needed for (_, c), (_, needed) in self.joined.items() if c is candidate]
        return frozenset().union(*found) if found else frozenset()

    def relevant(self, candidate: Candidate) -> list[int]:
        """The numbers of the queries that read the candidate's table."""
        return [n for n, shape in enumerate(self.shapes)
                if shape is not None and n not in self.errors and candidate.table_key in shape.tables]

    def size(self, candidate: Candidate) -> int | None:
        """The candidate's size in bytes: as built, once the proof has built it; else as
        estimated, a HypoPG estimate scaled by ``estimate_scale`` (see :meth:`learn_sizes`)."""
        if candidate in self.built:
            return self.built[candidate]
        made = self.made.get(candidate)
        if made is None or not made.ok or made.size_bytes is None:
            return None
        if made.method == "hypopg":
            return max(int(made.size_bytes * self.estimate_scale), 1)
        return made.size_bytes

    def learn_sizes(self, built: dict[Candidate, int]) -> None:
        """Take the sizes of indexes built for real (the proof's trials). HypoPG's estimates
        of the others are then scaled by the median ratio of built to estimated size of those
        it estimated too: it estimates a whole workload's btrees alike (1.35-1.67x their
        built size, deduplication allowed for), so a choice that mixes built and estimated
        sizes would otherwise favour whatever was built once."""
        self.built.update({c: b for c, b in built.items() if b})
        ratios = [self.built[c] / made.size_bytes for c, made in self.made.items()
                  if c in self.built and made.ok and made.method == "hypopg" and made.size_bytes]
        self.estimate_scale = statistics.median(ratios) if ratios else 1.0


def present(needed, chosen) -> bool:
    """Whether every index of ``needed`` is chosen, or a chosen one stands in for it (the same
    keys and more, see :meth:`Candidate.stands_in_for`)."""
    chosen = set(chosen)
    return all(n in chosen or any(c.stands_in_for(n) for c in chosen) for n in needed)


def baseline(whatif: WhatIf, queries: list[Query], shapes: list[QueryShape | None],
             errors: dict[int, str]) -> list[Plan | None]:
    """Each query's plan with the indexes that exist (None for queries that cannot be planned)."""
    plans = []
    for number, query in enumerate(queries):
        if number in errors:
            plans.append(None)
            continue
        try:
            plans.append(whatif.plan(query))
        except WorkbenchError as exc:
            errors[number] = exc.what
            plans.append(None)
    return plans


def evaluate(whatif: WhatIf, queries: list[Query], shapes: list[QueryShape | None],
             candidates: list[Candidate], errors: dict[int, str] | None = None,
             tick: Callable[[str], None] | None = None, smallest: dict | None = None) -> Evaluation:
    """Plan every query against every candidate of a table it reads, one candidate at a time.
    A query that picks one tenant is also planned as its smallest tenant (``smallest``: query
    number → Sample), and a candidate's cost for it is the mean of the two, relative to each
    one's cost without new indexes: an index that serves only the big tenants (a range alone,
    where the tenant should lead) is worth half as much."""
    errors = dict(errors or {})
    result = Evaluation(queries, shapes, baseline(whatif, queries, shapes, errors), errors,
                        list(candidates))
    result.smallest = smallest_baseline(whatif, smallest or {}, result)
    for candidate in candidates:
        with whatif.trial([candidate], real=candidate.expression) as made:
            result.made[candidate] = made[candidate]
            if made[candidate].ok:
                record(whatif, result, candidate, made[candidate])
        if tick:
            tick(candidate.table)
    return result


def smallest_baseline(whatif: WhatIf, smallest: dict, result: Evaluation) -> dict:
    """{query number: (its smallest tenant's Sample, that case's cost without new indexes)}."""
    found = {}
    for number, sample in smallest.items():
        if result.baseline[number] is None:
            continue
        try:
            found[number] = (sample, whatif.plan(sample.sql, sample.params).total_cost)
        except WorkbenchError:
            continue
    return found


def record(whatif: WhatIf, result: Evaluation, candidate: Candidate, made: Hypothetical) -> None:
    for number in result.relevant(candidate):
        try:
            plan = whatif.plan(result.queries[number])
        except WorkbenchError:
            continue
        base, cost = result.base_cost(number), plan.total_cost
        used = made.name in plan.indexes_used()
        if number in result.smallest:
            sample, small_base = result.smallest[number]
            try:
                small = whatif.plan(sample.sql, sample.params)
            except WorkbenchError:
                small = None
            if small is not None and small_base:
                cost = base * (min(cost, base) / base + min(small.total_cost, small_base) / small_base) / 2
                used = used or made.name in small.indexes_used()
        result.costs[(number, candidate)] = min(cost, base)
        result.used[(number, candidate)] = used


def evaluate_groups(whatif: WhatIf, evaluation: Evaluation, groups: dict[tuple[Candidate, ...], set[int]],
                    tick: Callable[[str], None] | None = None) -> None:
    """Cost each group of candidates that serves an ``OR`` together (one index per arm, which
    the planner BitmapOr-s), against the queries that proposed it. Where the plan uses every
    member and is cheaper than with any member alone, each member records that cost as one it
    reaches next to the others (as a join's indexes do, see :meth:`Evaluation.requires`)."""
    for group, numbers in groups.items():
        if all(evaluation.size(member) for member in group):
            with whatif.trial(list(group)) as made:
                record_group(whatif, evaluation, group, made, numbers)
        if tick:
            tick(f"{group[0].table} (OR)")


def record_group(whatif: WhatIf, evaluation: Evaluation, group: tuple[Candidate, ...], made: dict,
                 numbers: set[int]) -> None:
    names = {made[member].name for member in group if made[member].ok}
    if len(names) != len(group):
        return
    for number in sorted(numbers):
        try:
            plan = whatif.plan(evaluation.queries[number])
        except WorkbenchError:
            continue
        alone = [evaluation.costs.get((number, m), evaluation.base_cost(number)) for m in group]
        if names <= set(plan.indexes_used()) and plan.total_cost < min(alone):
            for member in group:
                evaluation.joined[(number, member)] = (plan.total_cost, frozenset(group) - {member})


def joined_queries(evaluation: Evaluation) -> list[int]:
    """The plannable queries that read more than one table."""
    return [n for n, shape in enumerate(evaluation.shapes)
            if shape is not None and n not in evaluation.errors and len(shape.tables) > 1]


def evaluate_in_context(whatif: WhatIf, evaluation: Evaluation, chosen: list[Candidate],
                        tick: Callable[[str], None] | None = None) -> bool:
    """A second pass for joins: cost the other candidates of joined tables with the chosen
    indexes of those tables present, since a join often needs an index on each side (one
    alone changes nothing). Improved costs replace the first pass's; True if any did."""
    joined = joined_queries(evaluation)
    tables = {t for n in joined for t in evaluation.shapes[n].tables}
    context = [c for c in chosen if c.table_key in tables]
    others = [c for c in evaluation.candidates
              if c not in chosen and evaluation.size(c) and c.table_key in tables]
    if not joined or not context or not others:
        return False
    improved = False
    expect(tick, len(others))
    with whatif.trial(context) as present:
        names = {h.name: c for c, h in present.items() if h.ok}
        for candidate in others:
            with whatif.trial([candidate], real=candidate.expression) as made:
                if made[candidate].ok:
                    improved |= record_joined(whatif, evaluation, candidate, made[candidate], joined, names)
            if tick:
                tick(f"{candidate.table} (joins)")
    return improved


def record_joined(whatif: WhatIf, evaluation: Evaluation, candidate: Candidate, made: Hypothetical,
                  joined: list[int], names: dict) -> bool:
    """Keep a join query's cost with ``candidate`` next to the chosen indexes, when it is lower."""
    improved = False
    for number in joined:
        if candidate.table_key not in evaluation.shapes[number].tables:
            continue
        try:
            plan = whatif.plan(evaluation.queries[number])
        except WorkbenchError:
            continue
        known = evaluation.costs.get((number, candidate), evaluation.base_cost(number))
        used = plan.indexes_used()
        if made.name in used and plan.total_cost < known:
            needed = frozenset(names[n] for n in used if n in names)
            evaluation.joined[(number, candidate)] = (plan.total_cost, needed)
            improved = True
    return improved
