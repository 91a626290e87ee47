"""Proof by running: EXPLAIN ANALYZE each query without and with the recommended indexes.

The indexes are built for real inside the what-if transaction and rolled back afterwards.
Each case runs once to warm the cache, then ``runs`` times; the median execution time counts.
A case is *slower* when its median grows by more than 15 % plus 0.3 ms (timing noise).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Callable

from ..errors import WorkbenchError
from ..plans import Plan, explain
from .model import Candidate
from .progress import expect
from .samples import Sample
from .viewers import viewing

NOISE_SHARE = 0.15
NOISE_MS = 0.3


@dataclass(frozen=True)
class Run:
    """One case of one query measured: the median time and the last plan."""

    sample: Sample
    median_ms: float | None
    plan: Plan | None
    error: str | None = None


@dataclass
class Comparison:
    """A query case measured before and after: is it faster, and by how much?"""

    number: int
    sample: Sample
    before: Run
    after: Run | None = None

    @property
    def ratio(self) -> float | None:
        """before / after (above 1: faster with the indexes)."""
        if self.after is None or not self.before.median_ms or self.after.median_ms is None:
            return None
        return self.before.median_ms / max(self.after.median_ms, 1e-3)

    @property
    def slower(self) -> bool:
        if self.after is None or self.before.median_ms is None or self.after.median_ms is None:
            return False
        return slower_than(self.before.median_ms, self.after.median_ms)


def slower_than(before_ms: float, after_ms: float, slack_ms: float = NOISE_MS) -> bool:
    """Whether ``after_ms`` is slower than ``before_ms`` beyond timing noise: more than
    ``NOISE_SHARE`` plus ``slack_ms``."""
    return after_ms > before_ms * (1 + NOISE_SHARE) + slack_ms


def time_sample(conn, sample: Sample, runs: int) -> Run:
    """Warm up once, then the median of ``runs`` EXPLAIN ANALYZE executions (rolled back), as
    the sample's viewer when it has one."""
    times, plan = [], None
    try:
        with viewing(conn, sample.viewer):
            for attempt in range(runs + 1):
                plan = explain(conn, sample.sql, analyze=True, params=sample.params)
                if attempt:
                    times.append(plan.execution_ms or 0.0)
    except WorkbenchError as exc:
        return Run(sample, None, plan, error=exc.what)
    return Run(sample, statistics.median(times), plan)


def measure_before(conn, cases: dict[int, list[Sample]], runs: int,
                   tick: Callable[[str], None] | None = None) -> list[Comparison]:
    """Time every case with the existing indexes only."""
    found = []
    expect(tick, len(cases))
    for number, samples in cases.items():
        for sample in samples:
            found.append(Comparison(number, sample, time_sample(conn, sample, runs)))
        if tick:
            tick("measured without")
    return found


def measure_after(conn, comparisons: list[Comparison], runs: int,
                  tick: Callable[[str], None] | None = None) -> None:
    """Time every case again, with whatever indexes are visible now. A read whose plan did not
    change keeps its first timing: the difference would be noise, not the indexes' doing. A
    write keeps its new timing: the same plan now also writes the new indexes' entries, and
    its foreign-key triggers may look up through them."""
    numbers = list(dict.fromkeys(c.number for c in comparisons))
    expect(tick, len(numbers))
    for number in numbers:
        for comparison in comparisons:
            if comparison.number == number:
                comparison.after = time_sample(conn, comparison.sample, runs)
                if same_plan(comparison.before.plan, comparison.after.plan) and not writes(comparison.before.plan):
                    comparison.after = comparison.before
        if tick:
            tick("measured with")


def writes(plan: Plan | None) -> bool:
    """Whether the plan writes rows (an INSERT, UPDATE, DELETE or MERGE, also inside a CTE)."""
    return plan is not None and any(node.node_type == "ModifyTable" for node in plan.nodes)


def same_plan(first: Plan | None, second: Plan | None) -> bool:
    """Whether two plans have the same shape: node types, tables and indexes, in order."""
    if first is None or second is None:
        return False
    return plan_shape(first) == plan_shape(second)


def plan_shape(plan: Plan) -> list[tuple]:
    return [(node.node_type, node.table, node.index) for node in plan.nodes]


def first_cases(comparisons: list[Comparison]) -> list[Comparison]:
    """Each query's first case (as written), which its calls count for."""
    seen, found = set(), []
    for comparison in comparisons:
        if comparison.number not in seen:
            seen.add(comparison.number)
            found.append(comparison)
    return found


def culprit(comparison: Comparison, chosen: list[Candidate], names: dict, benefit: dict) -> Candidate | None:
    """The chosen index the slower plan uses (the least useful one, if several)."""
    plan = comparison.after.plan if comparison.after else None
    used = [names[n] for n in (plan.indexes_used() if plan else ()) if n in names]
    used = [c for c in used if c in chosen]
    return min(used, key=lambda c: benefit.get(c, 0.0)) if used else None


def uses(comparison: Comparison, names: dict) -> set:
    """The chosen candidates the measured plan uses."""
    plan = comparison.after.plan if comparison.after else None
    return {names[n] for n in (plan.indexes_used() if plan else ()) if n in names}
