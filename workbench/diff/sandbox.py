"""``workbench.sandbox(session)``: a throwaway copy of a database to design in.

The copy holds the schema (built by the diff from a snapshot of the original, so it works
while others are connected), or with ``data=True`` the rows too (``CREATE DATABASE …
TEMPLATE``, which PostgreSQL allows only while nobody else is connected to the original).
Run any SQL in it, then ``box.draft("title")`` turns what changed into a proven Draft.
The copy is dropped when the ``with`` block ends.
"""
from __future__ import annotations

import uuid

import psycopg
from psycopg import sql

from ..catalog import Schema, inspect
from ..drafts.dryrun import DryRunError, apply
from ..dsn import with_database
from ..errors import WorkbenchError
from ..session import Session
from .engine import diff_sql
from .model import Migration
from .proof import admin_dsn


class Sandbox:
    """A copy of a database: ``execute`` SQL in it, ``diff`` or ``draft`` what changed
    (in ``schemas`` only, when given)."""

    def __init__(self, original: Schema, dsn: str, server: str, schemas=None, whole: Schema | None = None):
        self.original = original
        self.whole = whole
        self.dsn = dsn
        self.server = server
        self.schemas = schemas
        self.session = Session(dsn)
        self.name = self.session.database

    def __repr__(self) -> str:
        state = "dropped" if self.session.conn.closed else f"database {self.name}"
        return f"<Sandbox of {self.original.database}: {state}>"

    def execute(self, text: str) -> None:
        """Run ``text`` (one or more statements) in the sandbox, committed there; a failing
        statement is a clear error and leaves the sandbox as it was."""
        try:
            with self.session.conn.transaction():
                apply(self.session.conn, text, "the SQL")
        except DryRunError as exc:
            raise WorkbenchError(exc.what, where=exc.where,
                                 hint="fix the statement; the sandbox is unchanged") from None

    @property
    def schema(self) -> Schema:
        """A snapshot of the sandbox now."""
        return inspect(self.session, schemas=self.schemas)

    def diff(self, *, renames: dict | None = None, allow_destructive: bool = False) -> Migration:
        """The migration from the original to the sandbox as it is now."""
        return diff_sql(self.original, self.schema, renames=renames, allow_destructive=allow_destructive)

    def draft(self, title: str, *, renames: dict | None = None, allow_destructive: bool = False,
              rationale: str = ""):
        """What changed in the sandbox as a Draft carrying its proof (see ``Draft.from_diff``)."""
        from ..drafts import Draft

        return Draft.from_diff(self.original, self.schema, title=title, renames=renames,
                               allow_destructive=allow_destructive, rationale=rationale,
                               prove_on=self.server, base=self.whole if self.schemas else None)

    def drop(self) -> None:
        """Close the sandbox's session and drop its database (done at the end of a ``with``)."""
        if not self.session.conn.closed:
            self.session.close()
        drop_database(self.server, self.name)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc) -> None:
        self.drop()


def sandbox(session, *, data: bool = False, schemas=None) -> Sandbox:
    """A throwaway copy of ``session``'s database: use it in a ``with`` block, or call
    ``drop()`` when done (a notebook spreads it over cells). The whole database is copied;
    ``schemas`` limits what ``diff`` and ``draft`` compare."""
    server = admin_dsn(session)
    name = f"wb_sandbox_{uuid.uuid4().hex[:10]}"
    whole = inspect(session)
    create(server, name, whole, session.database if data else None)
    try:
        return Sandbox(inspect(session, schemas=schemas), with_database(server, name), server, schemas, whole)
    except BaseException:
        drop_database(server, name)
        raise


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# Client sessions on a database, other than this one (autovacuum workers are stopped by the copy).
SESSIONS_ON = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = %s AND backend_type = 'client backend' AND pid <> pg_backend_pid()
"""


def create(server: str, name: str, original: Schema, template: str | None) -> None:
    """Create the copy: from ``template`` (rows included) or from the snapshot (schema only)."""
    with psycopg.connect(server, autocommit=True) as conn:
        if template:
            in_use = WorkbenchError(
                f"cannot copy {template} with its rows: other sessions are connected to it",
                hint="close them, or use sandbox(session) without data=True (schema only)")
            # Said at once: PostgreSQL itself waits 5 s for them to leave before it refuses.
            if conn.execute(SESSIONS_ON, [template]).fetchone()[0]:
                raise in_use
            try:
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)))
            except psycopg.errors.ObjectInUse:
                raise in_use from None
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    dsn = with_database(server, name)
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            build = diff_sql(inspect(conn), original, allow_destructive=True)
            with conn.transaction():
                apply(conn, build.up_sql, "building the sandbox")
    except (DryRunError, psycopg.Error) as exc:
        drop_database(server, name)
        message = exc.what if isinstance(exc, DryRunError) else str(exc).strip().splitlines()[0]
        raise WorkbenchError(f"the sandbox could not be built: {message}",
                             hint="report this schema: the diff could not rebuild it") from None
