"""The stairway: on a fresh database, every revision goes up, down and up again, and the
schema converges: the downgrade restores the schema from before the upgrade, and upgrading
again gives the same schema as the first time."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..catalog import Schema
from ..dsn import scrub
from ..errors import WorkbenchError
from ..migrations import Revision, downgrade, upgrade
from ..session import Session
from .advisors import Advisors
from .report import FAILED, PASSED, Check, RevisionResult, VerifyReport
from .snapshots import LEFT_BEHIND, REPEATED, differences, snapshot

STEPS = ("upgrade", "downgrade", "upgrade again")
RESTORED, REPEATS = "downgrade restores schema", "upgrade again matches"


class Stairway:
    """Walks revisions in order on one scratch database, keeping the schema before each."""

    def __init__(self, migrations_dir: Path, dsn: str, *, convergence: bool = True,
                 advisors: Advisors | None = None):
        self.migrations_dir, self.dsn = migrations_dir, dsn
        self.convergence, self.advisors = convergence, advisors
        self.session = Session(dsn) if convergence or advisors else None
        self.before: Schema | None = snapshot(self.session) if self.session else None

    def close(self) -> None:
        """Close the session used for snapshots."""
        if self.session:
            self.session.close()

    def step(self, revision: Revision) -> RevisionResult:
        """Upgrade to ``revision``, downgrade to its parent, upgrade again; stop at a failure."""
        checks: list[Check] = []
        after_up = self.run(checks, "upgrade", lambda: upgrade(self.migrations_dir, self.dsn, revision.id))
        if checks[-1].ok:
            parent = revision.down or "base"
            self.run(checks, "downgrade", lambda: downgrade(self.migrations_dir, self.dsn, parent),
                     compare=(RESTORED, self.before, LEFT_BEHIND))
        if checks[-1].ok:
            self.run(checks, "upgrade again", lambda: upgrade(self.migrations_dir, self.dsn, revision.id),
                     compare=(REPEATS, after_up, REPEATED))
        if all(c.ok for c in checks):
            checks += self.advice(after_up)
            self.before = after_up
        return RevisionResult(revision, tuple(checks))

    def run(self, checks: list[Check], name: str, action: Callable[[], None],
            compare: tuple[str, Schema | None, dict] | None = None) -> Schema | None:
        """Run one migration step, then (with convergence) compare the schema it leaves."""
        try:
            action()
        except Exception as exc:  # any failure of a migration is reported, with the revision named
            checks.append(Check(name, FAILED, scrub(first_line(exc), self.dsn)))
            return None
        checks.append(Check(name, PASSED))
        if not self.session:
            return None
        now = snapshot(self.session)
        if compare and self.convergence:
            checks.append(converged(compare[0], compare[1], now, compare[2]))
        return now

    def advice(self, after: Schema | None) -> list[Check]:
        """What the advisors find after this revision that they did not find before it."""
        if not self.advisors or after is None or self.before is None:
            return []
        return [self.advisors.introduced(self.before, after)]


def converged(name: str, expected: Schema | None, actual: Schema, words: dict) -> Check:
    """Passed when ``actual`` equals ``expected``; failed naming each object that differs."""
    if expected is None or actual == expected:
        return Check(name, PASSED)
    items = differences(expected, actual, words)
    return Check(name, FAILED, f"the schema differs in {len(items)} object(s)", items)


def first_line(exc: Exception) -> str:
    """The error's first line (the rest is context Alembic and the driver add)."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def verify_history(admin_dsn: str | None = None, migrations_dir: Path | str | None = None,
                   **options) -> VerifyReport:
    """Verify a migration history on fresh scratch databases (see :func:`workbench.verify.verify`)."""
    from .run import verify

    return verify(admin_dsn, migrations_dir, **options)


def require_ok(report: VerifyReport) -> None:
    """Raise a clear error naming the failing revision or head check, if any."""
    failure = report.failure
    if failure:
        raise WorkbenchError(f"revision {failure.revision.id} failed at {failure.failed_step}: "
                             f"{failure.error}",
                             where=str(failure.revision.path),
                             hint="fix the revision's SQL (its downgrade must undo its upgrade)")
    for check in report.head_failures:
        raise WorkbenchError(f"verify failed at head: {check.name}: {check.message()}",
                             hint="see the report's head checks")
