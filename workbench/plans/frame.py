"""A plan's nodes as a pandas DataFrame: one row per node, with time and cost shares."""
from __future__ import annotations

import pandas as pd

from .model import Plan, PlanNode

COLUMNS = ["id", "parent", "node", "relation", "index", "est_rows", "actual_rows", "loops",
           "misestimate", "rows_removed", "cost_total", "cost_self", "cost_share",
           "time_total_ms", "time_self_ms", "time_share", "shared_hit", "shared_read",
           "temp_written", "hot_spots"]


def plan_frame(plan: Plan) -> pd.DataFrame:
    """One row per node (parents first); ``*_self`` are exclusive figures, ``*_share`` of the whole.
    The node column is indented by depth, so the tree reads top-down."""
    rows = node_records(plan)
    for row in rows:
        row["node"] = "  " * row.pop("depth") + row["node"]
    frame = pd.DataFrame(rows, columns=COLUMNS).set_index("id")
    frame["parent"] = frame["parent"].astype("Int64")
    return frame


def node_records(plan: Plan) -> list[dict]:
    """One plain dict per node (parents first), with its depth: the frame's rows, JSON-ready."""
    parents = {child.id: node.id for node in plan.nodes for child in node.children}
    spots: dict[int, list[str]] = {}
    for spot in plan.hot_spots():
        spots.setdefault(spot.node_id, []).append(spot.kind)
    return [node_row(plan, node, parents.get(node.id), spots.get(node.id, [])) for node in plan.nodes]


def node_row(plan: Plan, node: PlanNode, parent: int | None, spots: list[str]) -> dict:
    total_ms = plan.root.inclusive_ms
    self_ms = plan.exclusive_ms(node)
    cost_self = plan.exclusive_cost(node)
    return {
        "id": node.id,
        "parent": parent,
        "depth": node.depth,
        "node": node.node_type,
        "relation": node.table,
        "index": node.index,
        "est_rows": node.plan_rows,
        "actual_rows": round(node.rows_out) if node.rows_out is not None else None,
        "loops": node.loops,
        "misestimate": round(node.misestimate, 2) if node.misestimate is not None else None,
        "rows_removed": node.rows_removed if node.analyzed else None,
        "cost_total": node.total_cost,
        "cost_self": round(cost_self, 2),
        "cost_share": round(cost_self / plan.total_cost, 4) if plan.total_cost else 0.0,
        "time_total_ms": round(node.inclusive_ms, 3) if node.inclusive_ms is not None else None,
        "time_self_ms": round(self_ms, 3) if self_ms is not None else None,
        "time_share": round(self_ms / total_ms, 4) if self_ms is not None and total_ms else None,
        "shared_hit": node.buffers.shared_hit if node.analyzed else None,
        "shared_read": node.buffers.shared_read if node.analyzed else None,
        "temp_written": node.buffers.temp_written if node.analyzed else None,
        "hot_spots": ", ".join(spots),
    }
