"""A plan shown to people: rich HTML for notebooks, JSON-ready data for scripts, text for terminals."""
from __future__ import annotations

from html import escape

from .model import Plan
from .words import ms

FRAME_COLUMNS = ["node", "relation", "index", "est_rows", "actual_rows", "loops", "cost_share",
                 "time_self_ms", "time_share", "hot_spots"]


def plan_dict(plan: Plan) -> dict:
    """Summary, narrative steps, hot spots and the node table as plain data."""
    from .frame import node_records

    story = plan.narrative()
    return {
        "sql": plan.sql,
        "analyzed": plan.analyzed,
        "generic_plan": plan.generic,
        "params": list(plan.params) if plan.params is not None else None,
        "total_cost": plan.total_cost,
        "planning_ms": plan.planning_ms,
        "execution_ms": plan.execution_ms,
        "summary": story.summary,
        "steps": [step.text for step in story.steps],
        "hot_spots": [{"kind": s.kind, "node": s.node_id, "title": s.title, "detail": s.detail}
                      for s in story.hot_spots],
        "nodes": node_records(plan),
    }


def plan_html(plan: Plan) -> str:
    """The narrative, the hot spots and the node table as one HTML block."""
    story = plan.narrative()
    steps = "".join(f"<li>{escape(step.text)}</li>" for step in story.steps)
    spots = "".join(f"<li><b>{escape(s.title)}</b>: {escape(s.detail)}</li>" for s in story.hot_spots)
    table = plan.frame()[[c for c in FRAME_COLUMNS if c in plan.frame().columns]]
    table = table.assign(node=table["node"].str.replace("  ", "\u00a0\u00a0"))
    return (f"<div><p><b>{escape(story.summary)}</b></p><ol>{steps}</ol>"
            + (f"<p><b>Hot spots</b></p><ul>{spots}</ul>" if spots else "<p>No hot spots found.</p>")
            + table.to_html(na_rep="", float_format=lambda v: f"{v:,.4g}") + "</div>")


def plan_text(plan: Plan) -> str:
    """The narrative followed by a compact node table, for terminals."""
    lines = [str(plan.narrative()), "", "Nodes:"]
    for node in plan.nodes:
        figures = f"est {node.plan_rows:,.0f} rows, cost {node.total_cost:,.0f}"
        if node.analyzed:
            figures += f", actual {node.rows_out or 0:,.0f} rows, self {ms(plan.exclusive_ms(node))}"
        lines.append(f"{'  ' * node.depth}[{node.id}] {node.label} ({figures})")
    return "\n".join(lines)
