"""The benefit–size curve: how much of the workload's speed-up each storage budget buys.

Every subset of the recommended indexes (up to ``EXACT_UP_TO`` of them; beyond, the chain
that drops the index losing least per byte, one at a time) is weighed two ways:

- **estimated**: the workload's weighted cost with that subset, from the what-if matrix
  (a query's cost with several indexes is its cost with the best of them, as in
  :mod:`.choose`);
- **measured**: each measured query keeps its time after when every recommended index its
  plans used is in the subset, and takes its time before otherwise (a lower bound: another
  index of the subset may serve it too).

A budget counts the existing indexes the advice keeps (see :mod:`.unused`), so the curve starts
at their size, with no new index. The rows are the frontier: each is the best subset for its
size, a larger budget only where it gains at least ``MIN_STEP`` (5 %) more speed-up than the row
before (a larger step when that gives more than ``max_rows`` rows), and the whole set last.
"Best" is by the measured speed-up when the advice was measured, else by the estimated one: the
estimates may value a big covering index above ten small ones that the measured times value far
more, and a frontier by estimates then showed 20.65x measured at 414.9 MB and 2.11x at 481.2 MB
(the nursery workload), more storage buying less. ``loses`` says which queries are slower at
that budget than with every recommended index, and by how much.
"""
from __future__ import annotations

from itertools import combinations

import pandas as pd

from ..plans.words import ms, size
from .budget import set_costs
from .choose import weights
from .unused import kept_bytes

EXACT_UP_TO = 12
SHOWN_LOSSES = 3
MIN_STEP = 0.05
MAX_ROWS = 20
COLUMNS = ["budget_bytes", "budget", "new_indexes", "indexes", "est_speedup", "measured_speedup", "loses"]


def subsets(advice, recommended, weight) -> list[tuple]:
    """The subsets of ``recommended`` to weigh: all of them, or a chain for many indexes."""
    if len(recommended) <= EXACT_UP_TO:
        return [combo for k in range(len(recommended) + 1) for combo in combinations(recommended, k)]
    return chain(advice, recommended, weight)


def chain(advice, recommended, weight) -> list[tuple]:
    """Growing subsets: each adds the index that gains the most estimated speed-up per byte."""
    found, chosen, left = [()], (), list(recommended)
    while left:
        now = estimated(advice, chosen, weight)
        best = max(left, key=lambda r: (estimated(advice, (*chosen, r), weight) - now) / max(r.size_bytes or 1, 1))
        chosen, left = (*chosen, best), [r for r in left if r is not best]
        found.append(chosen)
    return found


def estimated(advice, chosen, weight) -> float:
    """The workload's estimated speed-up with ``chosen`` (Recommendations): weighted cost before / after."""
    evaluation = advice.run.evaluation
    costs = set_costs(evaluation, [r.candidate for r in chosen], weight)
    after = sum(weight[n] * costs[n] / evaluation.base_cost(n) for n in weight if evaluation.base_cost(n))
    return sum(weight.values()) / after if after else 1.0


def measured_ms(result, names: set[str]) -> float | None:
    """A measured query's time with only the indexes ``names`` (see the module docstring)."""
    if result.ms_before is None or result.ms_after is None:
        return None
    return result.ms_after if set(result.indexes) <= names else result.ms_before


def measured(advice, names: set[str]) -> float | None:
    """The measured workload's speed-up (weighted by calls) with only the indexes ``names``."""
    timed = [(r.query.calls, r.ms_before, measured_ms(r, names)) for r in advice.queries]
    timed = [(calls, before, after) for calls, before, after in timed if after is not None]
    if not timed:
        return None
    return sum(c * b for c, b, _ in timed) / max(sum(c * a for c, _, a in timed), 1e-6)


def losses(advice, names: set[str]) -> str:
    """The queries slower with only ``names`` than with every recommended index."""
    found = []
    for result in advice.queries:
        if result.error or set(result.indexes) <= names:
            continue
        if result.ms_before is not None and result.ms_after is not None:
            found.append(f"{result.number + 1} ({result.label[:30]}): {ms(result.ms_after)} -> {ms(result.ms_before)}")
        elif result.cost_after and result.cost_before:
            found.append(f"{result.number + 1} ({result.label[:30]}): cost {result.cost_after:,.0f} -> "
                         f"{result.cost_before:,.0f}")
    more = f"; {len(found) - SHOWN_LOSSES} more" if len(found) > SHOWN_LOSSES else ""
    return "; ".join(found[:SHOWN_LOSSES]) + more


def kept_size(advice) -> int:
    """The size of the existing indexes the advice keeps, on the tables the workload reads."""
    if advice.budget is not None:
        return advice.budget.kept
    run = advice.run
    tables = list(dict.fromkeys(t for shape in run.shapes if shape for t in shape.tables))
    return kept_bytes(run.schema, tables, run.unused)


def frontier(points: list[tuple], step: float = MIN_STEP) -> list[tuple]:
    """The points (size, gain, …) that gain ``step`` more than every smaller one, smallest
    first, and the point of largest gain."""
    best, found = float("-inf"), []
    for point in sorted(points, key=lambda p: (p[0], -p[1])):
        if point[1] > best * (1 + step) + 1e-12:
            found.append(point)
            best = point[1]
    top = max(points, key=lambda p: (p[1], -p[0]))
    return found if top in found else [*found, top]


def thinned(points: list[tuple], max_rows: int) -> list[tuple]:
    """The frontier, its step grown until it has at most ``max_rows`` points."""
    step = MIN_STEP
    found = frontier(points, step)
    while len(found) > max_rows:
        step *= 1.5
        found = frontier(points, step)
    return found


def benefit_curve(advice, max_rows: int = MAX_ROWS) -> pd.DataFrame:
    """One row per budget on the frontier (see the module docstring)."""
    weight = weights(advice.run.evaluation)
    recommended = sorted(advice.recommended, key=lambda r: r.size_bytes or 0)
    kept = kept_size(advice)
    by_measure = measured(advice, set()) is not None
    points = [(sum(r.size_bytes or 0 for r in chosen), speedup_of(advice, chosen, weight, by_measure), chosen)
              for chosen in subsets(advice, recommended, weight)]
    every = max(points, key=lambda p: len(p[2]))
    rows = []
    for new_bytes, _, chosen in with_last(thinned(points, max_rows), every):
        names = {r.name for r in chosen}
        rows.append({"budget_bytes": kept + new_bytes, "budget": size(kept + new_bytes),
                     "new_indexes": len(chosen), "indexes": ", ".join(sorted(names)),
                     "est_speedup": round(estimated(advice, chosen, weight), 2),
                     "measured_speedup": rounded(measured(advice, names)), "loses": losses(advice, names)})
    return pd.DataFrame(rows, columns=COLUMNS)


def speedup_of(advice, chosen, weight, by_measure: bool) -> float:
    """What ranks a subset on the frontier: its measured speed-up, or its estimated one."""
    return measured(advice, {r.name for r in chosen}) if by_measure else estimated(advice, chosen, weight)


def with_last(points: list[tuple], every: tuple) -> list[tuple]:
    """The frontier ending with the whole set (``every``): a smaller subset may measure as fast
    when an index serves no query's measured plan alone."""
    return [p for p in points if p[0] < every[0]] + [every] if every not in points else points


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def plot_curve(frame: pd.DataFrame, ax=None):
    """The curve as a step plot: speed-up (measured, and estimated) against the budget in MB."""
    import matplotlib.pyplot as plt

    figure = ax.figure if ax is not None else plt.figure(figsize=(7, 3.5))
    ax = ax if ax is not None else figure.add_subplot()
    mb = frame["budget_bytes"] / 1024 ** 2
    ax.step(mb, frame["est_speedup"], where="post", marker="o", linestyle="--", label="estimated")
    if frame["measured_speedup"].notna().any():
        ax.step(mb, frame["measured_speedup"], where="post", marker="s", label="measured (lower bound)")
    for x, y, count in zip(mb, frame["est_speedup"], frame["new_indexes"]):
        ax.annotate(str(count), (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    ax.set_xlabel("index storage of the workload's tables (MB)")
    ax.set_ylabel("workload speed-up (x)")
    ax.set_yscale("log")
    ax.set_title("Speed-up per storage budget (numbers: new indexes)")
    ax.legend()
    figure.tight_layout()
    plt.close(figure)
    return figure
