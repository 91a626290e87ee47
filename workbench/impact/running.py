"""Running statements inside the trace's transaction: each in a savepoint, timed, with
``lock_timeout`` set, and failures turned into clear errors."""
from __future__ import annotations

import time

import psycopg

from ..errors import WorkbenchError

NOT_IN_TRANSACTION = "25001"  # active_sql_transaction: "cannot run inside a transaction block"
LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"  # statement_timeout, or a cancel request


class TraceError(WorkbenchError):
    """A statement could not be traced (it failed, or waited too long for a lock); nothing
    was changed."""


def set_lock_timeout(conn: psycopg.Connection, timeout: str) -> None:
    """``lock_timeout`` for the rest of the open transaction."""
    try:
        with conn.transaction():
            conn.execute("SELECT set_config('lock_timeout', %s, true)", (timeout,))
    except psycopg.errors.InvalidParameterValue as exc:
        raise TraceError(f"bad lock_timeout {timeout!r}: {first_message(exc)}",
                         hint="give a duration PostgreSQL reads, such as '2s' or '500ms'") from None


def run_timed(conn: psycopg.Connection, sql: str) -> float:
    """Run ``sql`` in a savepoint; its wall time in seconds."""
    with conn.transaction():
        started = time.perf_counter()
        conn.execute(sql)
        return time.perf_counter() - started


def first_message(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def statement_error(number: int, where: str, exc: psycopg.Error) -> TraceError:
    """The error for statement ``number`` (placed by ``where``) that PostgreSQL refused."""
    if exc.sqlstate == LOCK_NOT_AVAILABLE:
        return TraceError(f"statement {number} waited longer than lock_timeout for a lock: "
                          f"another session holds a conflicting lock ({first_message(exc)})",
                          where=where, hint="nothing was changed; trace again when that session is "
                                            "done, or give a longer lock_timeout")
    if exc.sqlstate == QUERY_CANCELED:
        return TraceError(f"statement {number} was stopped before it finished ({first_message(exc)})",
                          where=where, hint="nothing was changed; on a large table, connect with a longer "
                                            "statement_timeout (workbench.Settings) or trace it on a "
                                            "smaller copy and give production_rows")
    return TraceError(f"statement {number} failed: {first_message(exc)}", where=where,
                      hint="fix the statement; nothing was changed (the trace rolls back)")
