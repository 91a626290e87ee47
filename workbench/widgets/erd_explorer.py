"""An ER diagram explorer for notebooks: pick a table, depth, direction and columns; it redraws.

A thin face over :func:`workbench.erd.erd`: :func:`explorer_html` is the plain function the
widget calls on every change, so the same drawing can be tested and used without widgets. The
last diagram is kept as ``explorer.diagram`` (a :class:`workbench.erd.Diagram`).
"""
from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ..erd import central_tables, erd
from ..erd.diagram import fitted_html
from ..erd.options import COLUMN_MODES, DIRECTIONS, TABLE_KINDS
from ..errors import WorkbenchError
from .look import Status, title

MAX_DEPTH = 4
CONTROLLED = ("depth", "direction", "columns", "hide_audit")


def explorer(schema, focus: str | None = None, **options) -> ErdExplorer:
    """A widget box exploring ``schema`` around ``focus`` (default: the most referenced table).

    ``depth``, ``direction``, ``columns`` and ``hide_audit`` set the controls' first values;
    other keyword arguments (``schemas``, ``implied``, ``findings`` …) go to every ``erd()`` call.
    """
    return ErdExplorer(schema, focus, **options)


def explorer_html(schema, focus: str, *, depth: int = 1, direction: str = "both",
                  columns: str = "auto", hide_audit: bool = True, **options) -> str:
    """The explorer's drawing as HTML: the diagram's SVG and its notes (or the error, if any)."""
    try:
        diagram = erd(schema, focus, depth=depth, direction=direction, columns=columns,
                      hide_audit=hide_audit, **options)
        return diagram_html(diagram)
    except WorkbenchError as exc:
        return f"<pre>{escape(exc.message)}</pre>"


def diagram_html(diagram) -> str:
    """Inline SVG scaled down to the width of the notebook, as a diagram shows itself in a
    notebook (the diagram's caption carries its title and notes)."""
    return fitted_html(diagram.svg())


def table_names(schema) -> list[str]:
    """Every table a diagram can centre on, as ``schema.name``."""
    return sorted(f"{t.schema}.{t.name}" for t in schema.objects.tables if t.kind in TABLE_KINDS)


def default_focus(schema) -> str:
    """The most referenced table (audit keys ignored), where a newcomer would start."""
    top = central_tables(schema, 1, hide_audit=True)
    if top.empty:
        raise WorkbenchError("the snapshot has no tables to explore",
                             hint="inspect a database (or schemas) that holds tables")
    return f"{top.iloc[0]['schema']}.{top.iloc[0]['table']}"


def qualified_name(schema, focus: str | None) -> str:
    """``schema.name`` of the table ``focus`` names; by default the most central table."""
    if focus is None:
        return default_focus(schema)
    table = schema.table(focus)
    return f"{table.schema}.{table.name}"


class ErdExplorer(widgets.VBox):
    """Controls (table, depth, direction, columns, hide audit) above the diagram they draw."""

    def __init__(self, schema, focus: str | None = None, **options):
        self.schema = schema
        initial = {name: options.pop(name) for name in CONTROLLED if name in options}
        self.options = options
        self.diagram = None
        self.controls = make_controls(table_names(schema), qualified_name(schema, focus), **initial)
        self.view, self.status = widgets.HTML(), Status()
        for control in self.controls.values():
            control.observe(self.on_change, names="value")
        super().__init__([title("ER diagram explorer", "pick a table and how far to look around it"),
                          widgets.HBox(list(self.controls.values()),
                                       layout=widgets.Layout(flex_flow="row wrap")),
                          self.status, self.view])
        self.redraw()

    def state(self) -> dict:
        """The controls' current values, as ``explorer_html`` keyword arguments."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self) -> str:
        """Draw the diagram for the current state into the view; returns its HTML."""
        state = self.state()
        focus = state.pop("focus")
        with self.status.working(f"drawing {focus}") as job:
            self.diagram = erd(self.schema, focus, **state, **self.options)
            self.view.value = diagram_html(self.diagram)
        if job.failed:
            self.diagram, self.view.value = None, ""
        else:
            self.status.show(describe(self.diagram))
        return self.view.value

    def on_change(self, change=None) -> None:
        """What every control calls when its value changes."""
        self.redraw()


def describe(diagram) -> str:
    """The status line under the controls: how many tables, and the problems highlighted."""
    problems = len(diagram.findings())
    shown = f"{len(diagram.tables)} table(s), {len(diagram.relationships)} relationship(s)"
    return shown + (f"; {problems} problem(s) highlighted" if problems else "")


def make_controls(names: list[str], focus: str, depth: int = 1, direction: str = "both",
                  columns: str = "auto", hide_audit: bool = True) -> dict:
    """The explorer's controls, by the ``erd()`` argument each one sets."""
    if focus not in names:
        names = sorted([*names, focus])
    if direction not in DIRECTIONS or columns not in COLUMN_MODES or not 0 <= depth <= MAX_DEPTH:
        raise WorkbenchError(f"the explorer cannot start at depth={depth!r}, direction={direction!r}, "
                             f"columns={columns!r}",
                             hint=f"depth 0–{MAX_DEPTH}, direction one of {', '.join(DIRECTIONS)}, "
                                  f"columns one of {', '.join(COLUMN_MODES)}")
    label, fit = {"description_width": "initial"}, widgets.Layout(width="auto")
    return {
        "focus": widgets.Dropdown(options=names, value=focus, description="table", style=label, layout=fit),
        "depth": widgets.IntSlider(value=depth, min=0, max=MAX_DEPTH, description="depth", style=label,
                                   layout=widgets.Layout(width="14em")),
        "direction": widgets.Dropdown(options=DIRECTIONS, value=direction, description="direction",
                                      style=label, layout=fit),
        "columns": widgets.Dropdown(options=COLUMN_MODES, value=columns, description="columns",
                                    style=label, layout=fit),
        "hide_audit": widgets.Checkbox(value=hide_audit, description="hide audit columns", indent=False,
                                       layout=fit),
    }
