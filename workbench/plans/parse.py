"""EXPLAIN (FORMAT JSON) output → :class:`Plan`. No server needed: stored plans parse too."""
from __future__ import annotations

import json
from typing import Any, Mapping

from ..errors import WorkbenchError
from .model import Buffers, Plan, PlanNode

GATHER_TYPES = ("Gather", "Gather Merge")

BUFFER_KEYS = {
    "shared_hit": "Shared Hit Blocks", "shared_read": "Shared Read Blocks",
    "shared_dirtied": "Shared Dirtied Blocks", "shared_written": "Shared Written Blocks",
    "local_hit": "Local Hit Blocks", "local_read": "Local Read Blocks",
    "temp_read": "Temp Read Blocks", "temp_written": "Temp Written Blocks",
}

TEXT_KEYS = {
    "relationship": "Parent Relationship", "subplan_name": "Subplan Name",
    "relation": "Relation Name", "schema": "Schema", "alias": "Alias", "index": "Index Name",
    "operation": "Operation", "join_type": "Join Type", "strategy": "Strategy",
    "scan_direction": "Scan Direction", "filter": "Filter", "index_cond": "Index Cond",
    "recheck_cond": "Recheck Cond", "join_filter": "Join Filter", "hash_cond": "Hash Cond",
    "merge_cond": "Merge Cond", "sort_method": "Sort Method", "sort_space_type": "Sort Space Type",
}

FLOAT_KEYS = {
    "startup_cost": "Startup Cost", "total_cost": "Total Cost", "plan_rows": "Plan Rows",
    "actual_startup_ms": "Actual Startup Time", "actual_total_ms": "Actual Total Time",
    "actual_rows": "Actual Rows", "rows_removed_by_filter": "Rows Removed by Filter",
    "rows_removed_by_recheck": "Rows Removed by Index Recheck",
    "rows_removed_by_join_filter": "Rows Removed by Join Filter", "heap_fetches": "Heap Fetches",
}

INT_KEYS = {
    "plan_width": "Plan Width", "loops": "Actual Loops", "sort_space_kb": "Sort Space Used",
    "hash_batches": "Hash Batches", "original_hash_batches": "Original Hash Batches",
    "peak_memory_kb": "Peak Memory Usage", "disk_usage_kb": "Disk Usage",
    "workers_planned": "Workers Planned", "workers_launched": "Workers Launched",
}


def plan_from_json(document: Any, *, sql: str = "", params=None, generic: bool = False,
                   server_version: int | None = None) -> Plan:
    """Parse EXPLAIN (FORMAT JSON) output: the JSON text, the list PostgreSQL returns, or its item."""
    top = top_object(document)
    counter = iter(range(1_000_000))
    root = parse_node(top["Plan"], counter, depth=0, procs=1)
    return Plan(
        root=root, sql=sql, analyzed=root.analyzed, generic=generic,
        params=tuple(params) if params is not None else None,
        planning_ms=number(top.get("Planning Time")), execution_ms=number(top.get("Execution Time")),
        settings=dict(top.get("Settings") or {}), triggers=tuple(top.get("Triggers") or ()),
        server_version=server_version, raw=document,
    )


def top_object(document: Any) -> Mapping[str, Any]:
    """The object holding ``Plan`` (and the timings), whatever shape the output came in."""
    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document)
        except ValueError as exc:
            raise WorkbenchError(f"not EXPLAIN JSON: {exc}", hint="use EXPLAIN (FORMAT JSON)") from None
    if isinstance(document, list) and len(document) == 1:
        document = document[0]
    if not isinstance(document, Mapping) or "Plan" not in document:
        raise WorkbenchError("not EXPLAIN JSON: no \"Plan\" object found",
                             hint="pass the output of EXPLAIN (FORMAT JSON) …")
    return document


def parse_node(data: Mapping[str, Any], counter, depth: int, procs: int) -> PlanNode:
    """One node and, recursively, its children; ids are given parents first."""
    node_id = next(counter)
    launched = data.get("Workers Launched", data.get("Workers Planned"))
    child_procs = procs
    if data.get("Node Type") in GATHER_TYPES and launched is not None:
        leader = 0 if data.get("Single Copy") else 1
        child_procs = max(int(launched) + leader, 1)
    children = tuple(parse_node(child, counter, depth + 1, child_procs)
                     for child in data.get("Plans") or ())
    values: dict[str, Any] = {name: data.get(key) for name, key in TEXT_KEYS.items()}
    values.update({name: number(data.get(key)) for name, key in FLOAT_KEYS.items()})
    values.update({name: integer(data.get(key)) for name, key in INT_KEYS.items()})
    for name in ("startup_cost", "total_cost", "plan_rows"):
        values[name] = values[name] or 0.0
    values["plan_width"] = values["plan_width"] or 0
    return PlanNode(
        id=node_id, node_type=str(data.get("Node Type", "?")), depth=depth, children=children,
        parallel_aware=bool(data.get("Parallel Aware")),
        sort_key=tuple(data.get("Sort Key") or ()), group_key=tuple(data.get("Group Key") or ()),
        buffers=Buffers(**{name: integer(data.get(key)) or 0 for name, key in BUFFER_KEYS.items()}),
        parallel_procs=procs, raw=data, **values,
    )


def number(value) -> float | None:
    return None if value is None else float(value)


def integer(value) -> int | None:
    return None if value is None else int(value)
