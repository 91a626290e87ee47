"""A :class:`~workbench.erd.select.Selection` as graphviz DOT text.

The text is deterministic (tables, columns and edges in a fixed order), so it can be
compared in golden tests. Tables are HTML-like labels; foreign keys run from the key
column of the child to the referenced column of the parent, with crow's foot ends.
"""
from __future__ import annotations

from itertools import groupby

from ..catalog import Table
from . import style
from .columns import markers
from .escape import html, node_id, port, quoted
from .highlights import Marks
from .html_label import boxed, table_label
from .legend import legend_label
from .relations import Relationship
from .select import Selection
from .text_width import cell_width

LEGEND_ID = '"erd legend"'


def build_dot(selection: Selection, marks: Marks) -> str:
    """The DOT source of the diagram."""
    lines = ["digraph erd {", *defaults(selection)]
    lines += nodes(selection, marks)
    lines += [edge(selection, rel) for rel in selection.relationships]
    if selection.options.legend:
        label = legend_label(focus=bool(selection.focus), implied=selection.options.implied,
                             audit=bool(selection.audit))
        lines.append(f"  {LEGEND_ID} [label={label}, tooltip=\"legend\"];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def defaults(selection: Selection) -> list[str]:
    """Graph, node and edge defaults, and the graph label (title and notes)."""
    font = f'fontname="{style.FONT}"'
    return [
        f"  graph [rankdir=LR, {font}, fontsize={style.FONT_SIZE}, nodesep=0.3, ranksep=0.7, "
        f"labelloc=b, labeljust=l, tooltip={quoted(selection.title)}, "
        f"label={graph_label(selection)}];",
        f"  node [shape=plain, {font}, fontsize={style.FONT_SIZE}];",
        f'  edge [{font}, fontsize={style.SMALL}, dir=both, color="{style.EDGE}", arrowsize=0.8];',
    ]


def graph_label(selection: Selection) -> str:
    """Title in bold, then one line per note, left-aligned; each line wide enough for its text
    in any font a browser may pick (see :mod:`~workbench.erd.text_width`)."""
    lines = [label_line(selection.title, bold=True)]
    lines += [label_line(note) for note in selection.notes]
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
            f'{"".join(lines)}</TABLE>>')


def label_line(text: str, *, bold: bool = False) -> str:
    shown = f"<B>{html(text)}</B>" if bold else html(text)
    size = cell_width(text, style.FONT_SIZE, bold=bold, padding=0)
    return f'<TR><TD ALIGN="LEFT" WIDTH="{size}">{shown}</TD></TR>'


def nodes(selection: Selection, marks: Marks) -> list[str]:
    """One node per table; grouped in one cluster per schema when several are shown."""
    if not selection.qualify:
        return [node(selection, table, marks) for table in selection.tables]
    lines = []
    groups = groupby(selection.tables, key=lambda t: t.schema)
    for number, (schema, tables) in enumerate(groups):
        lines.append(f"  subgraph cluster_{number} {{")
        name = boxed(f"<B>{html(schema)}</B>", schema, style.FONT_SIZE, bold=True)
        lines.append(f'    label=<{name}>; color="{style.CLUSTER}"; '
                     f"tooltip={quoted('schema ' + schema)};")
        lines += ["  " + node(selection, table, marks) for table in tables]
        lines.append("  }")
    return lines


def node(selection: Selection, table: Table, marks: Marks) -> str:
    shown = selection.shown(table)
    hidden = len(table.columns) - len(shown) if selection.columns != "none" else 0
    audit = {c.name: target for c in shown
             if (target := selection.audit_target(table.key, c.name))}
    label = table_label(table, selection.label(table.key), shown, markers(table), marks,
                        focus=table.key in selection.focus, sizes=selection.options.sizes,
                        hidden=hidden, audit=audit)
    return f"  {node_id(table.key)} [label={label}, tooltip={quoted(node_tooltip(table, marks))}];"


def node_tooltip(table: Table, marks: Marks) -> str:
    """The table's name, comment and findings, one per line."""
    lines = [f"{table.schema}.{table.name}"]
    if table.comment:
        lines.append(table.comment)
    lines += [f"{style.LEVEL_WORDS[f.level]} {f.rule}: {f.message}"
              for f in marks.of_table(table.key)]
    return "\n".join(lines)


def edge(selection: Selection, rel: Relationship) -> str:
    """One relationship: child key column → parent key column."""
    tail = end(selection, rel.child, rel.columns[0], "r", "e")
    head = end(selection, rel.parent, rel.ref_columns[0], "l", "w")
    attributes = [f"arrowtail={style.AT_MOST_ONE if rel.one_to_one else style.MANY}",
                  f"arrowhead={style.AT_MOST_ONE if rel.optional else style.EXACTLY_ONE}",
                  f"tooltip={quoted(edge_tooltip(rel))}"]
    attributes += edge_style(rel)
    if selection.options.on_delete and rel.on_delete != "NO ACTION" and not rel.implied:
        attributes.append(f"label={quoted('ON DELETE ' + rel.on_delete)}")
    return f"  {tail} -> {head} [{', '.join(attributes)}];"


def end(selection: Selection, key, column: str, side: str, compass: str) -> str:
    """A node id, with the port of ``column`` when that column is drawn."""
    table = selection.table(key)
    if all(c.name != column for c in selection.shown(table)):
        return node_id(key)
    index = next(i for i, c in enumerate(table.columns) if c.name == column)
    return f'{node_id(key)}:{port(index, side)}:{compass}'


def edge_tooltip(rel: Relationship) -> str:
    kind = "implied (no foreign key)" if rel.implied else f"{rel.name}, ON DELETE {rel.on_delete}"
    return f"{rel.describe()}\n{kind}"


def edge_style(rel: Relationship) -> list[str]:
    if rel.implied:
        return ["style=dashed", f'color="{style.IMPLIED_EDGE}"']
    if not rel.indexed:
        return [f'color="{style.LEVEL_BORDER["warn"]}"', "penwidth=2"]
    return []
