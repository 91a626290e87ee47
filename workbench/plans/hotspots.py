"""Hot spots: the parts of a plan that make it slow, each with a plain-words reason.

Every rule is a small function registered in :data:`RULES` under the hot spot's kind; a rule
looks at the whole plan and yields :class:`HotSpot` objects.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from .model import Plan, PlanNode
from .words import count, ms, pct

DISCARD_SHARE = 0.9
DISCARD_MIN_ROWS = 1000
MISESTIMATE_FACTOR = 10.0
MISESTIMATE_MIN_ROWS = 10
NESTED_LOOP_OUTER_ROWS = 10_000
HEAP_FETCH_SHARE = 0.1
MAX_MISESTIMATES = 3


@dataclass(frozen=True)
class HotSpot:
    """One reason the plan is slow: its kind, the node, a short title and the explanation."""

    kind: str
    node_id: int
    title: str
    detail: str
    weight: float = 0.0

    def __str__(self) -> str:
        return f"{self.title}: {self.detail}"


Rule = Callable[[Plan], Iterator[HotSpot]]
RULES: dict[str, Rule] = {}
DESCRIPTIONS: dict[str, str] = {}


def rule(kind: str, description: str):
    """Register a hot-spot rule under ``kind`` (refuses to register a kind twice)."""
    def register(function: Rule) -> Rule:
        if kind in RULES:
            raise ValueError(f"hot-spot rule {kind!r} is already registered")
        RULES[kind] = function
        DESCRIPTIONS[kind] = description
        return function
    return register


def find_hot_spots(plan: Plan) -> list[HotSpot]:
    """Every hot spot of ``plan``, the heaviest first."""
    found = [spot for check in RULES.values() for spot in check(plan)]
    return sorted(found, key=lambda spot: (-spot.weight, spot.node_id, spot.kind))


def share(plan: Plan, node: PlanNode) -> float:
    """The node's own share of the plan: of the time after ANALYZE, else of the estimated cost."""
    if plan.analyzed and node.inclusive_ms is not None:
        total = plan.root.inclusive_ms or 0.0
        return (plan.exclusive_ms(node) or 0.0) / total if total else 0.0
    total = plan.root.total_cost
    return plan.exclusive_cost(node) / total if total else 0.0


@rule("slowest", "the node where most of the time (or, without ANALYZE, the estimated cost) goes")
def slowest(plan: Plan) -> Iterator[HotSpot]:
    top = max(plan.nodes, key=lambda node: (share(plan, node), -node.id))
    part = share(plan, top)
    if plan.analyzed:
        detail = (f"{ms(plan.exclusive_ms(top))} of {ms(plan.root.inclusive_ms)} "
                  f"({pct(part)}) is spent here")
        title = f"slowest step: {top.label}"
    else:
        detail = f"{pct(part)} of the estimated cost ({plan.exclusive_cost(top):,.0f} of {plan.total_cost:,.0f})"
        if top.node_type == "Seq Scan" and top.filter:
            detail += (f"; it reads all of {top.table} and filters it (expects to keep "
                       f"{count(top.plan_rows)} rows): run it with ANALYZE to see how many it throws away")
        title = f"costliest step: {top.label}"
    yield HotSpot("slowest", top.id, title, detail, weight=1.0 + part)


@rule("seq_scan_discards", "a sequential scan that reads a table and throws most rows away")
def seq_scan_discards(plan: Plan) -> Iterator[HotSpot]:
    for node in plan.nodes:
        if node.node_type != "Seq Scan" or not node.executed or not node.rows_removed_by_filter:
            continue
        removed, kept = node.rows_removed, node.rows_out or 0.0
        if removed < DISCARD_MIN_ROWS or removed / (removed + kept) < DISCARD_SHARE:
            continue
        detail = (f"reads {count(removed + kept)} rows of {node.table} and keeps {count(kept)} "
                  f"({pct(kept / (removed + kept))}); an index on the filtered columns would read "
                  f"only the rows it keeps (filter: {node.filter})")
        yield HotSpot("seq_scan_discards", node.id, f"sequential scan discards most rows: {node.label}",
                      detail, weight=0.5 + share(plan, node))


@rule("misestimate", "a row estimate off by 10x or more, which misleads every choice above it")
def misestimates(plan: Plan) -> Iterator[HotSpot]:
    found = [node for node in plan.nodes if is_misestimated(node)]
    origins = [node for node in found if not any(is_misestimated(c) for c in node.children)]
    for node in sorted(origins, key=lambda n: -abs_factor(n))[:MAX_MISESTIMATES]:
        factor = node.misestimate
        direction = "more" if factor > 1 else "fewer"
        times = factor if factor > 1 else 1 / factor
        detail = (f"the planner expected {count(node.plan_rows)} rows per loop and got "
                  f"{count(node.actual_rows)} ({times:,.0f}x {direction}); plans above it were chosen "
                  "for the wrong row count: ANALYZE the table, or add extended statistics "
                  "(CREATE STATISTICS) for correlated columns")
        yield HotSpot("misestimate", node.id, f"row estimate off {times:,.0f}x: {node.label}", detail,
                      weight=0.4 + share(plan, node))


def is_misestimated(node: PlanNode) -> bool:
    if node.misestimate is None:
        return False
    biggest = max(node.actual_rows or 0.0, node.plan_rows)
    return biggest >= MISESTIMATE_MIN_ROWS and abs_factor(node) >= MISESTIMATE_FACTOR


def abs_factor(node: PlanNode) -> float:
    factor = node.misestimate or 1.0
    return factor if factor >= 1 else 1 / factor


@rule("spill", "a sort, hash or aggregate that ran out of work_mem and wrote to disk")
def spills(plan: Plan) -> Iterator[HotSpot]:
    for node in plan.nodes:
        if not node.spilled:
            continue
        if node.sort_method:
            how = f"sorted on disk ({node.sort_method}, {count(node.sort_space_kb or 0)} kB)"
        elif (node.hash_batches or 1) > 1:
            how = f"split its hash table into {node.hash_batches} batches on disk"
        else:
            how = f"wrote {count(node.disk_usage_kb or 0)} kB to disk"
        detail = (f"{how}: it needed more than work_mem ({plan.settings.get('work_mem', 'default')}); "
                  "feed it fewer rows (an index, a tighter filter) or raise work_mem for this query")
        yield HotSpot("spill", node.id, f"spills to disk: {node.label}", detail, weight=0.45 + share(plan, node))


@rule("nested_loop", "a nested loop that repeats its inner side for a large outer set")
def big_nested_loops(plan: Plan) -> Iterator[HotSpot]:
    for node in plan.nodes:
        if node.node_type != "Nested Loop" or len(node.children) < 2:
            continue
        outer, inner = node.children[0], node.children[1]
        rows = outer.rows_out if outer.analyzed else outer.plan_rows
        if rows is None or rows < NESTED_LOOP_OUTER_ROWS:
            continue
        detail = (f"runs {inner.label} once for each of {count(rows)} outer rows; a hash join, "
                  "or an index on the inner side's join column, is usually faster at this size")
        yield HotSpot("nested_loop", node.id, f"nested loop over {count(rows)} rows", detail,
                      weight=0.35 + share(plan, node))


@rule("heap_fetches", "an index-only scan that still visits the table (visibility map not current)")
def heap_fetches(plan: Plan) -> Iterator[HotSpot]:
    for node in plan.nodes:
        if node.node_type != "Index Only Scan" or not node.heap_fetches or not node.executed:
            continue
        fetched = node.heap_fetches * (node.loops or 1)
        rows = max(node.rows_out or 0.0, 1.0)
        if fetched < HEAP_FETCH_SHARE * rows:
            continue
        detail = (f"visited {node.table} for {count(fetched)} of {count(rows)} rows because the "
                  "visibility map is not up to date; VACUUM the table (or tune autovacuum) to make "
                  "the scan truly index-only")
        yield HotSpot("heap_fetches", node.id, f"heap fetches on index-only scan: {node.label}", detail,
                      weight=0.3 + share(plan, node))
