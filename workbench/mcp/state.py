"""What one server session remembers: its database session, the Drafts made in it (by id),
and each Draft's last dry-run verdict, which decides whether it may be exported or applied."""
from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from pathlib import Path

from ..drafts import Draft
from ..drafts.verdict import Verdict
from ..dsn import with_database
from ..errors import WorkbenchError
from ..session import Session


@dataclass
class Entry:
    """A Draft of this session: its last dry run's verdict (None: not dry-run, or it failed)
    and whether it was applied."""

    draft: Draft
    verdict: Verdict | None = None
    failure: str = ""
    applied: bool = False


class ServerState:
    """The server's session on its one database, and the Drafts made through it.

    ``allow_apply`` is whether apply_migration may write (``--allow-apply``);
    ``migrations_dir`` the Alembic folder (None: the project's ``migrations/``)."""

    def __init__(self, session: Session, *, allow_apply: bool = False,
                 migrations_dir: Path | str | None = None):
        self.session = session
        self.allow_apply = allow_apply
        self.migrations_dir = Path(migrations_dir) if migrations_dir else None
        self.lock = threading.RLock()
        self._entries: dict[str, Entry] = {}
        self._numbers = itertools.count(1)

    @property
    def dsn(self) -> str:
        return self.session.dsn

    @property
    def admin_dsn(self) -> str:
        """The same server's ``postgres`` database: where scratch databases are made."""
        return with_database(self.dsn, "postgres")

    def add(self, draft: Draft) -> str:
        """Keep ``draft``; its new id (``d1``, ``d2`` …)."""
        draft_id = f"d{next(self._numbers)}"
        self._entries[draft_id] = Entry(draft)
        return draft_id

    def entry(self, draft_id: str) -> Entry:
        """The Draft ``draft_id`` of this session, or a clear error naming the known ones."""
        found = self._entries.get(str(draft_id).strip())
        if found is None:
            known = ", ".join(self._entries) or "none yet"
            raise WorkbenchError(f"no Draft {draft_id!r} in this server session", where=f"Drafts: {known}",
                                 hint="make one with draft_migration or draft_from_sql and use the "
                                      "draft_id it returns")
        return found

    def draft(self, draft_id: str) -> Draft:
        return self.entry(draft_id).draft

    def record(self, draft_id: str, verdict: Verdict) -> None:
        """The Draft's latest dry run."""
        entry = self.entry(draft_id)
        entry.verdict, entry.failure = verdict, ""

    def record_failure(self, draft_id: str, problem: str) -> None:
        """The Draft's latest dry run failed to run: any earlier verdict no longer counts."""
        entry = self.entry(draft_id)
        entry.verdict, entry.failure = None, problem

    def proven(self, draft_id: str) -> Entry:
        """The Draft, when its latest dry run in this session passed; else why not."""
        entry = self.entry(draft_id)
        if entry.verdict is None:
            why = f"its last dry run failed: {entry.failure}" if entry.failure else "it was never dry-run"
            raise WorkbenchError(f"Draft {draft_id} is not proven: {why}",
                                 hint=f"run dry_run with draft_id {draft_id!r} first, and fix what it reports")
        if not entry.verdict.passed:
            raise WorkbenchError(f"Draft {draft_id} failed its dry run: {'; '.join(entry.verdict.problems)}",
                                 hint="fix the Draft (make a new one) and dry-run it again")
        return entry

    def cleared_for_apply(self, draft_id: str, current_schema) -> Entry:
        """The Draft, when this server may write (``--allow-apply``), its dry run passed here,
        it was not applied yet, and the schema (``current_schema()``, a snapshot taken last)
        is still the one it was dry-run on."""
        if not self.allow_apply:
            raise WorkbenchError("applying is off: this server was started without --allow-apply, "
                                 "so it writes nothing to the database",
                                 hint="export the Draft as a migration (export_migration) for review; "
                                      "or restart the server with `workbench mcp --allow-apply` on a "
                                      "development database")
        entry = self.proven(draft_id)
        if entry.applied:
            raise WorkbenchError(f"Draft {draft_id} was already applied in this session",
                                 hint="make a new Draft for a further change")
        if current_schema() != entry.verdict.review.dry_run.before:
            raise WorkbenchError(f"the schema changed since Draft {draft_id} was dry-run",
                                 hint=f"run dry_run with draft_id {draft_id!r} again, then apply")
        return entry

    def ids(self) -> list[str]:
        return list(self._entries)
