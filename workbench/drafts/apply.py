"""Applying a Draft for real: its up SQL in one transaction, committed only when every
statement succeeded. ``CONCURRENTLY`` is taken out, as in the dry run (it cannot run inside a
transaction); a failing statement rolls the whole Draft back and is named.

This changes the database: the callers (a person in a notebook, the MCP server started with
``--allow-apply``) decide when. The usual way to production stays the exported revision.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from psycopg.pq import TransactionStatus

from ..catalog import inspect
from ..catalog.diff import SchemaDiff, diff
from ..errors import WorkbenchError
from ..session import connection_of
from .draft import Draft
from .dryrun import DryRunError, apply

APPLY_HINT = "fix the statement; nothing was changed (the whole Draft was rolled back)"


class ApplyError(WorkbenchError):
    """A statement of the Draft failed; the transaction was rolled back."""


@dataclass(frozen=True)
class Applied:
    """A Draft applied and committed: what changed, notes and time."""

    draft: Draft
    diff: SchemaDiff
    notes: tuple[str, ...]
    seconds: float

    def summary_text(self) -> str:
        """One line per change, after a headline."""
        lines = [f"applied {self.draft.title!r} in one transaction: {len(self.diff)} change(s), committed"]
        lines += [f"  {change}" for change in self.diff]
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        return {"draft": self.draft.title, "committed": True, "changes": self.diff.to_dict(),
                "notes": list(self.notes), "seconds": round(self.seconds, 3)}


def apply_draft(target, draft: Draft) -> Applied:
    """Run ``draft``'s up SQL on ``target`` (a Session or psycopg connection, idle) in one
    transaction and commit it; an :class:`ApplyError` (and nothing changed) when a statement fails."""
    conn = connection_of(target)
    if conn.info.transaction_status != TransactionStatus.IDLE:
        raise WorkbenchError("a transaction is already open on this connection",
                             hint="apply a Draft on an idle session: it needs a transaction of its own")
    started = time.perf_counter()
    before = inspect(conn)
    try:
        with conn.transaction():
            notes = apply(conn, draft.up, f"up SQL of {draft.title!r}", hint=APPLY_HINT,
                          where="the transaction")
    except DryRunError as exc:
        raise ApplyError(exc.what, where=exc.where, hint=exc.hint) from None
    return Applied(draft, diff(before, inspect(conn)), tuple(notes), time.perf_counter() - started)
