"""The ``Plan`` model: an EXPLAIN (FORMAT JSON) tree as frozen nodes with derived facts.

Times are in milliseconds. PostgreSQL reports actual rows and times *per loop*; the derived
``rows_out`` and ``inclusive_ms`` put them back together. Nodes under a Gather run in several
processes at once: their loops are shared by ``parallel_procs`` processes, so their wall time
is the per-process average, not the sum.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping


@dataclass(frozen=True)
class Buffers:
    """Buffer counts of one node (8 kB blocks), inclusive of its children as PostgreSQL reports."""

    shared_hit: int = 0
    shared_read: int = 0
    shared_dirtied: int = 0
    shared_written: int = 0
    local_hit: int = 0
    local_read: int = 0
    temp_read: int = 0
    temp_written: int = 0

    @property
    def read(self) -> int:
        """Blocks that were not in shared buffers (read from the OS or disk)."""
        return self.shared_read + self.local_read + self.temp_read


@dataclass(frozen=True)
class PlanNode:
    """One node of a plan, with what the planner expected and, after ANALYZE, what happened."""

    id: int
    node_type: str
    depth: int = 0
    children: tuple[PlanNode, ...] = ()
    relationship: str | None = None
    subplan_name: str | None = None
    relation: str | None = None
    schema: str | None = None
    alias: str | None = None
    index: str | None = None
    operation: str | None = None
    join_type: str | None = None
    strategy: str | None = None
    scan_direction: str | None = None
    parallel_aware: bool = False
    startup_cost: float = 0.0
    total_cost: float = 0.0
    plan_rows: float = 0.0
    plan_width: int = 0
    actual_startup_ms: float | None = None
    actual_total_ms: float | None = None
    actual_rows: float | None = None
    loops: int | None = None
    filter: str | None = None
    index_cond: str | None = None
    recheck_cond: str | None = None
    join_filter: str | None = None
    hash_cond: str | None = None
    merge_cond: str | None = None
    rows_removed_by_filter: float | None = None
    rows_removed_by_recheck: float | None = None
    rows_removed_by_join_filter: float | None = None
    heap_fetches: float | None = None
    sort_key: tuple[str, ...] = ()
    sort_method: str | None = None
    sort_space_kb: int | None = None
    sort_space_type: str | None = None
    group_key: tuple[str, ...] = ()
    hash_batches: int | None = None
    original_hash_batches: int | None = None
    peak_memory_kb: int | None = None
    disk_usage_kb: int | None = None
    workers_planned: int | None = None
    workers_launched: int | None = None
    buffers: Buffers = field(default_factory=Buffers)
    parallel_procs: int = 1
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def analyzed(self) -> bool:
        """Whether actual figures were measured for this node."""
        return self.loops is not None

    @property
    def executed(self) -> bool:
        """Whether the node ran at all (a node can be skipped: ``never executed``)."""
        return bool(self.loops)

    @property
    def table(self) -> str | None:
        """``schema.relation`` (or just the relation when the schema is unknown)."""
        if not self.relation:
            return None
        return f"{self.schema}.{self.relation}" if self.schema else self.relation

    @property
    def rows_out(self) -> float | None:
        """Rows the node produced over all its loops (None without ANALYZE)."""
        if self.actual_rows is None or self.loops is None:
            return None
        return self.actual_rows * self.loops

    @property
    def rows_removed(self) -> float:
        """Rows read and thrown away by the node's filters, over all loops."""
        per_loop = sum(v or 0 for v in (self.rows_removed_by_filter, self.rows_removed_by_recheck,
                                        self.rows_removed_by_join_filter))
        return per_loop * (self.loops or 1)

    @property
    def inclusive_ms(self) -> float | None:
        """Wall time spent in this node and its children (None without ANALYZE)."""
        if self.actual_total_ms is None or self.loops is None:
            return None
        return self.actual_total_ms * self.loops / max(self.parallel_procs, 1)

    @property
    def misestimate(self) -> float | None:
        """How far the row estimate was off: actual / estimated per loop (>1: more than expected)."""
        if not self.executed or self.actual_rows is None:
            return None
        return max(self.actual_rows, 1.0) / max(self.plan_rows, 1.0)

    @property
    def spilled(self) -> bool:
        """Whether a sort, hash or aggregate ran out of memory and wrote to disk."""
        external = (self.sort_method or "").startswith("external")
        return (external or self.sort_space_type == "Disk" or (self.hash_batches or 1) > 1
                or (self.disk_usage_kb or 0) > 0)

    @property
    def label(self) -> str:
        """A short title: the node type and the object it works on."""
        text = self.node_type
        if self.operation and self.node_type == "ModifyTable":
            text = self.operation
        joins = "Join" in self.node_type or self.node_type == "Nested Loop"
        if joins and self.join_type and self.join_type != "Inner":
            text = f"{text} ({self.join_type})"
        if self.index and self.relation:
            return f"{text} using {self.index} on {self.table}"
        if self.index:
            return f"{text} on {self.index}"
        if self.relation:
            return f"{text} on {self.table}"
        return text

    def walk(self) -> Iterator[PlanNode]:
        """This node and all below it, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Plan:
    """A parsed EXPLAIN: the node tree, timings, and how the plan was made.

    ``generic`` is true when the statement had ``$n`` parameters and was planned without
    values (a generic plan). ``params`` holds the values used, if any.
    """

    root: PlanNode
    sql: str = ""
    analyzed: bool = False
    generic: bool = False
    params: tuple | None = None
    planning_ms: float | None = None
    execution_ms: float | None = None
    settings: Mapping[str, str] = field(default_factory=dict)
    triggers: tuple[Mapping[str, Any], ...] = ()
    server_version: int | None = None
    raw: Any = field(default=None, compare=False, repr=False)

    @property
    def nodes(self) -> tuple[PlanNode, ...]:
        """Every node, parents before children (node ids are these positions)."""
        return tuple(self.root.walk())

    def node(self, node_id: int) -> PlanNode:
        """The node with id ``node_id``."""
        return self.nodes[node_id]

    @property
    def total_cost(self) -> float:
        """The planner's estimated total cost of the whole statement."""
        return self.root.total_cost

    @property
    def total_ms(self) -> float | None:
        """Execution time (ANALYZE only): the server's figure, else the root node's time."""
        return self.execution_ms if self.execution_ms is not None else self.root.inclusive_ms

    def relations(self) -> tuple[str, ...]:
        """The tables the plan reads, in plan order, each once."""
        seen: dict[str, None] = {}
        for node in self.nodes:
            if node.table:
                seen.setdefault(node.table, None)
        return tuple(seen)

    def indexes_used(self) -> tuple[str, ...]:
        """The indexes the plan uses, in plan order, each once."""
        seen: dict[str, None] = {}
        for node in self.nodes:
            if node.index:
                seen.setdefault(node.index, None)
        return tuple(seen)

    def node_types(self) -> tuple[str, ...]:
        """The node types, parents before children: a stable shape of the plan."""
        return tuple(node.node_type for node in self.nodes)

    def exclusive_ms(self, node: PlanNode) -> float | None:
        """Time spent in ``node`` itself, its children's time taken off."""
        if node.inclusive_ms is None:
            return None
        below = sum(child.inclusive_ms or 0.0 for child in node.children)
        return max(node.inclusive_ms - below, 0.0)

    def exclusive_cost(self, node: PlanNode) -> float:
        """Estimated cost of ``node`` itself, its children's cost taken off."""
        below = sum(child.total_cost for child in node.children)
        return max(node.total_cost - below, 0.0)

    def hot_spots(self):
        """What makes this plan slow, most important first (see :mod:`workbench.plans.hotspots`)."""
        from .hotspots import find_hot_spots

        return find_hot_spots(self)

    def narrative(self):
        """The plan in plain words: steps in execution order, then the hot spots."""
        from .narrative import narrate

        return narrate(self)

    def frame(self):
        """The nodes as a pandas DataFrame with exclusive/inclusive time and cost shares."""
        from .frame import plan_frame

        return plan_frame(self)

    def graph(self):
        """A plan diagram (``graphviz.Digraph``), hot spots coloured."""
        from .diagram import plan_graph

        return plan_graph(self)

    def to_dict(self) -> dict:
        """The plan as JSON-ready data: the summary, hot spots, narrative and node table."""
        from .display import plan_dict

        return plan_dict(self)

    def _repr_html_(self) -> str:
        from .display import plan_html

        return plan_html(self)

    def __str__(self) -> str:
        return str(self.narrative())

    def __repr__(self) -> str:
        kind = "analyzed" if self.analyzed else ("generic" if self.generic else "estimated")
        return f"<Plan {kind}: {self.root.label}, cost {self.total_cost:.0f}, {len(self.nodes)} nodes>"
