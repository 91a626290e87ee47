"""Dry run: apply a Draft in a transaction that is always rolled back, and show what it did.

The before-snapshot is taken first; ``up`` runs statement by statement; the after-snapshot
is taken inside the same transaction; then ``down`` runs and a third snapshot checks that
it restores the schema. Everything is rolled back: the database is unchanged after.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import psycopg

from ..catalog import Schema, inspect
from ..catalog.diff import SchemaDiff, diff
from ..errors import WorkbenchError
from ..session import connection_of, rolled_back
from .draft import Draft
from .transactional import transactional_statements


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
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary_text()

    def _repr_html_(self) -> str:
        import html

        head = html.escape(self.summary_text().splitlines()[0])
        tail = "".join(f"<p>{html.escape(line)}</p>" for line in self.summary_text().splitlines()
                       if not line.startswith("  ") and line != self.summary_text().splitlines()[0])
        return f"<p><b>{head}</b></p>{self.diff._repr_html_()}{tail}"


def dry_run(target, draft: Draft, *, check_down: bool = True) -> DryRun:
    """Apply ``draft`` in a rolled-back transaction on ``target`` (a Session or connection)."""
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
    return DryRun(draft, before, after, diff(before, after), restore_diff, tuple(notes),
                  time.perf_counter() - started)


def apply(conn: psycopg.Connection, text: str, label: str) -> list[str]:
    """Run each statement of ``text`` in a savepoint; a failure names the statement."""
    notes = []
    for number, statement in enumerate(transactional_statements(text), start=1):
        if statement.was_concurrent:
            notes.append(f"statement {number} ran without CONCURRENTLY inside the dry run")
        try:
            with conn.transaction():
                conn.execute(statement.sql)
        except psycopg.Error as exc:
            raise DryRunError(
                f"{label} failed at statement {number}: {str(exc).strip().splitlines()[0]}",
                where=statement.sql,
                hint="fix the statement; nothing was changed (the dry run rolls back)") from None
    return notes
