"""The drafting panel: choose a builder, fill its form, see the SQL (up and down), the safety
findings, the dry-run diff and the lock trace, and approve the Draft.

A thin face over plain functions, each callable without widgets:
:func:`workbench.drafts.builders.forms.build` (Preview), :func:`workbench.drafts.safety.check`,
:func:`workbench.drafts.review.review` (Dry run), :func:`workbench.impact.trace` (Impact) and
:func:`workbench.drafts.reparse.approve` (Approve). Handlers write into Output widgets and show
errors in the status line as plain messages; the slow ones (dry run, impact, RLS matrix) say
what is running and disable the buttons meanwhile. The trace has a button of its own, so a dry
run stays quick.
"""
from __future__ import annotations

from typing import Callable

import ipywidgets as widgets

from ..drafts import Draft
from ..drafts.builders.forms import FORMS, Field, build
from ..drafts.reparse import approve
from ..drafts.review import Review, review
from ..diff import DiffError
from ..drafts.safety import SafetyReport, check
from ..drafts.touched import tables_touched
from ..errors import WorkbenchError
from ..impact.report import Trace
from ..impact.trace import trace
from ..verify.rls import probe
from .look import FULL, Status, title


LABEL = {"description_width": "11em"}  # wide enough for every form label, so fields line up
TAB_TITLES = ("SQL", "safety", "dry run", "impact", "RLS matrix")  # the result tabs, in order


def field_widget(field: Field) -> widgets.Widget:
    """The input widget for one form field."""
    if field.kind == "check":
        return widgets.Checkbox(value=bool(field.default), description=field.label, style=LABEL)
    if field.kind == "choice":
        return widgets.Dropdown(options=field.options, value=field.default, description=field.label,
                                style=LABEL)
    if field.kind == "area":
        return widgets.Textarea(value=field.default, description=field.label, rows=5, layout=FULL,
                                placeholder=field.placeholder, style=LABEL)
    return widgets.Text(value=field.default, description=field.label, layout=FULL,
                        placeholder=field.placeholder, style=LABEL)


def draft_sql_text(draft: Draft) -> str:
    """The Draft as the panel shows it: title, up SQL, down SQL, notes."""
    down = draft.down.strip() or f"-- irreversible: {draft.irreversible}"
    lines = [f"-- {draft.title}", "-- up", draft.up.strip(), "-- down", down]
    return "\n".join(lines + [f"-- note: {note}" for note in draft.notes]) + "\n"


def probe_matrix(session, draft: Draft):
    """The RLS isolation matrix of the tables ``draft`` touches, with the Draft applied
    (in a rolled-back transaction): the plain-function twin of the RLS matrix button. A
    WorkbenchError when nobody could be impersonated: an empty matrix proves nothing."""
    report = probe(session, draft, tables=tables_touched(draft.up))
    if report.skipped:
        raise WorkbenchError(f"tenant isolation was not probed: {report.skipped}")
    return report.matrix


class DraftingPanel(widgets.VBox):
    """Builder, form, and the Preview / Dry run / Approve buttons with their outputs.

    ``draft`` is the last Draft built, ``safety`` its SafetyReport, ``review`` its Review,
    ``impact`` its lock trace, ``approved`` the approved Draft. ``rls_matrix(session, draft)`` fills the RLS slot
    (default: :func:`probe_matrix`).
    """

    def __init__(self, session, snapshot=None, builder: str = "create table",
                 reviewer: str = "", rls_matrix: Callable | None = None, **values):
        self.session, self.snapshot = session, snapshot
        self.draft: Draft | None = None
        self.safety: SafetyReport | None = None
        self.review: Review | None = None
        self.impact: Trace | None = None
        self.approved: Draft | None = None
        self.rls_matrix = rls_matrix if rls_matrix is not None else probe_matrix
        self.builder = widgets.Dropdown(options=list(FORMS), value=builder, description="builder", style=LABEL)
        self.reviewer = widgets.Text(value=reviewer, description="reviewer")
        self.form, self.fields = widgets.VBox(), {}
        self.status, self.sql_out = Status(), widgets.Output()
        self.safety_out, self.dryrun_out, self.impact_out, self.rls_out = (widgets.Output() for _ in range(4))
        self.builder.observe(lambda change: self.show_form(), names="value")
        self.show_form(values)
        self.buttons: list[widgets.Button] = []
        self.tabs = self._tabs()
        super().__init__([title("Drafting panel", "a change as up and down SQL, checked before it is kept"),
                          self.builder, self.form, self._buttons(), self.status, self.tabs])

    def _buttons(self) -> widgets.HBox:
        buttons = []
        for label, handler, style in (("Preview", self.on_preview, "info"),
                                      ("Dry run", self.on_dry_run, "warning"),
                                      ("Impact", self.on_impact, "warning"),
                                      ("Approve", self.on_approve, "success"),
                                      ("RLS matrix", self.on_rls_matrix, "")):
            button = widgets.Button(description=label, button_style=style)
            button.on_click(lambda _, h=handler: h())
            buttons.append(button)
        self.buttons = buttons
        return widgets.HBox([*buttons, self.reviewer])

    def _tabs(self) -> widgets.Tab:
        tabs = widgets.Tab([self.sql_out, self.safety_out, self.dryrun_out, self.impact_out, self.rls_out])
        tabs.titles = TAB_TITLES
        return tabs

    def show_tab(self, name: str) -> None:
        """Bring the result tab ``name`` (one of :data:`TAB_TITLES`) to the front."""
        self.tabs.selected_index = TAB_TITLES.index(name)

    # --- the form ----------------------------------------------------------------------------

    def show_form(self, values: dict | None = None) -> None:
        """Build the chosen builder's form (filled with ``values``)."""
        self.fields = {f.name: field_widget(f) for f in FORMS[self.builder.value]}
        self.set_values(**(values or {}))
        self.form.children = tuple(self.fields.values())

    def set_values(self, **values) -> None:
        """Fill form fields by name (unknown names are an error)."""
        for name, value in values.items():
            if name not in self.fields:
                raise WorkbenchError(f"the {self.builder.value!r} form has no field {name!r}",
                                     hint=f"fields: {', '.join(self.fields)}")
            self.fields[name].value = value

    def values(self) -> dict:
        """The form's current values."""
        return {name: w.value for name, w in self.fields.items()}

    # --- the buttons -------------------------------------------------------------------------

    def _clear(self, *outs) -> None:
        for out in (self.status, *outs):
            out.outputs = ()

    def on_preview(self) -> Draft | None:
        """Build the Draft from the form; show its SQL and the safety findings (the results of
        an earlier Draft are cleared)."""
        self._clear(self.sql_out, self.safety_out, self.dryrun_out, self.impact_out, self.rls_out)
        self.draft = self.safety = self.review = self.impact = self.approved = None
        with self.status.working(self.preview_work(), *self.buttons) as job:
            draft = self.build_draft()
            self.sql_out.append_stdout(draft_sql_text(draft))
            self.safety = check(draft, self.snapshot)
        if job.failed:
            return None
        self.draft = draft
        self.safety_out.append_stdout(self.safety.text() + "\n")
        if len(self.safety):
            self.safety_out.append_display_data(self.safety.frame())
        self.status.show(f"drafted: {self.draft.title}")
        self.show_tab("SQL")
        return self.draft

    def preview_work(self) -> str:
        if self.builder.value == "from a sandbox":
            return "trying the SQL in a sandbox, deriving and proving the migration"
        return "drafting and checking its safety"

    def build_draft(self) -> Draft:
        """The form's Draft. A sandbox change that looks like a rename is asked about: the
        renames field is filled with the likely answer, to confirm with Preview (or tick
        "may lose data" to drop and add instead)."""
        try:
            return build(self.builder.value, self.values(), self.snapshot, self.session)
        except DiffError as refused:
            if not getattr(refused, "questions", ()):
                raise
            answers = ", ".join(f"{q.rename_key}={q.rename_value}" for q in refused.questions)
            known = self.fields["renames"].value.strip()
            self.fields["renames"].value = f"{known}, {answers}" if known else answers
            raise WorkbenchError(
                "rename or drop and add? " + "; ".join(
                    f"{q.removed} was removed and {q.added} added" for q in refused.questions),
                hint="press Preview again to rename (the renames field now says so), or clear it "
                     "and tick 'may lose data' to drop and add") from None

    def on_dry_run(self) -> Review | None:
        """Dry-run the Draft (rolled back): the diff, down restores, advisor findings."""
        self._clear(self.dryrun_out)
        if self.draft is None and self.on_preview() is None:
            return None
        with self.status.working("dry run in a transaction that will be rolled back", *self.buttons) as job:
            self.review = review(self.session, self.draft)
        if job.failed:
            return None
        self.dryrun_out.append_stdout(self.review.dry_run.summary_text() + "\n")
        self.dryrun_out.append_display_data(self.review.changes_frame())
        if self.review.introduced is not None:
            self.dryrun_out.append_display_data(self.review.advisors_frame())
        self.status.show("dry run done: nothing was kept")
        self.show_tab("dry run")
        return self.review

    def on_impact(self) -> Trace | None:
        """Trace the Draft's up SQL (rolled back): each statement's locks, rewrites and reads,
        how long it runs and holds its locks, and who waits meanwhile."""
        self._clear(self.impact_out)
        if self.draft is None and self.on_preview() is None:
            return None
        with self.status.working("tracing the locks in a transaction that will be rolled back",
                                 *self.buttons) as job:
            self.impact = trace(self.session, self.draft)
        if job.failed:
            return None
        self.impact_out.append_display_data(self.impact)
        self.status.show("impact traced: nothing was kept")
        self.show_tab("impact")
        return self.impact

    def on_approve(self) -> Draft | None:
        """Re-parse the Draft and mark it approved by the reviewer."""
        self._clear()
        if self.draft is None:
            self.status.show("problem: nothing to approve yet\nwhat to do: press Preview first")
            return None
        with self.status.working("approving (the SQL is parsed and printed again)", *self.buttons) as job:
            self.approved = approve(self.draft, by=self.reviewer.value)
        if job.failed:
            return None
        self.status.show(f"approved by {self.approved.approved_by}: {self.draft.title}")
        return self.approved

    def on_rls_matrix(self):
        """Fill the RLS slot with the probe's matrix for the Draft."""
        self._clear(self.rls_out)
        if self.draft is None and self.on_preview() is None:
            return None
        with self.status.working("probing tenant isolation (rolled back)", *self.buttons) as job:
            result = self.rls_matrix(self.session, self.draft)
        if job.failed:
            return None
        self.rls_out.append_display_data(result)
        self.status.show("RLS matrix done: nothing was kept")
        self.show_tab("RLS matrix")
        return result


def drafting_panel(session, snapshot=None, builder: str = "create table", **values) -> DraftingPanel:
    """A :class:`DraftingPanel` on ``session``, the ``builder`` form filled with ``values``."""
    return DraftingPanel(session, snapshot, builder, **values)
