"""Where the Drafts of a review come from, outside a notebook: exported revision files,
SQL files, or the revisions the database has not applied yet."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..drafts import Draft
from ..errors import WorkbenchError
from ..export import from_revision


@dataclass(frozen=True)
class Sources:
    """The Drafts to review, where each came from, and whether the database holds them."""

    drafts: tuple[Draft, ...]
    names: tuple[str, ...]
    applied: bool | None


def draft_from_revision(path: Path | str) -> Draft:
    """The Draft an exported revision carries (``UP_SQL``/``DOWN_SQL``, title from its docstring)."""
    return from_revision(path)


def draft_from_sql(path: Path | str) -> Draft:
    """A Draft from ``NAME.sql`` or ``NAME.up.sql``, its down SQL from ``NAME.down.sql``
    beside it when there is one; the title comes from the file name."""
    path = Path(path)
    try:
        up = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorkbenchError(f"cannot read the SQL file: {exc.strerror}", where=str(path)) from None
    stem = path.name.removesuffix(".sql").removesuffix(".up")
    down_path = path.with_name(stem + ".down.sql")
    down = down_path.read_text(encoding="utf-8") if down_path.is_file() else ""
    title = stem.replace("_", " ").strip() or path.name
    return Draft(title, up, down if has_statements(down) else "",
                 irreversible="" if has_statements(down) else f"no down SQL beside {path.name}")


def has_statements(sql: str) -> bool:
    from ..drafts.sqltext import check_sql

    return bool(sql.strip()) and bool(check_sql(sql))


def pending_or_newest(dsn: str, migrations_dir: Path | None) -> tuple[list[Path], bool | None]:
    """The revisions the database has not applied yet (applied: False); when none, the
    newest one (True); for a database without Alembic's version table, the newest one
    (None: the dry run finds out whether it is applied)."""
    from ..migrations import ScriptHistory, default_migrations_dir
    from ..verify import migration_status

    revisions = ScriptHistory(migrations_dir or default_migrations_dir()).revisions()
    if not revisions:
        raise WorkbenchError("nothing to review: the migration history is empty",
                             hint="pass --draft-file F.sql or --revision PATH")
    status = migration_status(dsn, migrations_dir)
    if not status.current:
        return [revisions[-1].path], None
    if status.pending:
        return [r.path for r in status.pending], False
    return [revisions[-1].path], True


def collect(dsn: str, sql_files: Sequence[str], revisions: Sequence[str],
            migrations_dir: Path | None) -> Sources:
    """The Drafts of the CLI's options (SQL files, then revisions), or by default the
    pending revisions. SQL files are changes not yet applied."""
    paths = [Path(p) for p in revisions]
    if not sql_files and not paths:
        paths, applied = pending_or_newest(dsn, migrations_dir)
    elif paths:
        applied = revisions_applied(dsn, paths, migrations_dir)
        if sql_files and applied is not False:
            applied = False if applied is None else refuse_mix()
    else:
        applied = False
    drafts = [draft_from_sql(p) for p in sql_files] + [draft_from_revision(p) for p in paths]
    names = [Path(p).name for p in sql_files] + [p.name for p in paths]
    return Sources(tuple(drafts), tuple(names), applied)


def refuse_mix():
    raise WorkbenchError("the revisions given are applied to the database, the SQL files are not",
                         hint="review the applied revisions and the new SQL files separately")


def revisions_applied(dsn: str, paths: list[Path], migrations_dir: Path | None) -> bool | None:
    """Whether the database holds the revision files given: all of them (True), none
    (False), unknown (None) for a database without Alembic's version table or files
    outside the history. A mix is
    refused, as one dry run cannot measure both."""
    from ..verify import migration_status

    from ..migrations import ScriptHistory, default_migrations_dir

    status = migration_status(dsn, migrations_dir)
    given = {p.resolve() for p in paths}
    history = ScriptHistory(migrations_dir or default_migrations_dir()).revisions()
    if not status.current or not given <= {r.path.resolve() for r in history}:
        return None
    pending = given & {r.path.resolve() for r in status.pending}
    if pending and pending != given:
        raise WorkbenchError("some of these revisions are applied to the database and some are not",
                             hint="review the applied and the pending revisions separately")
    return not pending
