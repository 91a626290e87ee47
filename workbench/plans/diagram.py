"""A plan diagram: one box per node, data flowing up to the root, hot spots coloured.

The DOT text (:func:`plan_dot`) is plain data and testable without graphviz installed;
:func:`plan_graph` wraps it in a ``graphviz.Source`` that notebooks show as SVG. Labels are
ASCII, one short line per fact, each cell wide enough for its text in the widest font a
browser may draw Helvetica in (see :mod:`workbench.erd.text_width`).
"""
from __future__ import annotations

import graphviz

from ..erd.escape import html as html_text
from ..erd.html_label import boxed
from .model import Plan, PlanNode
from .words import count, ms, pct

HOT_COLOURS = {"slowest": "#f8c9c4", "seq_scan_discards": "#fbe0b5", "spill": "#fbe0b5",
               "misestimate": "#fff3b0", "nested_loop": "#fbe0b5", "heap_fetches": "#fff3b0"}
PLAIN = "#eef3f8"


FONT_SIZE = 10
PADDING = 3


class PlanGraph(graphviz.Source):
    """A ``graphviz.Source`` that notebooks show without graphviz's notes on stderr (such as
    graphviz-pure's "no value for width of non-ASCII character" for a table named in Greek)."""

    def _repr_image_svg_xml(self) -> str:
        return self.pipe(format="svg", encoding="utf-8", quiet=True)

    def _repr_image_png(self) -> bytes:
        return self.pipe(format="png", quiet=True)

    def _repr_image_jpeg(self) -> bytes:
        return self.pipe(format="jpeg", quiet=True)


def plan_graph(plan: Plan) -> PlanGraph:
    """The diagram as a ``graphviz.Source`` (renders as SVG in notebooks)."""
    from .. import graphviz_setup

    graphviz_setup.ensure_configured()
    return PlanGraph(plan_dot(plan))


def plan_dot(plan: Plan) -> str:
    """The diagram as DOT text."""
    kinds: dict[int, list[str]] = {}
    for spot in plan.hot_spots():
        kinds.setdefault(spot.node_id, []).append(spot.kind)
    lines = ["digraph plan {", '  rankdir=BT;',
             f'  node [shape=plaintext, fontname="Helvetica", fontsize={FONT_SIZE}];',
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
    lines = [line(node.node_type, "b")]
    target = node.table or ""
    if node.index:
        target = f"{target} via {node.index}" if target else node.index
    if target:
        lines.append(line(target))
    lines += [line(text) for text in figures(plan, node)]
    if kinds:
        lines.append(line(", ".join(kinds), "i"))
    return (f'<table border="1" cellborder="0" cellspacing="0" cellpadding="{PADDING}" '
            f'bgcolor="{colour}" color="#5b6b7a">{"".join(lines)}</table>')


def line(text: str, tag: str = "") -> str:
    """One row of a node's label: ``text`` (in bold ``b`` or italic ``i``), centred in a box
    wide enough for it in any font (see :func:`workbench.erd.html_label.boxed`)."""
    shown = f"<{tag}>{html_text(text)}</{tag}>" if tag else html_text(text)
    return f"<tr><td>{boxed(shown, text, FONT_SIZE, bold=tag == 'b')}</td></tr>"


def figures(plan: Plan, node: PlanNode) -> tuple[str, str]:
    """Two short lines: the rows (actual and estimated), then the node's own time or cost."""
    if node.analyzed:
        own = plan.exclusive_ms(node) or 0.0
        total = plan.root.inclusive_ms or 0.0
        share = pct(own / total) if total else "?"
        return (f"rows {count(node.rows_out)} (est {count(node.plan_rows)})",
                f"self {ms(own)} ({share})")
    own = plan.exclusive_cost(node)
    share = pct(own / plan.total_cost) if plan.total_cost else "?"
    return f"est rows {count(node.plan_rows)}", f"cost {node.total_cost:,.0f} (self {share})"


def edge_width(plan: Plan, child: PlanNode) -> float:
    """Thicker edges carry more rows (log scale, 1 to 6)."""
    import math

    rows = child.rows_out if child.analyzed and child.rows_out is not None else child.plan_rows
    return 1.0 + min(5.0, math.log10(max(rows, 1.0)) * 0.8)
