"""``inspect()``: one read-only transaction, a fixed handful of catalog queries, one ``Schema``."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

import psycopg
from psycopg.pq import TransactionStatus

from ..errors import WorkbenchError
from ..session import connection_of, read_only
from .build import build_objects
from .queries import Result, fetch_catalog
from .schema import Schema


def inspect(target, *, schemas: list[str] | str | None = None) -> Schema:
    """Snapshot the user schemas behind ``target`` (a Session or psycopg connection).

    ``schemas`` limits the snapshot to those schemas (default: every schema but
    ``pg_*`` and ``information_schema``). Nothing is written: the queries run in one
    read-only, repeatable-read transaction (or, inside a transaction already open, in a
    savepoint of it, and see its changes).
    """
    if isinstance(schemas, str):
        schemas = [schemas]
    with paused_gc(), clear_lock_errors():
        return snapshot(read_catalog(target, schemas))


def read_catalog(target, schemas: list[str] | None) -> dict[str, Result]:
    """The rows of every catalog query, read in one read-only transaction."""
    nested = connection_of(target).info.transaction_status != TransactionStatus.IDLE
    with read_only(target) as conn, pinned_search_path(conn, restore=nested):
        rows = fetch_catalog(conn, list(schemas) if schemas is not None else None)
    check_schemas(schemas, rows["schemas"])
    return rows


@contextmanager
def pinned_search_path(conn, *, restore: bool):
    """``search_path`` set to ``public`` while the catalog is read: definitions (types,
    defaults, index and view texts) then name every object outside ``public`` with its schema,
    whatever the session's path, so SQL made from them means the same anywhere. The setting
    is local to the transaction; with ``restore`` (a transaction the caller keeps open, such
    as a dry run's) it is put back after."""
    (old,) = conn.execute("SELECT old FROM current_setting('search_path') AS old, "
                          "LATERAL set_config('search_path', 'public', true)").fetchone()
    try:
        yield conn
    finally:
        if restore and conn.info.transaction_status == TransactionStatus.INTRANS:
            conn.execute("SELECT set_config('search_path', %s, true)", (old,))


def snapshot(rows: dict[str, Result]) -> Schema:
    """The ``Schema`` built from the rows of every catalog query."""
    (database,) = rows["database"].records()
    return Schema(database=database["database"], server_version=database["server_version"],
                  server_version_num=database["server_version_num"], objects=build_objects(rows))


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while making the snapshot's many small objects, none of
    which form cycles: collections triggered mid-way would only rescan them, again and again.
    (The catalog rows are freed before it ends, so the one collection after it has fewer
    objects to look at.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def clear_lock_errors() -> Iterator[None]:
    """A WorkbenchError that says what to do when a table is locked (PostgreSQL's functions
    that describe a table wait for a lock another session holds in ACCESS EXCLUSIVE mode)."""
    try:
        yield
    except psycopg.errors.LockNotAvailable:
        raise WorkbenchError(
            "could not inspect: another session holds a table locked (lock_timeout reached)",
            hint="wait for that session's migration or transaction to end, then retry; "
            "pg_locks shows which session holds the lock") from None


def check_schemas(wanted: list[str] | None, found: Result) -> None:
    """A clear error when a schema asked for does not exist."""
    missing = sorted(set(wanted or ()) - {row["name"] for row in found.records()})
    if missing:
        raise WorkbenchError(f"no schema named {', '.join(map(repr, missing))} in this database",
                             hint="check the spelling (names are case-sensitive); "
                             "leave schemas unset to inspect every user schema")
