"""The small legend drawn beside a diagram: markers, colours and line ends, in words."""
from __future__ import annotations

from . import style
from .columns import legend_markers
from .escape import html


def legend_label(*, focus: bool, implied: bool) -> str:
    """The ``<…>`` label of the legend node."""
    rows = [f'<TR><TD COLSPAN="2" BGCOLOR="{style.HEADER}"><B>Legend</B></TD></TR>']
    rows += [row(mark, meaning) for mark, meaning in legend_markers()]
    rows.append(row("<I>null</I>", "column accepts NULL (others are NOT NULL)", raw=True))
    rows.append(row("RLS on / forced / off", "Row Level Security, with the policy count"))
    rows += [level_row(level) for level in style.LEVEL_BORDER]
    if focus:
        rows.append(row("", "the focus table", fill=style.FOCUS_HEADER))
    rows.append(row("line ends", "crow's foot: many; bar: one; circle: optional (zero allowed)"))
    if implied:
        rows.append(row("dashed line", "implied relationship: no foreign key declares it"))
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" '
            f'COLOR="{style.BORDER}" BGCOLOR="white">{"".join(rows)}</TABLE>>')


def row(mark: str, meaning: str, *, raw: bool = False, fill: str | None = None) -> str:
    shown = mark if raw else html(mark)
    bg = f' BGCOLOR="{fill}"' if fill else ""
    return (f'<TR><TD ALIGN="LEFT"{bg}>{small(shown)}</TD>'
            f'<TD ALIGN="LEFT">{small(html(meaning))}</TD></TR>')


def small(content: str) -> str:
    """``content`` in the small font (graphviz refuses an empty FONT element)."""
    return f'<FONT POINT-SIZE="{style.SMALL}">{content}</FONT>' if content else ""


def level_row(level: str) -> str:
    meaning = f"{style.LEVEL_WORDS[level]}: border and cell colour (hover for the rule)"
    return row(style.LEVEL_WORDS[level], meaning, fill=style.LEVEL_FILL[level])
