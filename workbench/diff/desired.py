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
    (an admin DSN; default: the embedded server) and inspected; the database is dropped.

    The SQL runs in one transaction with function bodies unchecked (as ``pg_dump`` output
    expects); its own ``BEGIN``/``COMMIT`` lines are left out, as they would end that
    transaction half-way."""
    from .proof import admin_dsn

    with fresh_database(admin_dsn(server)) as dsn, \
            psycopg.connect(dsn, autocommit=True) as conn:
        try:
            with conn.transaction():
                conn.execute("SET LOCAL check_function_bodies = off")
                apply(conn, without_transaction_control(sql), label)
        except DryRunError as exc:
            raise WorkbenchError(exc.what, where=exc.where,
                                 hint="fix the SQL; it ran on a throwaway database") from None
        return inspect(conn, schemas=schemas)


def without_transaction_control(sql: str) -> str:
    """``sql`` without its ``BEGIN``, ``COMMIT``, ``ROLLBACK`` and savepoint statements."""
    import pglast
    from pglast import ast

    from ..drafts.sqltext import statements

    kept = []
    for piece in statements(sql):
        parsed = pglast.parse_sql(piece)
        if not all(isinstance(raw.stmt, ast.TransactionStmt) for raw in parsed):
            kept.append(piece.rstrip().rstrip(";") + ";")
    return "\n".join(kept)


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


def from_head(migrations_dir=None, *, server: str | None = None, target: str = "head",
              schemas=None) -> Schema:
    """The schema the migration history builds: its revisions up to ``target`` applied to a
    throwaway database on ``server`` (default: the embedded server), then inspected."""
    from ..migrations import default_migrations_dir, upgrade
    from .proof import admin_dsn

    folder = Path(migrations_dir) if migrations_dir else default_migrations_dir()
    if not folder.is_dir():
        raise WorkbenchError(f"no migrations folder at {folder}",
                             hint="pass the folder of the Alembic history (--dir)")
    with fresh_database(admin_dsn(server)) as dsn:
        upgrade(folder, dsn, target)
        with psycopg.connect(dsn, autocommit=True) as conn:
            return inspect(conn, schemas=schemas)


def from_metadata(metadata, *, extra_sql: str = "", server: str | None = None, schemas=None) -> Schema:
    """The schema SQLAlchemy models describe: ``metadata.create_all`` on a throwaway database,
    then ``extra_sql`` for what models cannot say (RLS, policies, grants, functions)."""
    import sqlalchemy

    from .proof import admin_dsn

    with fresh_database(admin_dsn(server)) as dsn:
        engine = sqlalchemy.create_engine(sqlalchemy_url(dsn), poolclass=sqlalchemy.pool.NullPool)
        try:
            with engine.begin() as conn:
                for name in sorted({t.schema for t in metadata.tables.values() if t.schema}):
                    conn.execute(sqlalchemy.schema.CreateSchema(name, if_not_exists=True))
                metadata.create_all(conn)
        except sqlalchemy.exc.SQLAlchemyError as exc:
            raise WorkbenchError(f"the models could not be created: {str(exc).splitlines()[0]}",
                                 hint="fix the model; it ran on a throwaway database") from None
        finally:
            engine.dispose()
        with psycopg.connect(dsn, autocommit=True) as conn:
            if extra_sql.strip():
                try:
                    with conn.transaction():
                        apply(conn, extra_sql, "the extra SQL")
                except DryRunError as exc:
                    raise WorkbenchError(exc.what, where=exc.where, hint="fix the extra SQL") from None
            return inspect(conn, schemas=schemas)


def sqlalchemy_url(dsn: str) -> str:
    """A SQLAlchemy URL (psycopg 3 driver) for a libpq DSN."""
    from psycopg.conninfo import conninfo_to_dict
    from sqlalchemy.engine import URL

    params = conninfo_to_dict(dsn)
    query = {"host": params.pop("host")} if str(params.get("host", "")).startswith("/") else {}
    return URL.create("postgresql+psycopg", username=params.pop("user", None),
                      password=params.pop("password", None),
                      host=params.pop("host", None) if not query else None,
                      port=int(params.pop("port")) if params.get("port") else None,
                      database=params.pop("dbname", None), query=query).render_as_string(hide_password=False)
