"""A storage budget: sizes as people write them, and the best set of indexes that fits.

Greedy by benefit per byte (:mod:`.choose`) is the baseline. With a budget it can go wrong
the way a knapsack does: one index with the best ratio takes most of the room, and two of a
slightly worse ratio that would together serve more no longer fit. So the most useful
candidates (``EXACT_TOP`` of them, each on its own) are also searched exactly, every subset
that fits the budget and ``max_indexes``, and the better of the two sets wins, measured by
the same yardstick: the weighted share of the workload's estimated cost it removes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import WorkbenchError
from .evaluate import Evaluation
from .model import Candidate

if TYPE_CHECKING:
    from .choose import Limits

EXACT_TOP = 12
UNITS = {"": 1, "b": 1, "byte": 1, "bytes": 1, "k": 1024, "kb": 1024, "m": 1024 ** 2, "mb": 1024 ** 2,
         "g": 1024 ** 3, "gb": 1024 ** 3, "t": 1024 ** 4, "tb": 1024 ** 4}
SIZE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]*)\s*")


def parse_size(value) -> int:
    """Bytes from ``160MB``, ``1.5 GB``, ``512kB`` or a number of bytes (units are powers of
    1024, as PostgreSQL's ``pg_size_pretty`` writes them)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise WorkbenchError(f"a size cannot be negative: {value}", hint="give e.g. 160MB")
        return value
    match = SIZE.fullmatch(str(value))
    unit = match.group(2).lower() if match else None
    if match is None or unit not in UNITS:
        raise WorkbenchError(f"not a size: {value!r}", hint="write a number and a unit: 160MB, 1.5GB, 512kB")
    return int(float(match.group(1)) * UNITS[unit])


@dataclass(frozen=True)
class Budget:
    """A storage budget for the indexes of the tables the workload reads: ``total`` bytes, of
    which the existing indexes the advice keeps take ``kept``; the rest is for new ones."""

    total: int
    kept: int

    @property
    def for_new(self) -> int:
        return max(0, self.total - self.kept)


def budgeted(limits: Limits, budget: Budget | None) -> Limits:
    """``limits`` with the room the ``budget`` leaves for new indexes (unchanged without one)."""
    return limits if budget is None else replace(limits, budget_bytes=budget.for_new)


def set_costs(evaluation: Evaluation, chosen, weight: dict[int, float]) -> dict[int, float]:
    """Each weighted query's estimated cost with the best of ``chosen`` present."""
    present = frozenset(chosen)
    costs = {}
    for number in weight:
        options = [evaluation.cost(number, c, present) for c in chosen if evaluation.helps(number, c, present)]
        costs[number] = min([evaluation.base_cost(number), *options])
    return costs


def set_gain(evaluation: Evaluation, chosen, weight: dict[int, float]) -> float:
    """The weighted share of the workload's estimated cost that ``chosen`` removes, less what
    it adds to the workload's writes."""
    costs = set_costs(evaluation, chosen, weight)
    reads = sum(weight[n] * (evaluation.base_cost(n) - costs[n]) / evaluation.base_cost(n)
                for n in weight if evaluation.base_cost(n))
    return reads - evaluation.writes_cost(chosen)


def exact_pool(evaluation: Evaluation, pool: list[Candidate], weight: dict[int, float], budget: int,
               floor: float, top: int = EXACT_TOP) -> list[Candidate]:
    """The ``top`` candidates that fit the budget on their own, by what each removes alone."""
    alone = [(set_gain(evaluation, [c], weight), c) for c in pool if evaluation.size(c) <= budget]
    ranked = sorted((item for item in alone if item[0] > floor), key=lambda item: -item[0])
    return [c for _, c in ranked[:top]]


def best_within(evaluation: Evaluation, pool: list[Candidate], weight: dict[int, float], budget: int,
                max_indexes: int) -> tuple[list[Candidate], float]:
    """The subset of ``pool`` with the largest :func:`set_gain` whose sizes add up to at most
    ``budget`` and that has at most ``max_indexes`` members (see :class:`ExactSearch`)."""
    search = ExactSearch(evaluation, pool, weight, budget, max_indexes)
    search.walk(0, [], 0, {n: evaluation.base_cost(n) for n in weight})
    return search.best, search.best_gain


class ExactSearch:
    """Depth-first over the subsets of ``pool`` that fit, pruned by size and count. Each
    subset's costs come from its parent's and the one index added; a subset that completes
    another member's join (see :meth:`Evaluation.requires`) is costed afresh."""

    def __init__(self, evaluation: Evaluation, pool, weight, budget: int, max_indexes: int):
        self.evaluation, self.pool, self.weight = evaluation, list(pool), weight
        self.budget, self.max_indexes = budget, max_indexes
        self.sizes = {c: evaluation.size(c) for c in self.pool}
        self.relevant = {c: [n for n in evaluation.relevant(c) if n in weight] for c in self.pool}
        self.requires = {c: evaluation.requires(c) for c in self.pool}
        self.best: list[Candidate] = []
        self.best_gain = 0.0
        self.best_size = 0

    def walk(self, start: int, chosen: list[Candidate], used: int, costs: dict[int, float]) -> None:
        if chosen:
            self.consider(chosen, used, costs)
        if len(chosen) >= self.max_indexes:
            return
        for index in range(start, len(self.pool)):
            candidate = self.pool[index]
            if used + self.sizes[candidate] <= self.budget:
                members = [*chosen, candidate]
                self.walk(index + 1, members, used + self.sizes[candidate], self.costs_with(members, costs))

    def costs_with(self, members: list[Candidate], costs: dict[int, float]) -> dict[int, float]:
        """The queries' costs once ``members[-1]`` joins the others (whose costs are ``costs``)."""
        added = members[-1]
        if any(added in self.requires[m] for m in members[:-1]):
            return set_costs(self.evaluation, members, self.weight)
        present, found = frozenset(members), dict(costs)
        for number in self.relevant[added]:
            if self.evaluation.helps(number, added, present):
                found[number] = min(found[number], self.evaluation.cost(number, added, present))
        return found

    def consider(self, chosen: list[Candidate], used: int, costs: dict[int, float]) -> None:
        """Keep ``chosen`` when it removes more cost than the best so far (or as much, smaller)."""
        base = self.evaluation.base_cost
        gain = sum(w * (base(n) - costs[n]) / base(n) for n, w in self.weight.items() if base(n))
        gain -= self.evaluation.writes_cost(chosen)
        if gain > self.best_gain + 1e-12 or (abs(gain - self.best_gain) <= 1e-12 and used < self.best_size):
            self.best, self.best_gain, self.best_size = list(chosen), gain, used
