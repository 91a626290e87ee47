"""The change as one dry run: the schema before it, the head schema after it, the diff, and
whether the rollback plan restores the schema. Nothing is kept: the transaction rolls back.

Drafts not yet applied are applied (up, then down); a change already applied to the
database is measured backwards (down, then up again).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..catalog import Schema, SchemaDiff, diff, inspect
from ..drafts import Draft
from ..drafts.dryrun import dry_run
from ..drafts.sqltext import statements
from .failure import failure_text


@dataclass(frozen=True)
class Simulation:
    """``before`` and ``after`` (the head schema) of the change; ``diff`` is None and
    ``problem`` says why when the dry run could not run (``failed``: it raised that error);
    ``applied``: measured backwards."""

    before: Schema
    after: Schema
    diff: SchemaDiff | None
    restores: bool | None
    problem: str = ""
    applied: bool = False
    failed: bool = False

    @property
    def ok(self) -> bool:
        return self.diff is not None


def combine(drafts: Sequence[Draft]) -> Draft:
    """One Draft doing every Draft in order (its down undoes them in reverse order)."""
    if len(drafts) == 1:
        return drafts[0]
    up = joined(d.up for d in drafts)
    reasons = [f"{d.title}: {d.irreversible}" for d in drafts if not d.down.strip()]
    down = "" if reasons else joined(d.down for d in reversed(drafts))
    return Draft("; ".join(d.title for d in drafts), up, down, irreversible="; ".join(reasons))


def joined(texts) -> str:
    """SQL texts as one, statement by statement (split by the parser)."""
    return "\n".join(f"{statement};" for text in texts for statement in statements(text))


def simulate(session, drafts: Sequence[Draft], *, applied: bool | None = False) -> Simulation:
    """Dry-run ``drafts`` together on ``session`` (rolled back). ``applied=True`` when the
    database already holds the change; None when not known: forwards first, then backwards."""
    change = combine(drafts)
    if applied is None:
        forwards = measure(session, change, applied=False)
        if forwards.ok:
            return forwards
        backwards = measure(session, change, applied=True)
        return backwards if backwards.ok else forwards
    return measure(session, change, applied=applied)


def measure(session, change: Draft, *, applied: bool) -> Simulation:
    """One dry run of ``change``: up then down, or (applied) down then up."""
    try:
        if not applied:
            result = dry_run(session, change)
            return Simulation(result.before, result.after, result.diff, result.restores)
        if not change.down.strip():
            return unmeasured(session, f"the change is applied and irreversible ({change.irreversible})", True)
        result = dry_run(session, Draft(change.title, change.down, change.up))
        return Simulation(result.after, result.before, diff(result.after, result.before),
                          result.restores, applied=True)
    except Exception as exc:  # a failed dry run fails the checks that need it, showing its error
        return unmeasured(session, failure_text(exc, getattr(session, "dsn", None)), applied, failed=True)


def unmeasured(session, problem: str, applied: bool = False, failed: bool = False) -> Simulation:
    """The current schema as both before and after, with the reason the dry run is missing."""
    current = inspect(session)
    return Simulation(current, current, None, None, problem, applied, failed)
