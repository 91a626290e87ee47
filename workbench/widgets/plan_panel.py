"""A plan panel for notebooks: a text area and an Explain button; the plan shows below.

A thin face over :func:`explain_report`, the plain function the button calls, so the same
output can be produced (and tested) without widgets. The last plan is kept as ``panel.plan``.
"""
from __future__ import annotations

import ipywidgets as widgets

from ..errors import WorkbenchError
from ..plans import Plan, explain
from .look import FULL, Status, title

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
    """The node table the panel shows: the plan's frame, fewer columns, none that is empty
    throughout (timings of a plan that was not run), and blanks rather than None."""
    frame = plan.frame()
    frame = frame[[c for c in TABLE_COLUMNS if c in frame.columns]]
    frame = frame.dropna(axis="columns", how="all")
    return frame.astype(object).where(frame.notna(), "")


class PlanPanel(widgets.VBox):
    """SQL in; a status line, the narrative and the node table out."""

    def __init__(self, session, sql: str = "", analyze: bool = False):
        self.session = session
        self.sql = widgets.Textarea(value=sql.strip(), placeholder="SELECT …", rows=6, layout=FULL)
        self.analyze = widgets.Checkbox(value=analyze, description="run it (ANALYZE, rolled back)")
        self.button = widgets.Button(description="Explain", button_style="primary", icon="search")
        self.status, self.out = Status(), widgets.Output()
        self.plan: Plan | None = None
        self.button.on_click(self.on_click)
        super().__init__([title("Plan panel", "a query's plan in plain words; press Explain"),
                          self.sql, widgets.HBox([self.button, self.analyze]), self.status, self.out])

    def on_click(self, button=None) -> Plan | None:
        """What the button does: explain the text area's SQL into the output area."""
        self.out.outputs, self.plan = (), None
        doing = "running the query in a rolled-back transaction" if self.analyze.value else "planning"
        with self.status.working(doing, self.button, self.analyze) as job:
            plan, text = explain_report(self.session, self.sql.value, self.analyze.value)
        if job.failed:
            return None
        if plan is None:
            self.status.show(f"problem: {text}")
            return None
        self.plan = plan
        self.status.show("ran it and rolled back" if plan.analyzed else "estimated (not run)")
        self.out.append_stdout(text + "\n")
        self.out.append_display_data(node_table(plan))
        return plan


def plan_panel(session, sql: str = "", analyze: bool = False) -> PlanPanel:
    """A :class:`PlanPanel` on ``session``, its text area filled with ``sql``."""
    return PlanPanel(session, sql, analyze)
