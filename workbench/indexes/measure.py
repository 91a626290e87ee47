"""Proof by running: EXPLAIN ANALYZE each query without and with the recommended indexes.

The indexes are built for real inside the what-if transaction and rolled back afterwards.
Each case runs once to warm the cache, then ``runs`` times; a read counts the median execution
time, a write its fastest run (see :func:`typical`). A case is *slower* when its median grows by more than 15 % plus 0.3 ms (timing noise).
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
RECHECK_RUNS = 9  # runs of a case that looks slower, timed again before anything is concluded from it


@dataclass(frozen=True)
class Run:
    """One case of one query measured: its typical time (:func:`typical`) and the last plan."""

    sample: Sample
    ms: float | None
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
        if self.after is None or not self.before.ms or self.after.ms is None:
            return None
        return self.before.ms / max(self.after.ms, 1e-3)

    @property
    def slower(self) -> bool:
        if self.after is None or self.before.ms is None or self.after.ms is None:
            return False
        return slower_than(self.before.ms, self.after.ms)


def slower_than(before_ms: float, after_ms: float, slack_ms: float = NOISE_MS) -> bool:
    """Whether ``after_ms`` is slower than ``before_ms`` beyond timing noise: more than
    ``NOISE_SHARE`` plus ``slack_ms``."""
    return after_ms > before_ms * (1 + NOISE_SHARE) + slack_ms


def time_sample(conn, sample: Sample, runs: int) -> Run:
    """Warm up once, then ``runs`` EXPLAIN ANALYZE executions (rolled back), as the sample's
    viewer when it has one; the time that counts is :func:`typical` of them."""
    times, plan = [], None
    try:
        with viewing(conn, sample.viewer):
            for _ in range(runs + 1):
                plan = explain(conn, sample.sql, analyze=True, params=sample.params)
                times.append(plan.execution_ms or 0.0)
    except WorkbenchError as exc:
        return Run(sample, None, plan, error=exc.what)
    return Run(sample, typical(times, writes(plan)), plan)


def typical(times: list[float], write: bool) -> float:
    """The time a statement takes, from its runs, the first of which warmed the cache.

    A read counts the median of the runs after the first. A write counts its fastest run: a
    rolled-back write leaves its rows' new index entries behind until VACUUM, and each run
    must write past those of the runs before it (a bulk UPDATE of 12,353 rows of a table with
    ten new indexes took 246, 338, 386 and 441 ms in turn), so its first runs are what it
    costs on a clean table, and later ones measure the rollbacks."""
    if write:
        return min(times)
    return statistics.median(times[1:] or times)


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


def reads_then_writes(comparisons: list[Comparison]) -> tuple[list[Comparison], list[Comparison]]:
    """The cases of reads, and those of writes: timed in that order, since a write's
    rolled-back changes clear the visibility-map bits under the reads' index-only scans
    (see :mod:`.tidy`)."""
    return ([c for c in comparisons if not writes(c.before.plan)],
            [c for c in comparisons if writes(c.before.plan)])


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
