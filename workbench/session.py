"""One database connection with the workbench's safety settings.

Every connection sets ``statement_timeout``, ``lock_timeout`` and ``application_name``.
The connection runs in autocommit mode; work that reads opens a read-only transaction
(:meth:`Session.read_only`), work that tries a change opens one that is always rolled back
(:meth:`Session.rolled_back`).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterator

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.pq import TransactionStatus

from .dsn import MASK, mask_dsn, scrub
from .errors import WorkbenchError

APPLICATION_NAME = "schema-workbench"
EMBEDDED_SOCKET = (".workbench", "pgdata")  # the folder workbench.embedded's server listens in
LOCAL_SOCKET = "a local socket"


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
        """``<Session database nursery · user postgres · embedded PostgreSQL 18>``: no local path
        (socket folders, data directories) and no password."""
        if self.conn.closed:
            return f"<Session {describe_dsn(self.dsn)} (closed)>"
        return f"<Session {describe_dsn(self.dsn, self.server_version)}>"

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


def describe_dsn(dsn: str, server_version: int | None = None) -> str:
    """``dsn`` as a person reads it, free of local paths: the database, the user, a masked
    password, and the server (``embedded PostgreSQL 18``, ``PostgreSQL 15 on a local socket``,
    ``PostgreSQL 16 at db.example.com:5432``). Other parameters (SSL files…) are left out."""
    try:
        params = conninfo_to_dict(dsn)
    except Exception:
        return "<unparsable DSN hidden>"
    parts = [f"{label} {params[key]}" for key, label in (("dbname", "database"), ("user", "user"))
             if params.get(key)]
    if params.get("password"):
        parts.append(f"password {MASK}")
    product = f"PostgreSQL {server_version // 10000}" if server_version else "PostgreSQL"
    return " · ".join([*parts, describe_server(params.get("host", ""), params.get("port", ""), product)])


def describe_server(host: str, port: str, product: str) -> str:
    """Where the server of ``host`` and ``port`` (libpq values, lists allowed) is, with unix
    socket folders named ``a local socket`` and the embedded server named as such."""
    hosts = host.split(",")
    ports = port.split(",") if port else [""] * len(hosts)
    if len(ports) == 1:
        ports *= len(hosts)
    if all(is_socket(h) for h in hosts):
        if len(hosts) == 1 and PurePosixPath(hosts[0]).parts[-2:] == EMBEDDED_SOCKET:
            return f"embedded {product}"
        other_ports = sorted({p for p in ports if p and p != "5432"})
        return f"{product} on {LOCAL_SOCKET}" + "".join(f", port {p}" for p in other_ports)
    places = [LOCAL_SOCKET if is_socket(h) else f"{h}:{p}" if p else h for h, p in zip(hosts, ports)]
    return f"{product} at {','.join(places)}"


def is_socket(host: str) -> bool:
    """Whether a libpq host names a unix socket folder (or is empty: the default socket)."""
    return not host or host.startswith(("/", "@"))


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
