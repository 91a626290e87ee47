"""The HTML-like label of one table: name, badge (kind, RLS, size), then one row per column.

Every text goes through :func:`~workbench.erd.escape.html`; colours come from
:mod:`~workbench.erd.style`. Column rows carry a port on their first and last cell, where
relationship edges start and end. Every cell holding text has a WIDTH that fits the text in
the widest font a browser may draw it in (:mod:`~workbench.erd.text_width`), so a renderer
that measures Helvetica (graphviz-pure) leaves room enough for names and types to stay apart.
"""
from __future__ import annotations

import math

from ..catalog import Column, Table
from ..catalog.sizes import human_size
from . import style
from .escape import html, port
from .highlights import Marks
from .text_width import cell_width, fixed_width

LINE_SPACING = 1.2  # graphviz's line height, in font sizes
PADDING = 3  # CELLPADDING of the table cells
ARROW = "→"  # the mark of an audit column's foreign key: created_by uuid → auth.users
KIND_WORDS = {"view": "view", "matview": "materialized view", "partitioned": "partitioned table",
              "foreign": "foreign table"}


def table_label(table: Table, name: str, columns: tuple[Column, ...], markers: dict,
                marks: Marks, *, focus: bool = False, sizes: bool = False, hidden: int = 0,
                audit: dict[str, str] | None = None) -> str:
    """The ``<…>`` label of ``table``, drawn as ``name`` with the given ``columns``; ``audit``
    maps audit columns to the table their foreign key references, marked after their type."""
    level = marks.level(table.key)
    border = style.LEVEL_BORDER.get(level, style.BORDER)
    rows = [header(table, name, focus), badge_row(table, sizes)]
    position = {c.name: i for i, c in enumerate(table.columns)}
    audit = audit or {}
    rows += [column_row(table, position[c.name], c, markers.get(c.name, ()), marks,
                        audit.get(c.name)) for c in columns]
    if hidden:
        more = f"+{hidden} more columns"
        rows.append(f'<TR><TD COLSPAN="4" ALIGN="LEFT"{width(more, style.SMALL)}>'
                    f'{small(more)}</TD></TR>')
    thickness = "3" if level else "1"
    return (f'<<TABLE BORDER="{thickness}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{PADDING}" '
            f'COLOR="{border}" BGCOLOR="white">{"".join(rows)}</TABLE>>')


def header(table: Table, name: str, focus: bool) -> str:
    fill = style.FOCUS_HEADER if focus else style.VIEW_HEADER if table.view else style.HEADER
    title = boxed(f"<B>{html(name)}</B>", name, style.FONT_SIZE, bold=True)
    return f'<TR><TD COLSPAN="4" BGCOLOR="{fill}">{title}</TD></TR>'


def badge_row(table: Table, sizes: bool) -> str:
    text = badge(table, sizes)
    if not text:
        return ""
    return f'<TR><TD COLSPAN="4" ALIGN="LEFT"{width(text, style.SMALL)}>{small(html(text))}</TD></TR>'


def badge(table: Table, sizes: bool) -> str:
    """``RLS forced, 4 policies``; the kind for views and others; rows and size on request."""
    parts = [KIND_WORDS[table.kind]] if table.kind in KIND_WORDS else []
    if table.kind in ("table", "partitioned"):
        parts.append(rls_text(table))
    if sizes:
        parts.append(size_text(table))
    return ", ".join(parts)


def rls_text(table: Table) -> str:
    """``RLS off``, ``RLS on, 0 policies`` or ``RLS forced, 1 policy``."""
    if not table.rls_enabled:
        return "RLS off"
    count = len(table.policies)
    state = "forced" if table.rls_forced else "on"
    return f"RLS {state}, {count} {'policy' if count == 1 else 'policies'}"


def size_text(table: Table) -> str:
    """``~12k rows, 3 MB`` (estimates from the statistics)."""
    rows = table.rows_estimate
    count = "rows unknown" if rows is None or rows < 0 else f"~{short_number(rows)} rows"
    size = human_size(table.size_bytes)
    return f"{count}, {size}" if size else count


def short_number(value: int) -> str:
    """``1234567`` → ``1.2M``; ``12345`` → ``12k``."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 10_000:
        return f"{value // 1000}k"
    return str(value)


def column_row(table: Table, index: int, column: Column, keys: tuple[str, ...],
               marks: Marks, target: str | None = None) -> str:
    """One column (the ``index``-th): markers, name, type (with ``→ target`` for an audit
    column whose foreign key is not drawn) and ``null`` when it accepts NULL."""
    level = marks.column_level(table.key, column.name)
    fill = f' BGCOLOR="{style.LEVEL_FILL[level]}"' if level else ""
    tip = column_tooltip(marks, table, column)
    marked = " ".join(keys)
    null = "null" if column.nullable else ""
    return (f'<TR><TD ALIGN="LEFT"{width(marked, style.SMALL)} PORT="{port(index, "l")}"{fill}>'
            f'{small(html(marked))}</TD>'
            f'<TD ALIGN="LEFT"{width(column.name, style.FONT_SIZE)}{fill}{tip}>{html(column.name)}</TD>'
            f'{type_cell(column, target, fill)}'
            f'<TD ALIGN="RIGHT"{width(null, style.SMALL)} PORT="{port(index, "r")}"{fill}>'
            f'{small("<I>null</I>") if null else ""}</TD></TR>')


def type_cell(column: Column, target: str | None, fill: str) -> str:
    """The column's type, muted; for an audit key, ``uuid → auth.users``. One font for the
    whole cell: a renderer places each font change by Helvetica's widths, so a second font
    in the cell would start inside a wider font's first part."""
    if not target:
        text, tip = column.type, ""
    else:
        text = f"{column.type} {ARROW} {target}"
        words = f"{column.name} references {target} (audit column: audit_edges=True draws the line)"
        tip = f' TOOLTIP="{html(words)}"'
    return (f'<TD ALIGN="LEFT"{width(text, style.FONT_SIZE)}{fill}{tip}>'
            f'<FONT COLOR="{style.MUTED}">{html(text)}</FONT></TD>')


def column_tooltip(marks: Marks, table: Table, column: Column) -> str:
    found = marks.columns.get((table.key, column.name), ())
    if not found:
        return ""
    text = "; ".join(f"{f.rule}: {f.message}" for f in found)
    return f' TOOLTIP="{html(text)}"'


def width(text: str, size: float, *, bold: bool = False) -> str:
    """The WIDTH attribute of a cell holding ``text`` (not yet escaped), or nothing if empty."""
    return f' WIDTH="{cell_width(text, size, bold=bold)}"' if text else ""


def boxed(content: str, text: str, size: float, *, bold: bool = False) -> str:
    """``content`` (``text`` escaped and formatted) left-aligned in a box of fixed size, as wide
    as ``text`` in the widest font, for a cell or a cluster to place. A renderer that centres
    text by Helvetica's widths would otherwise start a wider font's text too far right."""
    box = (f'WIDTH="{fixed_width(text, size, bold=bold)}" '
           f'HEIGHT="{math.ceil(size * LINE_SPACING)}"')
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" FIXEDSIZE="TRUE" '
            f'{box}><TR><TD ALIGN="LEFT">{content}</TD></TR></TABLE>')


def small(content: str) -> str:
    """``content`` (already escaped) in the small, muted font."""
    if not content:
        return ""
    return f'<FONT POINT-SIZE="{style.SMALL}" COLOR="{style.MUTED}">{content}</FONT>'
