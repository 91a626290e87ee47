"""A plan panel for notebooks: a text area and an Explain button; the plan shows below.

A thin face over :func:`explain_report`, the plain function the button calls, so the same
output can be produced (and tested) without widgets.
"""
from __future__ import annotations

import ipywidgets as widgets

from ..errors import WorkbenchError
from ..plans import Plan, explain

TABLE_COLUMNS = ["node", "relation", "index", "est_rows", "actual_rows", "cost_share", "time_share",
                 "hot_spots"]


def explain_report(session, sql: str, analyze: bool = False) -> tuple[Plan | None, str]:
    """Explain ``sql``: the Plan and its narrative text, or (None, the error message)."""
    try:
        plan = explain(session, sql, analyze=analyze)
    except WorkbenchError as exc:
        return None, exc.message
    return plan, str(plan.narrative())


def node_table(plan: Plan):
    """The node table the panel shows (the plan's frame, fewer columns)."""
    frame = plan.frame()
    return frame[[c for c in TABLE_COLUMNS if c in frame.columns]]


class PlanPanel(widgets.VBox):
    """SQL in, narrative and node table out."""

    def __init__(self, session, sql: str = "", analyze: bool = False):
        self.session = session
        self.sql = widgets.Textarea(value=sql, placeholder="SELECT …", rows=6,
                                    layout=widgets.Layout(width="100%"))
        self.analyze = widgets.Checkbox(value=analyze, description="run it (ANALYZE, rolled back)")
        self.button = widgets.Button(description="Explain", button_style="primary")
        self.out = widgets.Output()
        self.plan: Plan | None = None
        self.button.on_click(self.on_click)
        super().__init__([self.sql, widgets.HBox([self.button, self.analyze]), self.out])

    def on_click(self, button=None) -> Plan | None:
        """What the button does: explain the text area's SQL into the output area."""
        self.out.outputs = ()
        self.plan, text = explain_report(self.session, self.sql.value, self.analyze.value)
        self.out.append_stdout(text + "\n")
        if self.plan is not None:
            self.out.append_display_data(node_table(self.plan))
        return self.plan


def plan_panel(session, sql: str = "", analyze: bool = False) -> PlanPanel:
    """A :class:`PlanPanel` on ``session``, its text area filled with ``sql``."""
    return PlanPanel(session, sql, analyze)
