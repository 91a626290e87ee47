"""``verify()``: a migration history checked on fresh scratch databases.

1. stairway: on one empty database, each revision in turn goes up, down and up again, and
   the schema converges after each step (see :mod:`.stairway`);
2. head: on a second empty database, the whole history is applied in one go; the checks of
   :mod:`.head` run there (same schema as the stairway, drift, seed and invariants, RLS
   probe, advisors).
Both databases are dropped at the end, whatever happened. Then, when asked, the revisions a
development database has not applied are traced there, rolled back (see :mod:`.impact`).
"""
from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from ..catalog import Schema
from ..migrations import ScriptHistory, default_migrations_dir
from .advisors import Advisors
from .head import head_checks
from .impact import trace_pending
from .report import RevisionResult, VerifyReport
from .stairway import Stairway


def verify(admin_dsn: str | None = None, migrations_dir: Path | str | None = None, *,
           drift: str | None = None, convergence: bool = True, data: bool = True,
           rls: bool = True, advisors: bool = True, progress: bool = False,
           impact: str | None = None, fail_over_ms: float = 1000.0) -> VerifyReport:
    """Verify the history in ``migrations_dir`` (default: the project's) on the server of
    ``admin_dsn`` (default: the embedded server), which must allow creating databases.

    ``drift`` is the DSN of a development database to compare with the head schema (on the
    same PostgreSQL major version: definitions are compared as the server prints them).
    ``convergence`` compares schema snapshots around every step; ``data`` loads
    ``seed.sql`` and runs ``invariants/*.sql``; ``rls`` runs the RLS isolation probe;
    ``advisors`` reports the findings each revision introduces. The stairway stops at the
    first failing revision and names it. ``impact`` is the DSN of a development database on
    which to trace the revisions it has not applied (rolled back); a lock that blocks reads
    or writes for longer than ``fail_over_ms`` fails the report.
    """
    from ..embedded import server_dsn
    from ..testing import scratch_database

    history = ScriptHistory(Path(migrations_dir) if migrations_dir else default_migrations_dir())
    revisions = history.revisions()
    admin = admin_dsn or server_dsn("postgres")
    advice = Advisors() if advisors else None
    with ExitStack() as stack:
        stairs_dsn = stack.enter_context(scratch_database(admin, prefix="wb_verify"))
        results, reached = walk(history.migrations_dir, stairs_dsn, revisions, convergence, advice, progress)
        head_dsn = stack.enter_context(scratch_database(admin, prefix="wb_verify"))
        head = head_checks(history.migrations_dir, head_dsn, reached if convergence else None,
                           drift=drift, data=data, rls=rls, advisors=advice)
    traced = trace_pending(impact, history.migrations_dir, fail_over_ms) if impact else None
    return VerifyReport(tuple(results), tuple(head), revisions=len(revisions), impact=traced)


def walk(migrations_dir: Path, dsn: str, revisions: list, convergence: bool,
         advisors: Advisors | None, progress: bool) -> tuple[list[RevisionResult], Schema | None]:
    """The stairway over every revision; also the schema it reached at head (None if it stopped)."""
    stairway = Stairway(migrations_dir, dsn, convergence=convergence, advisors=advisors)
    results = []
    try:
        for revision in with_progress(revisions, progress):
            results.append(stairway.step(revision))
            if not results[-1].ok:
                return results, None
    finally:
        stairway.close()
    return results, stairway.before


def with_progress(items, enabled: bool):
    if not enabled:
        return items
    from tqdm.auto import tqdm

    # disable=None: no bar when stderr is not a terminal (a log, a pipe, CI); notebook bars stay
    return tqdm(items, desc="verifying revisions", unit="rev", disable=None)
