"""Whether a Draft is fit to apply, in one verdict: its review (the dry run, safety checks and
advisor findings) and the RLS probe of the tables it touches, before and after the change.

A Draft passes when its dry run ran, its down SQL restores the schema (or it says why it is
irreversible), it introduces no advisor finding at level ``error``, and no tenant reaches
another tenant's rows on a touched table where none could before. Everything is rolled back.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import WorkbenchError
from .draft import Draft
from .review import Review, review
from .touched import tables_touched


@dataclass(frozen=True)
class RlsCheck:
    """The probe of the touched tables: ``leaks`` are the failing results the change brings
    (table and command), ``note`` says what was probed or why nothing was."""

    tables: tuple[str, ...] = ()
    leaks: tuple = ()
    matrix: dict | None = None
    note: str = ""

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        from dataclasses import asdict

        return {"tables": list(self.tables), "leaks": [asdict(r) for r in self.leaks],
                "matrix": self.matrix, "note": self.note}


@dataclass(frozen=True)
class Verdict:
    """A reviewed Draft, its RLS check, and whether it passed (``problems`` say why not)."""

    review: Review
    rls: RlsCheck

    @property
    def draft(self) -> Draft:
        return self.review.draft

    @property
    def problems(self) -> tuple[str, ...]:
        """Why the Draft is not fit to apply; empty when it is."""
        found = []
        if self.review.restores is False:
            found.append("the down SQL does not restore the schema")
        found += [f"new advisor error {f.rule}: {f.object}: {f.message}"
                  for f in self.review.introduced if f.level == "error"]
        found += [f"cross-tenant access: {r.line()}" for r in self.rls.leaks]
        return tuple(found)

    @property
    def passed(self) -> bool:
        return not self.problems

    def summary_text(self) -> str:
        """The verdict first, then the review and the RLS note."""
        head = "PASSED" if self.passed else "FAILED: " + "; ".join(self.problems)
        return "\n".join([f"dry run {head}", self.review.summary_text(), f"RLS: {self.rls.note}"])

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        return {"draft": self.draft.title, "passed": self.passed, "problems": list(self.problems),
                **self.review.to_dict(), "rls": self.rls.to_dict()}


def judge(session, draft: Draft, *, config=None) -> Verdict:
    """Review ``draft`` on ``session`` (rolled back) and probe tenant isolation on the tables
    it touches; the :class:`Verdict`. A :class:`~workbench.drafts.dryrun.DryRunError` when a
    statement fails."""
    result = review(session, draft, config=config)
    return Verdict(result, rls_check(session, draft, result.dry_run.before))


def rls_check(session, draft: Draft, before) -> RlsCheck:
    """Probe the tables ``draft`` touches before and after it; keep what only fails after."""
    from ..verify.rls import probe  # here: workbench.verify imports workbench.drafts

    tables = tuple(tables_touched(draft.up))
    if not tables:
        return RlsCheck(note="the change touches no table: tenant isolation not probed")
    existing = [name for name in tables if exists(before, name)]
    try:
        earlier = probe(session, None, existing) if existing else None
        after = probe(session, draft, tables)
    except WorkbenchError as exc:
        return RlsCheck(tables, note=f"tenant isolation not probed: {exc.what}")
    if after.skipped:
        return RlsCheck(tables, note=f"tenant isolation not probed: {after.skipped}")
    known = {(r.table, r.command) for r in earlier.failures} if earlier else set()
    leaks = tuple(r for r in after.failures if (r.table, r.command) not in known)
    kept = len(after.failures) - len(leaks)
    note = f"{len(after.results)} probe(s) on {', '.join(tables)}: {len(leaks)} new cross-tenant access(es)"
    if kept:
        note += f", {kept} already there before the change"
    return RlsCheck(tables, leaks, matrix_dict(after), note)


def exists(schema, name: str) -> bool:
    """Whether ``schema`` has the table ``name``."""
    try:
        schema.table(name)
    except WorkbenchError:
        return False
    return True


def matrix_dict(report) -> dict:
    """The probe's matrix as ``{table: {command: verdict}}``."""
    matrix: dict = {}
    for result in report.results:
        matrix.setdefault(result.table, {})[result.command] = result.verdict
    return matrix
