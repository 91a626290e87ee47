"""Dry run: apply a Draft in a transaction that is always rolled back, and show what it did.

The before-snapshot is taken first; ``up`` runs statement by statement; the after-snapshot
is taken inside the same transaction; then ``down`` runs and a third snapshot checks that
it restores the schema. Everything is rolled back: the database is unchanged after.

With ``impact=True`` the up SQL is also traced (:func:`workbench.impact.trace`), in a
rolled-back transaction of its own: the locks each statement takes, what it rewrites or
reads, and how long it runs and holds its locks. It is off by default, as the trace costs
more than the dry run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import psycopg

from ..catalog import Schema, inspect
from ..catalog.diff import SchemaDiff, diff
from ..errors import WorkbenchError
from ..session import connection_of, rolled_back
from .draft import Draft
from .transactional import transactional_statements

if TYPE_CHECKING:
    from ..impact import Trace


class DryRunError(WorkbenchError):
    """A statement of the Draft failed in the dry run (nothing was changed)."""


@dataclass(frozen=True)
class DryRun:
    """What a Draft does to the schema, found in a rolled-back transaction."""

    draft: Draft
    before: Schema
    after: Schema
    diff: SchemaDiff
    restore_diff: SchemaDiff | None
    notes: tuple[str, ...]
    seconds: float
    impact: Trace | None = None  # the up SQL's lock trace, when asked for with impact=True

    @property
    def restores(self) -> bool | None:
        """Whether ``down`` brings the schema back exactly (None when not checked)."""
        return None if self.restore_diff is None else not self.restore_diff

    def summary_text(self) -> str:
        lines = [f"dry run of {self.draft.title!r}: {len(self.diff)} change(s), rolled back"]
        lines += [f"  {change}" for change in self.diff]
        if self.restores is True:
            lines.append("down restores the schema exactly")
        elif self.restores is False:
            lines.append("down does NOT restore the schema; left over:")
            lines += [f"  {change}" for change in self.restore_diff]
        lines += [f"note: {note}" for note in self.notes]
        if self.impact is not None:
            lines += ["impact:", *(f"  {line}" for line in self.impact.text().splitlines())]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary_text()

    def to_dict(self) -> dict:
        """A JSON-ready form: the changes, whether down restores the schema (and what it left
        over), notes, time, and the lock trace when there is one."""
        return {"draft": self.draft.title, "changes": self.diff.to_dict(), "restores": self.restores,
                "left_over": self.restore_diff.to_dict() if self.restore_diff else [],
                "notes": list(self.notes), "seconds": round(self.seconds, 3),
                "impact": self.impact.to_dict() if self.impact is not None else None}

    def _repr_html_(self) -> str:
        import html

        lines = replace(self, impact=None).summary_text().splitlines()
        head = html.escape(lines[0])
        tail = "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:] if not line.startswith("  "))
        impact = f"<p><b>impact</b></p>{self.impact._repr_html_()}" if self.impact is not None else ""
        return f"<p><b>{head}</b></p>{self.diff._repr_html_()}{tail}{impact}"


def dry_run(target, draft: Draft, *, check_down: bool = True, impact: bool = False) -> DryRun:
    """Apply ``draft`` in a rolled-back transaction on ``target`` (a Session or connection).

    ``impact=True`` also traces its up SQL (``DryRun.impact``, a
    :class:`workbench.impact.Trace`); for production row counts or another lock_timeout,
    call :func:`workbench.impact.trace` instead."""
    conn = connection_of(target)
    started = time.perf_counter()
    before = inspect(conn)
    notes: list[str] = []
    restore_diff = None
    with rolled_back(conn):
        notes += apply(conn, draft.up, f"up SQL of {draft.title!r}")
        after = inspect(conn)
        if check_down and draft.down.strip():
            apply(conn, draft.down, f"down SQL of {draft.title!r}")
            restore_diff = diff(before, inspect(conn))
    traced = trace_of(target, draft) if impact else None
    return DryRun(draft, before, after, diff(before, after), restore_diff, tuple(notes),
                  time.perf_counter() - started, traced)


def trace_of(target, draft: Draft):
    """The lock trace of ``draft``'s up SQL (rolled back)."""
    from ..impact.trace import trace  # here: workbench.impact imports workbench.drafts

    return trace(target, draft)


ROLLED_BACK_HINT = "fix the statement; nothing was changed (the dry run rolls back)"


def apply(conn: psycopg.Connection, text: str, label: str, *, hint: str = ROLLED_BACK_HINT,
          where: str = "the dry run") -> list[str]:
    """Run each statement of ``text`` in a savepoint of the open transaction; a failure names
    the statement. A statement that would end the transaction (COMMIT, ROLLBACK, PREPARE
    TRANSACTION) is refused before anything runs: it would make the rest permanent."""
    steps = transactional_statements(text)
    refuse_transaction_ends(steps, label)
    notes = []
    for number, statement in enumerate(steps, start=1):
        if statement.was_concurrent:
            notes.append(f"statement {number} ran without CONCURRENTLY inside {where}")
        try:
            with conn.transaction():
                conn.execute(statement.sql)
        except psycopg.Error as exc:
            raise DryRunError(
                f"{label} failed at statement {number}: {str(exc).strip().splitlines()[0]}",
                where=statement.sql, hint=hint) from None
    return notes


def refuse_transaction_ends(steps, label: str) -> None:
    """A DryRunError naming the first statement that would end the enclosing transaction."""
    for number, statement in enumerate(steps, start=1):
        if statement.ends_transaction:
            raise DryRunError(
                f"{label}: statement {number} ends the transaction ({statement.sql.split()[0].upper()})",
                where=statement.sql,
                hint="a Draft runs inside one transaction: leave out COMMIT, ROLLBACK and "
                     "PREPARE TRANSACTION (split the change into several Drafts instead)")
