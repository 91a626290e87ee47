"""Run EXPLAIN safely and return a :class:`Plan`.

- Plain EXPLAIN runs in a read-only transaction (a rolled-back savepoint when a transaction is
  already open, e.g. a what-if session's): nothing can be written.
- ``analyze=True`` executes the statement inside a transaction that is always rolled back, so
  an UPDATE or DELETE changes nothing.
- ``$1``-style parameters without values get a *generic plan*, the one a prepared statement
  uses for any value: ``EXPLAIN (GENERIC_PLAN)`` on PostgreSQL 16+, else a prepared statement
  explained with ``plan_cache_mode = force_generic_plan``. With ``params=`` the values are
  bound and the plan is the one made for them.
"""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Iterator, Sequence

import psycopg
from psycopg.pq import TransactionStatus

from ..errors import WorkbenchError
from ..session import connection_of, read_only, rolled_back
from .model import Plan
from .parse import plan_from_json
from .statement import Statement, parse_statement

GENERIC_PLAN_VERSION = 160000


def explain(target, sql: str, analyze: bool = False, buffers: bool = True,
            params: Sequence | None = None, *, verbose: bool = True) -> Plan:
    """EXPLAIN ``sql`` on ``target`` (a Session or psycopg connection) and parse the result.

    ``analyze`` runs the statement (rolled back afterwards) and records actual rows, times
    and, with ``buffers``, buffer counts. ``params`` gives values for ``$1``, ``$2`` …
    """
    conn = connection_of(target)
    statement = parse_statement(sql)
    values = check_params(statement, params, analyze)
    version = conn.info.server_version
    generic = bool(statement.param_count) and values is None
    options = explain_options(version, analyze=analyze, buffers=buffers, verbose=verbose)
    try:
        if generic:
            document = generic_plan(conn, statement, options, version)
        else:
            document = run_explain(conn, statement.sql, options, values, analyze)
    except psycopg.Error as exc:
        raise explain_error(exc, statement) from None
    return plan_from_json(document, sql=statement.sql, params=values, generic=generic,
                          server_version=version)


def check_params(statement: Statement, params: Sequence | None, analyze: bool) -> tuple | None:
    """The parameter values as a tuple, checked against the ``$n`` the statement uses."""
    if params is None:
        if statement.param_count and analyze:
            raise WorkbenchError(
                f"the query has parameters ($1 … ${statement.param_count}) and ANALYZE must run it",
                hint="pass values with params=[…] (or --param on the command line), "
                     "or leave ANALYZE off to see the generic plan")
        return None
    values = tuple(params)
    if len(values) != statement.param_count:
        raise WorkbenchError(
            f"the query uses {statement.param_count} parameter(s) but {len(values)} value(s) were given",
            hint="give one value per $n, in order")
    return values


def explain_options(version: int, *, analyze: bool, buffers: bool, verbose: bool) -> list[str]:
    """The EXPLAIN option list for this server version."""
    options = ["FORMAT JSON"]
    if verbose:
        options.append("VERBOSE")
    if version >= 120000:
        options.append("SETTINGS")
    if analyze:
        options += ["ANALYZE", f"BUFFERS {'TRUE' if buffers else 'FALSE'}"]
    return options


def run_explain(conn: psycopg.Connection, sql: str, options: list[str], values: tuple | None,
                analyze: bool):
    """EXPLAIN with the values bound as ``$n`` (a raw cursor: the SQL keeps its ``$n`` and ``%``)."""
    text = f"EXPLAIN ({', '.join(options)}) {sql}"
    with (rolled_back(conn) if analyze else planning(conn)):
        cursor = psycopg.RawCursor(conn)
        cursor.execute(text, values)
        return cursor.fetchone()[0]


def generic_plan(conn: psycopg.Connection, statement: Statement, options: list[str], version: int):
    """The plan made without parameter values, as a prepared statement would reuse it."""
    if version >= GENERIC_PLAN_VERSION:
        return run_explain(conn, statement.sql, [*options, "GENERIC_PLAN"], None, False)
    name = f"workbench_explain_{uuid.uuid4().hex[:12]}"
    with planning(conn):
        conn.execute(f"PREPARE {name} AS {statement.sql}")
        try:
            with conn.transaction():
                conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
                nulls = ", ".join(["NULL"] * statement.param_count)
                return conn.execute(f"EXPLAIN ({', '.join(options)}) EXECUTE {name}({nulls})").fetchone()[0]
        finally:
            deallocate(conn, name)


def deallocate(conn: psycopg.Connection, name: str) -> None:
    """Drop our prepared statement if it still exists (a rollback may have dropped it already)."""
    found = conn.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name]).fetchone()
    if found:
        conn.execute(f"DEALLOCATE {name}")


@contextmanager
def planning(conn: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """A read-only transaction, or a rolled-back savepoint inside a transaction already open."""
    if conn.info.transaction_status == TransactionStatus.IDLE:
        with read_only(conn):
            yield conn
    else:
        with rolled_back(conn):
            yield conn


def explain_error(exc: psycopg.Error, statement: Statement) -> WorkbenchError:
    """A server error during EXPLAIN as a clear message with a hint."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    hint = "fix the query; nothing was changed"
    if "could not determine data type of parameter" in message or "unknown" in message:
        hint = "cast the parameter where its type is not clear from the context, e.g. $1::bigint"
    elif isinstance(exc, psycopg.errors.QueryCanceled):
        hint = "the statement ran past statement_timeout; try without ANALYZE to see the estimated plan"
    elif isinstance(exc, psycopg.errors.LockNotAvailable):
        hint = "another session holds a lock on a table the statement needs; try again later"
    return WorkbenchError(f"EXPLAIN failed: {message}", where=statement.sql[:200], hint=hint)
