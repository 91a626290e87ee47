"""Where a schema to diff comes from: a database, SQL text or a ``.sql`` file applied to a
throwaway database, SQLAlchemy models, or the head of a migration history."""
from __future__ import annotations

from pathlib import Path

import psycopg

from ..catalog import Schema, inspect
from ..drafts.dryrun import DryRunError, apply
from ..errors import WorkbenchError
from .scratch import fresh_database


def from_dsn(dsn: str, schemas=None) -> Schema:
    """The schema of the database at ``dsn``."""
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            return inspect(conn, schemas=schemas)
    except psycopg.OperationalError as exc:
        from ..dsn import mask_dsn

        raise WorkbenchError(f"cannot connect to {mask_dsn(dsn)}: {str(exc).strip().splitlines()[0]}",
                             hint="check the connection string and that the server runs") from None


def from_sql(sql: str, *, server: str | None = None, schemas=None, label: str = "the SQL") -> Schema:
    """The schema that ``sql`` creates, applied to a fresh throwaway database on ``server``
    (an admin DSN; default: the embedded server) and inspected; the database is dropped."""
    from .proof import admin_dsn

    with fresh_database(admin_dsn(server)) as dsn, \
            psycopg.connect(dsn, autocommit=True) as conn:
        try:
            with conn.transaction():
                apply(conn, sql, label)
        except DryRunError as exc:
            raise WorkbenchError(exc.message, where=exc.where,
                                 hint="fix the SQL; it ran on a throwaway database") from None
        return inspect(conn, schemas=schemas)


def from_file(path, **options) -> Schema:
    """The schema a ``.sql`` file creates (see :func:`from_sql`)."""
    path = Path(path)
    if not path.is_file():
        raise WorkbenchError(f"no such SQL file: {path}", hint="give the path of a .sql file")
    return from_sql(path.read_text(), label=str(path), **options)


def from_source(source: str, *, server: str | None = None, schemas=None) -> Schema:
    """A ``.sql`` file path or a DSN, as the CLI's ``--from`` / ``--to`` take them."""
    if source.endswith(".sql") or Path(source).is_file():
        return from_file(source, server=server, schemas=schemas)
    return from_dsn(source, schemas=schemas)
