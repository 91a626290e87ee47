"""The impact of the revisions a development database has not applied yet: their up SQL
traced on that database's data, in order, each in a transaction of its own as Alembic runs
them, and rolled back (see :mod:`workbench.impact.series`); and the locks that block reads
or writes for longer than a limit.

Pending means after the revision the database records in ``alembic_version``; a database
that records none gets every revision traced, and the report says which it did.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg

from ..dsn import mask_dsn, scrub
from ..errors import WorkbenchError
from ..impact.series import PartTrace, trace_series
from ..migrations import Revision, ScriptHistory
from ..session import Session
from .stairway import first_line
from .status import current_revisions, pending_after

PENDING, ALL, UNKNOWN = "pending", "all", "unknown"
STAMP_HINT = ("if it already holds some of them, record its revision with alembic stamp "
              "REVISION, so only the pending ones are traced")


@dataclass(frozen=True)
class RevisionTrace:
    """One revision and its trace (or the error that left it without one)."""

    revision: Revision
    part: PartTrace

    def failures(self, over_ms: float) -> list[str]:
        return [f"revision {self.revision.id}: {found}" for found in self.part.failures(over_ms)]

    def to_dict(self) -> dict:
        return {"revision": self.revision.id, "file": self.revision.path.name,
                "traced": self.part.traced, "error": self.part.error or None,
                "trace": self.part.trace.to_dict() if self.part.trace else None}


@dataclass(frozen=True)
class HistoryImpact:
    """The traces of the revisions ``which`` (``pending``, ``all`` when the database records
    no revision, ``unknown`` when its revision is not in the history) on ``database``;
    ``why`` says so in words; ``error`` is why nothing could be traced at all."""

    database: str
    which: str
    why: str
    revisions: tuple[RevisionTrace, ...]
    fail_over_ms: float
    error: str = ""

    def failures(self) -> list[str]:
        """What fails: locks that block reads or writes longer than ``fail_over_ms``, and
        revisions that could not be traced (an error is never a pass)."""
        found = [f"the impact could not be traced: {self.error}"] if self.error else []
        return found + [line for r in self.revisions for line in r.failures(self.fail_over_ms)]

    @property
    def ok(self) -> bool:
        return not self.failures()

    def to_dict(self) -> dict:
        return {"database": self.database, "revisions_traced": self.which, "why": self.why,
                "fail_over_ms": self.fail_over_ms, "ok": self.ok, "error": self.error or None,
                "failures": self.failures(), "revisions": [r.to_dict() for r in self.revisions]}

    def text(self) -> str:
        """Which revisions and why, each revision's trace, then what fails."""
        from .impact_text import impact_text

        return impact_text(self)


def trace_pending(dev_dsn: str, migrations_dir: Path, fail_over_ms: float) -> HistoryImpact:
    """Trace on ``dev_dsn`` the revisions of ``migrations_dir`` it has not applied (all of
    them when it records none), rolled back. A database that cannot be reached or read is a
    failed impact, said plainly, as for ``--drift``."""
    revisions = ScriptHistory(migrations_dir).revisions()
    database = mask_dsn(dev_dsn)
    try:
        with Session(dev_dsn) as session:
            which, why, chosen = choose(revisions, current_revisions(session))
            traced = traced_revisions(session, chosen)
    except Exception as exc:  # an unreachable database is a failed impact, said plainly
        return HistoryImpact(database, UNKNOWN, f"cannot trace on {database}", (), fail_over_ms,
                             problem_text(exc, dev_dsn))
    error = why if which == UNKNOWN else ""
    return HistoryImpact(database, which, why, traced, fail_over_ms, error)


def choose(revisions: list[Revision], current: tuple[str, ...]) -> tuple[str, str, tuple[Revision, ...]]:
    """``(which, why, revisions)``: the revisions to trace on a database at ``current``."""
    if not current:
        return ALL, (f"every revision ({len(revisions)}): the database records none in "
                     f"alembic_version ({STAMP_HINT})"), tuple(revisions)
    known = {r.id for r in revisions}
    strangers = [c for c in current if c not in known]
    if strangers:
        return UNKNOWN, (f"the database is at revision {', '.join(strangers)}, which this history "
                         "does not have, so which revisions are pending is not known"), ()
    pending = pending_after(revisions, current)
    at = ", ".join(current)
    if not pending:
        return PENDING, f"no pending revision: the database is at the head, {at}", ()
    return PENDING, f"the {len(pending)} revision(s) the database has not applied (it is at {at})", pending


def traced_revisions(session: Session, revisions: tuple[Revision, ...]) -> tuple[RevisionTrace, ...]:
    """Each revision's trace, in order; from a revision whose SQL cannot be read on, errors."""
    readable, unread = [], None
    for revision in revisions:
        try:
            readable.append((revision, up_sql(revision)))
        except WorkbenchError as exc:
            unread = (revision, f"{first_line(exc)}; trace its SQL with workbench locks -f FILE")
            break
    parts = trace_series(session, [(r.id, sql) for r, sql in readable]) if readable else ()
    found = [RevisionTrace(r, part) for (r, _), part in zip(readable, parts)]
    if unread:
        found.append(RevisionTrace(unread[0], PartTrace(unread[0].id, error=unread[1])))
        later = revisions[len(readable) + 1:]
        found += [RevisionTrace(r, PartTrace(r.id, error=f"its SQL comes after {unread[0].id}, "
                                                          "which could not be read")) for r in later]
    return tuple(found)


def up_sql(revision: Revision) -> str:
    """The up SQL a workbench revision keeps in ``UP_SQL``."""
    from ..export import from_revision

    return from_revision(revision.path).up


def problem_text(exc: Exception, dsn: str) -> str:
    """The error in one line, without the password; one the workbench did not foresee is
    named by its type, so a bug reads as a bug."""
    text = first_line(exc)
    if not isinstance(exc, (WorkbenchError, psycopg.Error)):
        text = f"{type(exc).__name__}: {text}"
    return scrub(text, dsn)
