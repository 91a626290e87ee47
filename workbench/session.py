"""One database connection with the workbench's safety settings.

Every connection sets ``statement_timeout``, ``lock_timeout`` and ``application_name``.
The connection runs in autocommit mode; work that reads opens a read-only transaction
(:meth:`Session.read_only`), work that tries a change opens one that is always rolled back
(:meth:`Session.rolled_back`).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import psycopg
from psycopg.pq import TransactionStatus

from .dsn import mask_dsn, scrub
from .errors import WorkbenchError

APPLICATION_NAME = "schema-workbench"


@dataclass(frozen=True)
class Settings:
    """Timeouts every workbench connection sets (PostgreSQL interval strings)."""

    statement_timeout: str = "60s"
    lock_timeout: str = "5s"
    application_name: str = APPLICATION_NAME

    def options(self) -> str:
        return (
            f"-c statement_timeout={self.statement_timeout} "
            f"-c lock_timeout={self.lock_timeout}"
        )


class Session:
    """A connection to one database, safe by default.

    ``conn`` is the underlying :class:`psycopg.Connection` (autocommit).
    """

    def __init__(self, dsn: str, settings: Settings | None = None):
        self.dsn = dsn
        self.settings = settings or Settings()
        self.conn = open_connection(dsn, self.settings)

    def __repr__(self) -> str:
        state = "closed" if self.conn.closed else f"db={self.database!r}"
        return f"<Session {mask_dsn(self.dsn)} {state}>"

    @property
    def database(self) -> str:
        return self.conn.info.dbname

    @property
    def server_version(self) -> int:
        """The server's version as an integer, e.g. 180006."""
        return self.conn.info.server_version

    @contextmanager
    def read_only(self) -> Iterator[psycopg.Connection]:
        """A read-only transaction; nothing in it can write."""
        with read_only(self.conn) as conn:
            yield conn

    @contextmanager
    def rolled_back(self) -> Iterator[psycopg.Connection]:
        """A transaction that is always rolled back, whatever happens inside."""
        with rolled_back(self.conn) as conn:
            yield conn

    def reconnect(self) -> None:
        """Replace a broken or closed connection with a fresh one."""
        if not self.conn.closed:
            self.conn.close()
        self.conn = open_connection(self.dsn, self.settings)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_connection(dsn: str, settings: Settings) -> psycopg.Connection:
    """Connect with the safety settings, turning failures into a clear error."""
    try:
        return psycopg.connect(
            dsn,
            autocommit=True,
            application_name=settings.application_name,
            options=settings.options(),
            connect_timeout=10,
        )
    except psycopg.OperationalError as exc:
        raise WorkbenchError(
            f"could not connect to PostgreSQL: {scrub(str(exc).strip(), dsn)}",
            where=mask_dsn(dsn),
            hint="check the DSN (argument or WORKBENCH_DSN) and that the server is running; "
            "leave both unset to use the embedded demo server",
        ) from None


def connection_of(target) -> psycopg.Connection:
    """The psycopg connection behind a :class:`Session` or a raw connection."""
    return target.conn if isinstance(target, Session) else target


@contextmanager
def read_only(conn: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """A read-only, repeatable-read transaction on ``conn`` (a Session or psycopg connection).

    Inside a transaction already open (a dry run's, which is rolled back anyway) it is a
    savepoint of that transaction, which sees the transaction's own changes.
    """
    conn = connection_of(conn)
    if conn.info.transaction_status != TransactionStatus.IDLE:
        with conn.transaction():
            yield conn
        return
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield conn


@contextmanager
def rolled_back(conn: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """A transaction on ``conn`` that is always rolled back."""
    conn = connection_of(conn)
    with conn.transaction(force_rollback=True):
        yield conn
