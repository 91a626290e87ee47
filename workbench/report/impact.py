"""The lock trace of each Draft of a review, as the report shows it: each Draft traced in
order in a transaction of its own, as its revision would run (see
:mod:`workbench.impact.series`), rolled back. A trace that fails is shown as the error it
raised, and fails the checklist item; a change already applied is not traced, saying why."""
from __future__ import annotations

from typing import Sequence

from ..drafts import Draft
from ..impact.lockmodes import spoken
from ..impact.report import Trace, first_line
from ..impact.series import PartTrace, trace_series
from ..impact.words import effect, storage_sentences, visible_locks
from ..plans.words import ms
from .failure import failure_text
from .model import Grid, ImpactEntry

COLUMNS = ("#", "line", "statement", "time", "locks", "who waits", "rewrites and reads")
APPLIED = ("the change is already applied to the database, so its up SQL cannot run there to be "
           "traced; trace it on a database without it (workbench locks -f, or workbench "
           "migrations verify --impact)")


def trace_drafts(session, drafts: Sequence[Draft], applied: bool) -> tuple[tuple[PartTrace, ...] | None, str]:
    """``(traces, note)``: one trace per Draft, or None and why none was made. A trace that
    cannot run at all gives each Draft its error."""
    if applied:
        return None, APPLIED
    try:
        return trace_series(session, [(d.title, d.up) for d in drafts]), ""
    except Exception as exc:  # a failed trace is a failed check, showing its error
        error = f"the lock trace failed: {failure_text(exc, getattr(session, 'dsn', None))}"
        return tuple(PartTrace(d.title, error=error) for d in drafts), ""


def impact_entries(parts: Sequence[PartTrace] | None) -> tuple[ImpactEntry, ...]:
    """What the report shows of each Draft's trace."""
    return tuple(impact_entry(part) for part in parts or ())


def impact_entry(part: PartTrace) -> ImpactEntry:
    if part.trace is None:
        return ImpactEntry(part.label, error=part.error)
    found = part.trace
    return ImpactEntry(part.label, found.headline(), statement_grid(found),
                       tuple(note for note in (*found.notes, found.squawk_note) if note))


def statement_grid(found: Trace) -> Grid:
    """A row per statement: its time, locks on existing relations, who waits, what it rewrote and read."""
    return Grid(COLUMNS, tuple(statement_row(s) for s in found.statements))


def statement_row(s) -> tuple[str, ...]:
    locks = visible_locks(s)
    return (str(s.number), str(s.line), first_line(s.sql), time_cell(s),
            "; ".join(lock_cell(s, relation, modes) for relation, modes in locks) or "none on an existing relation",
            "; ".join(f"{relation}: {effect(modes, lock_on(s, relation))}" for relation, modes in locks),
            "; ".join(storage_sentences(s)) if s.traced else "")


def time_cell(s) -> str:
    if not s.traced:
        return f"not traced: {s.reason}"
    return ms(s.duration_ms) + (" (estimate)" if s.estimated else "")


def lock_cell(s, relation: str, modes: tuple[str, ...]) -> str:
    what = f"{' and '.join(spoken(m) for m in modes)} on {relation}"
    if not s.traced:
        return f"{what} (documented; its time is not measured)"
    return f"{what}, held {ms(s.held_ms)}" + (" (estimate)" if s.estimated else "")


def lock_on(s, relation: str):
    return next(lock for lock in s.locks if lock.relation == relation)
