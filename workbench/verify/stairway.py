"""The stairway check: on a fresh database, every revision goes up, down and up again."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..dsn import scrub
from ..errors import WorkbenchError
from ..migrations import Revision, ScriptHistory, default_migrations_dir, downgrade, upgrade

STEPS = ("upgrade", "downgrade", "upgrade again")


@dataclass(frozen=True)
class StepResult:
    """One revision's stairway: which steps passed, and the error of the one that failed."""

    revision: Revision
    passed: tuple[str, ...]
    failed_step: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed_step is None


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of verifying a whole history."""

    results: tuple[StepResult, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)

    @property
    def failure(self) -> StepResult | None:
        return next((r for r in self.results if not r.ok), None)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "revisions": [
            {"revision": r.revision.id, "title": r.revision.title.splitlines()[0] if r.revision.title else "",
             "file": r.revision.path.name, "passed": list(r.passed),
             "failed_step": r.failed_step, "error": r.error} for r in self.results]}

    def text(self) -> str:
        lines = []
        for r in self.results:
            mark = "ok  " if r.ok else "FAIL"
            lines.append(f"{mark} {r.revision.id}  {r.revision.path.name}")
            if not r.ok:
                lines.append(f"     {r.failed_step} failed: {r.error}")
        lines.append(f"{len(self.results)} revisions, " + ("all passed" if self.ok else "verification failed"))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(self.text())}</pre>"

    def __str__(self) -> str:
        return self.text()


def verify_history(admin_dsn: str | None = None, migrations_dir: Path | str | None = None,
                   *, progress: bool = False) -> VerifyReport:
    """Apply every revision to a fresh scratch database: upgrade, downgrade, upgrade again.

    Stops at the first failing revision (the later ones cannot be reached) and names it.
    """
    from ..embedded import server_dsn
    from ..testing import scratch_database

    history = ScriptHistory(Path(migrations_dir) if migrations_dir else default_migrations_dir())
    revisions = history.revisions()
    admin = admin_dsn or server_dsn("postgres")
    results = []
    with scratch_database(admin, prefix="wb_verify") as dsn:
        for revision in _progress(revisions, progress):
            result = stairway_step(history.migrations_dir, dsn, revision)
            results.append(result)
            if not result.ok:
                break
    return VerifyReport(tuple(results))


def stairway_step(migrations_dir: Path, dsn: str, revision: Revision) -> StepResult:
    """Upgrade to ``revision``, downgrade to its parent, upgrade again."""
    actions = (lambda: upgrade(migrations_dir, dsn, revision.id),
               lambda: downgrade(migrations_dir, dsn, revision.down or "base"),
               lambda: upgrade(migrations_dir, dsn, revision.id))
    passed: list[str] = []
    for step, action in zip(STEPS, actions):
        try:
            action()
        except Exception as exc:  # any failure of a migration is reported, with the revision named
            return StepResult(revision, tuple(passed), step, scrub(_first_line(exc), dsn))
        passed.append(step)
    return StepResult(revision, tuple(passed))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _progress(items, enabled: bool):
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc="verifying revisions", unit="rev")


def require_ok(report: VerifyReport) -> None:
    """Raise a clear error naming the failing revision, if any."""
    failure = report.failure
    if failure:
        raise WorkbenchError(f"revision {failure.revision.id} failed at {failure.failed_step}: {failure.error}",
                             where=str(failure.revision.path),
                             hint="fix the revision's SQL (its downgrade must undo its upgrade)")
