"""A plan in plain words: what PostgreSQL does, step by step in execution order, and the hot spots.

Steps follow execution order (children before the node that consumes their rows). Each node
type has a small phrase function in :data:`PHRASES`; unknown types get a generic sentence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .hotspots import HotSpot
from .model import Plan, PlanNode
from .words import count, ms, pct

Phrase = Callable[[PlanNode], str]
PHRASES: dict[str, Phrase] = {}


def phrase(*node_types: str):
    """Register the sentence for one or more node types."""
    def register(function: Phrase) -> Phrase:
        for node_type in node_types:
            if node_type in PHRASES:
                raise ValueError(f"a phrase for {node_type!r} is already registered")
            PHRASES[node_type] = function
        return function
    return register


@dataclass(frozen=True)
class Step:
    """One step of the narrative: the node it describes and the sentence."""

    node_id: int
    node_type: str
    text: str


@dataclass(frozen=True)
class Narrative:
    """What the plan does (``steps``), where it hurts (``hot_spots``) and a one-line ``summary``."""

    summary: str
    steps: tuple[Step, ...]
    hot_spots: tuple[HotSpot, ...]

    @property
    def structure(self) -> dict:
        """The stable shape of the narrative: node types in order and hot-spot kinds."""
        return {"steps": [step.node_type for step in self.steps],
                "hot_spots": [spot.kind for spot in self.hot_spots]}

    def lines(self) -> list[str]:
        lines = [self.summary, ""]
        lines += [f"{number}. {step.text}" for number, step in enumerate(self.steps, start=1)]
        if self.hot_spots:
            lines += ["", "Hot spots:"]
            lines += [f"- {spot.title}: {spot.detail}" for spot in self.hot_spots]
        else:
            lines += ["", "No hot spots found."]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_markdown_(self) -> str:
        return "\n".join(self.lines())


def narrate(plan: Plan) -> Narrative:
    """The narrative of ``plan``."""
    steps = tuple(Step(node.id, node.node_type, describe(node)) for node in execution_order(plan.root))
    return Narrative(summary_line(plan), steps, tuple(plan.hot_spots()))


def execution_order(node: PlanNode) -> list[PlanNode]:
    """Nodes in the order their work completes: children first (InitPlans before the rest)."""
    children = sorted(node.children, key=lambda child: child.relationship != "InitPlan")
    ordered = [n for child in children for n in execution_order(child)]
    return ordered + [node]


def summary_line(plan: Plan) -> str:
    kind = "generic plan (no parameter values)" if plan.generic else "plan"
    head = f"The {kind} has {len(plan.nodes)} step(s), estimated cost {plan.total_cost:,.0f}"
    if not plan.analyzed:
        return head + " (estimated, not run)."
    rows = plan.root.rows_out
    planning = f", planning {ms(plan.planning_ms)}" if plan.planning_ms is not None else ""
    return f"{head}; it ran in {ms(plan.total_ms)}{planning} and returned {count(rows)} row(s)."


def describe(node: PlanNode) -> str:
    """One sentence for ``node``: what it does, plus what actually happened after ANALYZE."""
    text = PHRASES.get(node.node_type, generic)(node)
    if node.subplan_name:
        text = f"{node.subplan_name}: {text}"
    return text + outcome(node)


def outcome(node: PlanNode) -> str:
    if not node.analyzed:
        return f" (expected {count(node.plan_rows)} row(s))."
    if not node.executed:
        return " (never executed)."
    loops = f" over {count(node.loops)} loops" if (node.loops or 0) > max(node.parallel_procs, 1) else ""
    removed = ""
    if node.rows_removed:
        total = node.rows_removed + (node.rows_out or 0.0)
        removed = f", after discarding {count(node.rows_removed)} ({pct(node.rows_removed / total)})"
    return (f": {count(node.rows_out)} row(s){loops}{removed}, expected {count(node.plan_rows * (node.loops or 1))}, "
            f"{ms(node.inclusive_ms)}.")


def generic(node: PlanNode) -> str:
    return f"{node.label}"


def condition(text: str | None, word: str = "where") -> str:
    if not text:
        return ""
    return f"{word} {text}" if word.startswith(",") else f" {word} {text}"


def parallel(node: PlanNode) -> str:
    return " (in parallel)" if node.parallel_aware else ""


@phrase("Seq Scan")
def seq_scan(node: PlanNode) -> str:
    return f"Read every row of {node.table}{parallel(node)}{condition(node.filter, ', keeping rows where')}"


@phrase("Index Scan")
def index_scan(node: PlanNode) -> str:
    order = " backwards" if node.scan_direction == "Backward" else ""
    return (f"Look up rows of {node.table} through index {node.index}{order}"
            f"{condition(node.index_cond)}{condition(node.filter, ', then keep rows where')}")


@phrase("Index Only Scan")
def index_only_scan(node: PlanNode) -> str:
    return (f"Answer from index {node.index} alone, without reading {node.table}"
            f"{condition(node.index_cond)}{condition(node.filter, ', keeping rows where')}")


@phrase("Bitmap Index Scan")
def bitmap_index_scan(node: PlanNode) -> str:
    return f"Mark the matching row locations in index {node.index}{condition(node.index_cond)}"


@phrase("Bitmap Heap Scan")
def bitmap_heap_scan(node: PlanNode) -> str:
    return (f"Read the marked pages of {node.table}{condition(node.recheck_cond, 'checking')}"
            f"{condition(node.filter, ', keeping rows where')}")


@phrase("BitmapAnd", "BitmapOr")
def bitmap_combine(node: PlanNode) -> str:
    word = "both" if node.node_type == "BitmapAnd" else "either"
    return f"Combine the row locations found by {word} index scans"


@phrase("Sort", "Incremental Sort")
def sort(node: PlanNode) -> str:
    how = f" ({node.sort_method}, {node.sort_space_type or ''} {count(node.sort_space_kb)} kB)" if node.sort_method else ""
    kind = "incrementally " if node.node_type == "Incremental Sort" else ""
    return f"Sort the rows {kind}by {', '.join(node.sort_key)}{how}"


@phrase("Limit")
def limit(node: PlanNode) -> str:
    return "Stop after the first rows are returned (LIMIT)"


@phrase("Hash")
def hash_build(node: PlanNode) -> str:
    return "Build a hash table of these rows in memory" if (node.hash_batches or 1) <= 1 else \
        f"Build a hash table of these rows, in {node.hash_batches} batches on disk"


@phrase("Hash Join")
def hash_join(node: PlanNode) -> str:
    return f"Join the rows by looking each one up in the hash table{condition(node.hash_cond, 'on')}"


@phrase("Merge Join")
def merge_join(node: PlanNode) -> str:
    return f"Join two sorted inputs by walking them side by side{condition(node.merge_cond, 'on')}"


@phrase("Nested Loop")
def nested_loop(node: PlanNode) -> str:
    return f"For each row of the first input, look up matching rows in the second{condition(node.join_filter, 'where')}"


@phrase("Aggregate")
def aggregate(node: PlanNode) -> str:
    how = {"Hashed": "in a hash table", "Sorted": "from sorted input", "Mixed": "by grouping sets"}
    group = f" by {', '.join(node.group_key)}" if node.group_key else ""
    mode = {"Partial": "partial ", "Finalize": "final "}.get(node.raw.get("Partial Mode", ""), "")
    return f"Compute the {mode}aggregates{group} {how.get(node.strategy or '', '')}".rstrip()


@phrase("Gather", "Gather Merge")
def gather(node: PlanNode) -> str:
    merge = ", keeping their order" if node.node_type == "Gather Merge" else ""
    workers = node.workers_launched if node.workers_launched is not None else node.workers_planned
    return f"Collect the rows of {workers} parallel worker(s) and the leader{merge}"


@phrase("ModifyTable")
def modify(node: PlanNode) -> str:
    verb = {"Delete": "Delete", "Update": "Update", "Insert": "Insert", "Merge": "Merge"}
    return f"{verb.get(node.operation or '', 'Change')} the rows in {node.table}"


@phrase("Memoize")
def memoize(node: PlanNode) -> str:
    return "Remember the inner results per key, to skip repeated lookups"


@phrase("Materialize")
def materialize(node: PlanNode) -> str:
    return "Keep the rows in memory to read them again"


@phrase("Unique")
def unique(node: PlanNode) -> str:
    return "Drop duplicate rows from sorted input"


@phrase("Append", "Merge Append")
def append(node: PlanNode) -> str:
    return "Put the results of the parts one after the other"


@phrase("Result")
def result(node: PlanNode) -> str:
    return "Compute the result expressions"


@phrase("CTE Scan")
def cte_scan(node: PlanNode) -> str:
    return f"Read the result of the WITH query {node.raw.get('CTE Name', '')}".rstrip() + \
        condition(node.filter, ', keeping rows where')


@phrase("Subquery Scan")
def subquery_scan(node: PlanNode) -> str:
    return f"Read the subquery's rows{condition(node.filter, ', keeping rows where')}"


@phrase("Function Scan")
def function_scan(node: PlanNode) -> str:
    return f"Call the function {node.raw.get('Function Name', '')} and read its rows".replace("  ", " ")


@phrase("WindowAgg")
def window(node: PlanNode) -> str:
    return "Compute the window functions"


@phrase("LockRows")
def lock_rows(node: PlanNode) -> str:
    return "Lock the rows (FOR UPDATE/SHARE)"
