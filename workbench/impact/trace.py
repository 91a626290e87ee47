"""``trace()``: run a migration statement by statement in a transaction that is always rolled
back, and measure what each statement did to the locks, the storage and the reads of the
database it ran on. How each fact is read is described in :mod:`workbench.impact.probe`;
statements a transaction cannot hold are described in :mod:`workbench.impact.documented`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pglast
import psycopg
from pglast import ast
from pglast.enums import TransactionStmtKind

from ..drafts.sqltext import Position, check_sql
from ..session import connection_of, rolled_back
from .alone import with_hidden_locks
from .documented import Untraceable, refused, untraceable
from .model import Lock, StatementTrace
from .probe import Snapshot, change, snapshot, table_sizes
from .report import Trace, first_line
from .running import (NOT_IN_TRANSACTION, TraceError, first_message, run_timed, set_lock_timeout,
                      statement_error)
from .timing import scaled, with_held_times
from .waits import LockWaits, dsn_of

DEFAULT_LOCK_TIMEOUT = "2s"
TRANSACTION_ENDS = {TransactionStmtKind.TRANS_STMT_BEGIN, TransactionStmtKind.TRANS_STMT_START,
                    TransactionStmtKind.TRANS_STMT_COMMIT, TransactionStmtKind.TRANS_STMT_ROLLBACK,
                    TransactionStmtKind.TRANS_STMT_PREPARE}


@dataclass(frozen=True)
class Piece:
    """One statement of the migration: its number, SQL, place and kind (``AlterTableStmt``)."""

    number: int
    sql: str
    line: int
    column: int
    kind: str


def trace(target, draft_or_sql, *, production_rows: dict[str, int] | None = None,
          lock_timeout: str | float = DEFAULT_LOCK_TIMEOUT, squawk: bool = True) -> Trace:
    """Trace ``draft_or_sql`` (a Draft, whose up SQL is traced, or SQL text) on ``target``
    (a Session or connection) in a rolled-back transaction with ``lock_timeout`` set.

    ``production_rows`` (``{"schema.table": rows}``) scales the time of statements that
    rewrite or read those tables by the row ratio, marked as an estimate. ``squawk``: also
    lint the SQL with squawk and say where its verdicts and the trace disagree."""
    text, label = sql_of(draft_or_sql)
    pieces = split(text, label)
    conn = connection_of(target)
    version = conn.info.server_version
    timeout = lock_timeout_text(lock_timeout)
    waits = LockWaits(dsn_of(target, conn), conn.info.backend_pid)
    try:
        with rolled_back(conn):
            set_lock_timeout(conn, timeout)
            first = snapshot(conn)
            production = checked_production_rows(production_rows or {}, first)
            statements, notes = run_all(conn, pieces, version, production, waits, first)
    finally:
        waits.close()
    notes += [waits.problem] if waits.problem else []
    statements = with_held_times(statements)
    statements, unseen = with_hidden_locks(conn, statements, timeout)
    statements = with_held_times(statements)
    notes += unseen
    squawk_note = "squawk was not asked to run"
    if squawk:
        statements, squawk_note = with_squawk(statements, text, version)
    return Trace(tuple(statements), conn.info.dbname, version, timeout, squawk_note, tuple(notes),
                 tuple(sorted(production.items())))


def sql_of(draft_or_sql) -> tuple[str, str]:
    """The SQL text to trace and how errors name it."""
    up = getattr(draft_or_sql, "up", None)
    if isinstance(up, str):
        return up, f"up SQL of Draft {draft_or_sql.title!r}"
    if isinstance(draft_or_sql, str):
        return draft_or_sql, "migration SQL"
    raise TraceError(f"cannot trace a {type(draft_or_sql).__name__}",
                     hint="give SQL text or a Draft")


def split(text: str, label: str) -> list[Piece]:
    """The statements of ``text`` with their places (a syntax error names its line)."""
    pieces = []
    for raw in check_sql(text, label):
        start = raw.stmt_location or 0
        end = start + raw.stmt_len if raw.stmt_len else len(text)
        body = text[start:end]
        start += len(body) - len(body.lstrip())
        place = Position.of(text, start)
        pieces.append(Piece(len(pieces) + 1, body.strip(), place.line, place.column,
                            type(raw.stmt).__name__))
    if not pieces:
        raise TraceError(f"the {label} has no statements", hint="give at least one SQL statement")
    return pieces


def lock_timeout_text(value: str | float) -> str:
    """A PostgreSQL duration for ``lock_timeout``: text as given, numbers in seconds."""
    if isinstance(value, (int, float)):
        return f"{round(value * 1000)}ms"
    return str(value)


def checked_production_rows(rows: dict[str, int], first: Snapshot) -> dict[str, int]:
    """``rows`` when each key names an existing table and each value is a positive count."""
    tables = {r.qualified for r in first.relations.values() if r.kind == "table"}
    for name, value in rows.items():
        if name not in tables:
            raise TraceError(f"production_rows names no table of this database: {name!r}",
                             hint="name tables as schema.table, e.g. {'nursery.orders': 12_000_000}")
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise TraceError(f"production_rows[{name!r}] must be a positive row count, not {value!r}")
    return dict(rows)


def run_all(conn, pieces: list[Piece], version: int, production: dict[str, int], waits: LockWaits,
            first: Snapshot) -> tuple[list[StatementTrace], list[str]]:
    """Each statement traced (or described), in order; notes on the trace as a whole. The
    snapshot after one statement is the one before the next: nothing runs in between."""
    statements, notes, created, current = [], [], set(), first
    for piece in pieces:
        (raw,) = check_sql(piece.sql)
        if isinstance(raw.stmt, ast.TransactionStmt):
            statements.append(transaction_control(piece, raw.stmt))
            continue
        described = untraceable(raw.stmt, version)
        if described is None:
            result, current = run_traced(conn, piece, current, created, production, waits)
            if isinstance(result, StatementTrace):
                statements.append(result)
                created |= set(result.created)
                continue
            described = result
        statements.append(run_untraced(conn, piece, described))
        current = snapshot(conn)
        if described.stand_in and piece.number < len(pieces):
            notes.append(f"statement {piece.number} ran as its stand-in, whose locks stay held "
                         "for the rest of the trace: a later statement asking for a lock the "
                         "stand-in took (same relation, same mode) is not seen taking it")
    return statements, notes


def transaction_control(piece: Piece, stmt) -> StatementTrace:
    return StatementTrace(piece.number, piece.sql, piece.line, "TransactionStmt", False,
                          reason="transaction control: the trace runs every statement in one "
                                 "transaction of its own and rolls it back",
                          ends_transaction=stmt.kind in TRANSACTION_ENDS)


def run_traced(conn, piece: Piece, before: Snapshot, created: set[str], production: dict[str, int],
               waits: LockWaits) -> tuple[StatementTrace | Untraceable, Snapshot]:
    """Run one statement after the ``before`` snapshot; what it did (or why it cannot be
    traced) and the snapshot after it."""
    try:
        with waits.watching() as waited:
            seconds = run_timed(conn, piece.sql)
    except psycopg.Error as exc:
        if exc.sqlstate == NOT_IN_TRANSACTION:  # its savepoint is rolled back: nothing changed
            return refused(first_message(exc)), before
        raise statement_error(piece.number, place(piece), exc) from None
    after = snapshot(conn)
    wait_ms = min(waited[0], seconds) * 1000
    return measured(piece, before, after, created, seconds * 1000 - wait_ms, wait_ms, production), after


def altered_first(sql: str, tables: list[str]) -> tuple[str, ...]:
    """``tables`` (by name) with the one the ALTER TABLE changes first: the table whose
    constraint is validated, then those it reads to do so (a foreign key's referenced table)."""
    relation = getattr(pglast.parse_sql(sql)[0].stmt, "relation", None)

    def altered(table: str) -> bool:
        schema, _, name = table.rpartition(".")
        return (relation is not None and name == relation.relname
                and relation.schemaname in (None, schema))

    return tuple(sorted(tables, key=lambda table: (not altered(table), table)))


def measured(piece: Piece, before: Snapshot, after: Snapshot, created: set[str], work_ms: float,
             wait_ms: float, production: dict[str, int]) -> StatementTrace:
    """The statement's trace from the snapshots around it and its time."""
    found = change(before, after)
    tables = table_of(before, after)
    new = created | set(found.created)
    locks = tuple(Lock(name, mode, found.kinds.get(name, "relation"), name in new, table=tables.get(name))
                  for name, mode in found.locks)
    validated = (altered_first(piece.sql, [t for t in found.scanned if t not in found.rewritten])
                 if piece.kind == "AlterTableStmt" else ())
    touched = {tables.get(name, name) for name in (*found.rewritten, *found.scanned)}
    rows_here = {r.qualified: r.rows for r in before.relations.values()}
    duration, scaling, note = scaled(work_ms, touched, rows_here, production)
    owners = {name: tables[name] for name in (*found.rewritten, *(n for n, _ in found.locks))
              if name in tables}
    return StatementTrace(piece.number, piece.sql, piece.line, piece.kind, True, locks,
                          found.rewritten, validated, found.scanned, found.created, found.dropped,
                          work_ms, wait_ms, duration, scaling=scaling,
                          sizes=table_sizes(before, [lock.relation for lock in locks]),
                          scans_measured=found.counting, owners=owners, notes=(note,) if note else ())


def run_untraced(conn, piece: Piece, described: Untraceable) -> StatementTrace:
    """A statement described by the documentation; its stand-in run so later ones see the
    schema they expect."""
    locks = tuple(documented_lock(conn, lock) for lock in described.locks)
    stand_in_ms = None
    if described.stand_in:
        try:
            stand_in_ms = run_timed(conn, described.stand_in) * 1000
        except psycopg.Error as exc:
            raise statement_error(piece.number, place(piece), exc) from None
    return StatementTrace(piece.number, piece.sql, piece.line, piece.kind, False, locks,
                          reason=described.reason, source=described.source,
                          stand_in=described.stand_in, stand_in_ms=stand_in_ms)


def documented_lock(conn, lock) -> Lock:
    """A documented lock with its relation resolved to ``schema.name`` where it exists (an
    index's table when the statement names an index)."""
    if not lock.named:  # a description such as "every table of the database"
        return Lock(lock.relation, lock.mode, documented=True)
    query = RESOLVE_INDEX_TABLE if lock.index else RESOLVE_RELATION
    try:
        with conn.transaction():
            row = conn.execute(query, (lock.relation,)).fetchone()
    except psycopg.Error:
        row = None
    return Lock(row[0] if row and row[0] else lock.relation, lock.mode, documented=True)


RESOLVE_RELATION = """
SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.oid = to_regclass(%s)"""
RESOLVE_INDEX_TABLE = """
SELECT n.nspname || '.' || t.relname FROM pg_index x
  JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE x.indexrelid = to_regclass(%s)"""


def table_of(before: Snapshot, after: Snapshot) -> dict[str, str]:
    """Each index's table, by qualified name."""
    result = {}
    for snap in (after, before):
        for r in snap.relations.values():
            owner = snap.relations.get(r.table) if r.table else None
            if owner:
                result[r.qualified] = owner.qualified
    return result


def place(piece: Piece) -> str:
    return f"statement {piece.number}, line {piece.line}: {first_line(piece.sql)}"


def with_squawk(statements: list[StatementTrace], text: str,
                version: int) -> tuple[list[StatementTrace], str]:
    """Each statement with squawk's rules on it and where they disagree with the trace."""
    from .static import disagreements, squawk_rules

    run, rules = squawk_rules(text, version)
    if not run.available:
        return statements, run.problem or "squawk did not run"
    return [replace(s, squawk_rules=rules.get(s.number, ()),
                    disagreements=disagreements(s, rules.get(s.number, ()))) for s in statements], \
        "squawk ran on the same SQL"
