"""A plan diagram: one box per node, data flowing up to the root, hot spots coloured.

The DOT text (:func:`plan_dot`) is plain data and testable without graphviz installed;
:func:`plan_graph` wraps it in a ``graphviz.Source`` that notebooks show as SVG.
"""
from __future__ import annotations

from ..erd.escape import html as html_text
from .model import Plan, PlanNode
from .words import count, ms, pct

HOT_COLOURS = {"slowest": "#f8c9c4", "seq_scan_discards": "#fbe0b5", "spill": "#fbe0b5",
               "misestimate": "#fff3b0", "nested_loop": "#fbe0b5", "heap_fetches": "#fff3b0"}
PLAIN = "#eef3f8"


def plan_graph(plan: Plan):
    """The diagram as a ``graphviz.Source`` (renders as SVG in notebooks)."""
    import graphviz

    from .. import graphviz_setup

    graphviz_setup.configure()
    return graphviz.Source(plan_dot(plan))


def plan_dot(plan: Plan) -> str:
    """The diagram as DOT text."""
    kinds: dict[int, list[str]] = {}
    for spot in plan.hot_spots():
        kinds.setdefault(spot.node_id, []).append(spot.kind)
    lines = ["digraph plan {", '  rankdir=BT;',
             '  node [shape=plaintext, fontname="Helvetica", fontsize=10];',
             '  edge [color="#7a8a99", arrowsize=0.7];']
    for node in plan.nodes:
        lines.append(f"  n{node.id} [label=<{node_label(plan, node, kinds.get(node.id, []))}>];")
    for node in plan.nodes:
        for child in node.children:
            width = edge_width(plan, child)
            lines.append(f"  n{child.id} -> n{node.id} [penwidth={width:.1f}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def node_label(plan: Plan, node: PlanNode, kinds: list[str]) -> str:
    """An HTML-like table label: type and object, rows, time or cost, hot-spot kinds."""
    colour = HOT_COLOURS.get(kinds[0], PLAIN) if kinds else PLAIN
    lines = [f"<b>{html_text(node.node_type)}</b>"]
    target = node.table or ""
    if node.index:
        target = f"{target} via {node.index}" if target else node.index
    if target:
        lines.append(html_text(target))
    lines.append(html_text(figures(plan, node)))
    if kinds:
        lines.append(f"<i>{html_text(', '.join(kinds))}</i>")
    cells = "".join(f"<tr><td>{line}</td></tr>" for line in lines)
    return (f'<table border="1" cellborder="0" cellspacing="0" cellpadding="3" '
            f'bgcolor="{colour}" color="#5b6b7a">{cells}</table>')


def figures(plan: Plan, node: PlanNode) -> str:
    if node.analyzed:
        own = plan.exclusive_ms(node) or 0.0
        total = plan.root.inclusive_ms or 0.0
        share = pct(own / total) if total else "?"
        return f"rows {count(node.rows_out)} (est {count(node.plan_rows)}) · self {ms(own)} ({share})"
    own = plan.exclusive_cost(node)
    share = pct(own / plan.total_cost) if plan.total_cost else "?"
    return f"est rows {count(node.plan_rows)} · cost {node.total_cost:,.0f} (self {share})"


def edge_width(plan: Plan, child: PlanNode) -> float:
    """Thicker edges carry more rows (log scale, 1 to 6)."""
    import math

    rows = child.rows_out if child.analyzed and child.rows_out is not None else child.plan_rows
    return 1.0 + min(5.0, math.log10(max(rows, 1.0)) * 0.8)
