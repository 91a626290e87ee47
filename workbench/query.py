"""One read statement, run safely: checked with PostgreSQL's parser to be a single query that
writes nothing, then run in a READ ONLY transaction with the session's timeouts.

Two locks on the same door: the parser refuses anything but one plain query (no INSERT,
UPDATE, DELETE, DDL, ``SELECT … INTO``, ``FOR UPDATE`` or writing ``WITH``), and the READ
ONLY transaction refuses what the parser cannot see (a function that writes, ``nextval``).
Changes go through a Draft instead.
"""
from __future__ import annotations

from dataclasses import dataclass

import psycopg
from pglast import ast
from pglast.visitors import Visitor
from psycopg.pq import TransactionStatus

from .drafts.sqltext import check_sql, statements
from .errors import WorkbenchError
from .session import connection_of, read_only

DEFAULT_MAX_ROWS = 100
CHANGE_HINT = ("only reading is allowed here; propose a change as a Draft (up and down SQL), "
               "dry-run it, then export it (or apply it where that is allowed)")
WRITES = (ast.InsertStmt, ast.UpdateStmt, ast.DeleteStmt, ast.MergeStmt)


@dataclass(frozen=True)
class Rows:
    """The result of a read query: column names, the rows (at most ``max_rows``) and whether
    more rows were left out."""

    sql: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    truncated: bool

    def records(self) -> list[dict]:
        """The rows as dicts, column name to value."""
        return [dict(zip(self.columns, row)) for row in self.rows]

    def summary_text(self) -> str:
        """``3 rows (id, name)``, saying when rows were left out."""
        more = ", more left out" if self.truncated else ""
        return f"{len(self.rows)} row(s){more} ({', '.join(self.columns)})"


class _WriteFinder(Visitor):
    """Collects what in a parse tree would write or lock."""

    def __init__(self):
        self.problems: list[str] = []

    def visit_SelectStmt(self, ancestors, node):
        if node.intoClause is not None:
            self.problems.append("SELECT … INTO creates a table")
        if node.lockingClause:
            self.problems.append("FOR UPDATE / FOR SHARE locks rows")

    def visit_InsertStmt(self, ancestors, node):
        self.problems.append("INSERT writes rows")

    def visit_UpdateStmt(self, ancestors, node):
        self.problems.append("UPDATE writes rows")

    def visit_DeleteStmt(self, ancestors, node):
        self.problems.append("DELETE removes rows")

    def visit_MergeStmt(self, ancestors, node):
        self.problems.append("MERGE writes rows")


def write_problems(node: ast.Node, text: str = "") -> list[str]:
    """Why ``node`` (one parsed statement, written as ``text``) is not a plain read; empty
    when it is."""
    if not isinstance(node, ast.SelectStmt):
        kind = text.split()[0].upper() if text.strip() else type(node).__name__
        return [f"{kind} is not a query (only SELECT, VALUES, TABLE and WITH … SELECT read)"]
    finder = _WriteFinder()
    finder(node)
    return list(dict.fromkeys(finder.problems))


def check_read_statement(sql: str) -> str:
    """``sql`` as the one read statement it must be (its text, without a trailing semicolon);
    a WorkbenchError saying why it is refused otherwise."""
    raws = check_sql(sql, label="the query")
    if len(raws) != 1:
        raise WorkbenchError(f"expected one statement, found {len(raws)}", where=sql.strip()[:80],
                             hint="run one query at a time")
    text = statements(sql)[0]
    problems = write_problems(raws[0].stmt, text)
    if problems:
        raise WorkbenchError(f"refused, this statement is not read-only: {'; '.join(problems)}",
                             where=sql.strip()[:80], hint=CHANGE_HINT)
    return text


def read_query(target, sql: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> Rows:
    """Run the read statement ``sql`` on ``target`` (a Session or psycopg connection) in a
    READ ONLY transaction and return at most ``max_rows`` rows."""
    if max_rows < 1:
        raise WorkbenchError(f"max_rows must be at least 1, not {max_rows}")
    text = check_read_statement(sql)
    conn = connection_of(target)
    if conn.info.transaction_status != TransactionStatus.IDLE:
        raise WorkbenchError("a transaction is already open on this connection",
                             hint="run read queries on an idle session (its own READ ONLY transaction)")
    try:
        with read_only(conn):
            cursor = conn.execute(text)
            columns = tuple(column.name for column in cursor.description or ())
            rows = cursor.fetchmany(max_rows + 1) if cursor.description else []
    except psycopg.Error as exc:
        raise WorkbenchError(f"the query failed: {str(exc).strip().splitlines()[0]}", where=text[:80],
                             hint="fix the query; a READ ONLY transaction refuses anything that writes"
                             ) from None
    return Rows(text, columns, tuple(tuple(row) for row in rows[:max_rows]), len(rows) > max_rows)
