"""Where one database stands against the history: head, its current revision (from
``alembic_version``), the revisions still to apply, and, when asked, its drift from the
schema the history builds up to that revision."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..dsn import mask_dsn, with_database
from ..migrations import Revision, ScriptHistory, default_migrations_dir, upgrade
from ..session import Session
from .report import Check
from .snapshots import VERSION_TABLE

CURRENT_VERSIONS = f"SELECT version_num FROM {VERSION_TABLE} ORDER BY version_num"


@dataclass(frozen=True)
class MigrationStatus:
    """``current`` revisions of the database (empty: never migrated), ``pending`` ones."""

    database: str
    head: str | None
    current: tuple[str, ...]
    pending: tuple[Revision, ...]
    unknown: tuple[str, ...] = ()
    drift: Check | None = field(default=None)

    @property
    def up_to_date(self) -> bool:
        return not self.pending and not self.unknown and bool(self.current or self.head is None)

    def to_dict(self) -> dict:
        """A JSON-ready form."""
        return {"database": self.database, "head": self.head, "current": list(self.current),
                "up_to_date": self.up_to_date, "unknown": list(self.unknown),
                "pending": [{"revision": r.id, "file": r.path.name} for r in self.pending],
                "drift": self.drift.to_dict() if self.drift else None}

    def text(self) -> str:
        """Aligned lines: database, head, current, pending (and drift)."""
        lines = [f"database  {self.database}", f"head      {self.head or '(empty history)'}",
                 f"current   {', '.join(self.current) or '(never migrated: no alembic_version)'}"]
        lines += [f"unknown   {rev} (not in this history)" for rev in self.unknown]
        lines.append(f"pending   {len(self.pending)} revision(s)" if self.pending else "pending   none")
        lines += [f"          {r.id}  {r.path.name}" for r in self.pending]
        if self.drift:
            lines.append(f"drift     {self.drift.verdict}: {self.drift.detail}")
            lines += [f"          - {item}" for item in self.drift.items]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


def migration_status(dsn: str, migrations_dir: Path | str | None = None, *, drift: bool = False,
                     scratch_dsn: str | None = None) -> MigrationStatus:
    """The status of the database at ``dsn`` against the history in ``migrations_dir``.

    With ``drift=True`` the history is applied to a scratch database (on the server of
    ``scratch_dsn``, default the server of ``dsn``) up to the database's current revision
    (head when it was never migrated), and the two schemas are compared.
    """
    history = ScriptHistory(Path(migrations_dir) if migrations_dir else default_migrations_dir())
    revisions = history.revisions()
    with Session(dsn) as session:
        current = current_revisions(session)
    known = {r.id for r in revisions}
    status = MigrationStatus(mask_dsn(dsn), history.single_head(), current,
                             pending_after(revisions, current), tuple(c for c in current if c not in known))
    if not drift:
        return status
    target = current[0] if len(current) == 1 and current[0] in known else "head"
    check = drift_at(history.migrations_dir, dsn, target, scratch_dsn or with_database(dsn, "postgres"))
    return replace(status, drift=check)


def current_revisions(session: Session) -> tuple[str, ...]:
    """The revisions recorded in the database's ``alembic_version`` (none: never migrated)."""
    with session.read_only() as conn:
        if conn.execute("SELECT to_regclass(%s)", [VERSION_TABLE]).fetchone()[0] is None:
            return ()
        return tuple(row[0] for row in conn.execute(CURRENT_VERSIONS).fetchall())


def pending_after(revisions: list[Revision], current: tuple[str, ...]) -> tuple[Revision, ...]:
    """The revisions after the current one (all of them for a database never migrated)."""
    ids = [r.id for r in revisions]
    applied = [ids.index(c) for c in current if c in ids]
    start = max(applied) + 1 if applied else (0 if not current else len(ids))
    return tuple(revisions[start:])


def drift_at(migrations_dir: Path, dsn: str, target: str, scratch_admin: str) -> Check:
    """Build the history up to ``target`` on a scratch database and compare it with ``dsn``."""
    from ..testing import scratch_database
    from .head import drift_check
    from .snapshots import snapshot

    with scratch_database(scratch_admin, prefix="wb_status") as scratch:
        upgrade(migrations_dir, scratch, target)
        with Session(scratch) as session:
            built = snapshot(session)
    return drift_check(built, dsn, against=f"the schema at revision {target}")
