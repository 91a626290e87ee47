"""``export()``: approved Drafts become one Alembic revision file (and, optionally, its SQL)."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from ..drafts import Draft
from ..errors import WorkbenchError
from ..migrations import ScriptHistory, default_migrations_dir
from .chain import check_single_head, current_head
from .content import RevisionContent, revision_content
from .files import folder_lock, remove_all, write_together
from .reading import find_exported
from .render import render_revision


def export(drafts: Draft | Sequence[Draft], migrations_dir: Path | str | None = None, *,
           title: str | None = None, accepted: Iterable = (), sql_files: bool = False,
           now: datetime | None = None) -> Path:
    """Write approved Drafts as one revision in ``<migrations_dir>/versions``; return its path.

    ``drafts`` is one Draft or several, applied in order (the downgrade undoes them in
    reverse order); ``title`` names a revision of several (default: their titles).
    ``accepted`` lists the safety findings the reviewer accepted, shown in the header with
    the Drafts' notes. ``sql_files=True`` also writes ``<stem>.up.sql`` and ``<stem>.down.sql``.
    Exporting the same content again returns the existing revision; export never
    overwrites, writes atomically, and refuses to leave the history with two heads.
    """
    content = revision_content(drafts, title, accepted)
    folder = Path(migrations_dir) if migrations_dir else default_migrations_dir()
    history = ScriptHistory(folder)
    with folder_lock(history.versions_dir):
        existing = find_exported(content.content_hash, history.versions_dir)
        if existing:
            if sql_files:
                write_missing_sql(existing, content)
            return existing
        return write_revision(history, content, sql_files, now)


def write_revision(history: ScriptHistory, content: RevisionContent, sql_files: bool,
                   now: datetime | None) -> Path:
    """Write the revision chained to the current head, then make sure it is the only head."""
    head = current_head(history)
    refuse_taken_id(history, content)
    created = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    path = history.versions_dir / f"{created:%Y%m%d%H%M%S}_{content.slug}.py"
    files = sql_texts(path, content) if sql_files else {}
    files[path] = render_revision(content, head, created)
    written = write_together(files)
    try:
        check_single_head(history.migrations_dir)
    except WorkbenchError:
        remove_all(written)  # another revision arrived meanwhile: leave the history as it was
        raise
    return path


def sql_texts(path: Path, content: RevisionContent) -> dict[Path, str]:
    """The plain SQL files next to revision ``path``: ``<stem>.up.sql`` and ``<stem>.down.sql``."""
    return {path.with_name(f"{path.stem}.up.sql"): content.up_sql,
            path.with_name(f"{path.stem}.down.sql"): content.down_sql}


def write_missing_sql(path: Path, content: RevisionContent) -> None:
    """Add the SQL files of an already exported revision where they are missing."""
    missing = {p: text for p, text in sql_texts(path, content).items() if not p.exists()}
    write_together(missing)


def refuse_taken_id(history: ScriptHistory, content: RevisionContent) -> None:
    """A revision id already used by other content (a hash prefix clash) is refused."""
    if content.revision_id in {r.id for r in history.revisions()}:
        raise WorkbenchError(f"revision id {content.revision_id} is already used by another revision",
                             where=str(history.versions_dir),
                             hint="change the title slightly and export again")
