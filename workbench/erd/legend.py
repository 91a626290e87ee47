"""The small legend drawn beside a diagram: markers, colours and line ends, in words."""
from __future__ import annotations

from . import style
from .columns import legend_markers
from .escape import html
from .html_label import ARROW
from .text_width import cell_width

PADDING = 2


def legend_label(*, focus: bool, implied: bool, audit: bool = False) -> str:
    """The ``<…>`` label of the legend node."""
    rows = [f'<TR><TD COLSPAN="2" BGCOLOR="{style.HEADER}"><B>Legend</B></TD></TR>']
    rows += [row(mark, meaning) for mark, meaning in legend_markers()]
    rows.append(row("null", "column accepts NULL (others are NOT NULL)", italic=True))
    rows.append(row("RLS on / forced / off", "Row Level Security, with the policy count"))
    rows += [level_row(level) for level in style.LEVEL_BORDER]
    if focus:
        rows.append(row("", "the focus table", fill=style.FOCUS_HEADER))
    rows.append(row("line ends", "crow's foot: many; bar: one; circle: optional (zero allowed)"))
    if implied:
        rows.append(row("dashed line", "implied relationship: no foreign key declares it"))
    if audit:
        rows.append(row(f"{ARROW} table", "audit column's foreign key, not drawn as a line"))
    return (f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{PADDING}" '
            f'COLOR="{style.BORDER}" BGCOLOR="white">{"".join(rows)}</TABLE>>')


def row(mark: str, meaning: str, *, italic: bool = False, fill: str | None = None) -> str:
    """One line of the legend: a mark (sized to fit, see html_label) and what it means."""
    shown = f"<I>{html(mark)}</I>" if italic and mark else html(mark)
    bg = f' BGCOLOR="{fill}"' if fill else ""
    return (f'<TR><TD ALIGN="LEFT"{bg}{width(mark)}>{small(shown)}</TD>'
            f'<TD ALIGN="LEFT"{width(meaning)}>{small(html(meaning))}</TD></TR>')


def width(text: str) -> str:
    """The WIDTH attribute of a legend cell holding ``text`` in the small font."""
    return f' WIDTH="{cell_width(text, style.SMALL, padding=PADDING)}"' if text else ""


def small(content: str) -> str:
    """``content`` in the small font (graphviz refuses an empty FONT element)."""
    return f'<FONT POINT-SIZE="{style.SMALL}">{content}</FONT>' if content else ""


def level_row(level: str) -> str:
    meaning = f"{style.LEVEL_WORDS[level]}: border and cell colour (hover for the rule)"
    return row(style.LEVEL_WORDS[level], meaning, fill=style.LEVEL_FILL[level])
