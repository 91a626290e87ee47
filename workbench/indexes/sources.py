"""Where a workload comes from: SQL text (a file of many statements with comments) or
``pg_stat_statements``. Either way it becomes a list of :class:`Query`.

In a file, the comment lines right before a statement describe it: the first line is its
label, and ``-- calls: N`` (how often it runs) weights it. Statements are split by
PostgreSQL's parser (pglast), never by semicolons.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pglast
from pglast import ast
from pglast.parser import scan

from ..drafts.sqltext import check_sql
from ..errors import WorkbenchError
from ..session import connection_of, read_only

INDEXABLE = (ast.SelectStmt, ast.UpdateStmt, ast.DeleteStmt, ast.InsertStmt, ast.MergeStmt)

PG_STAT_STATEMENTS = """
SELECT query, calls, total_exec_time, mean_exec_time
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND calls > 0
ORDER BY total_exec_time DESC
LIMIT %s
"""


@dataclass(frozen=True)
class Query:
    """One statement of a workload. ``weight`` is how much it matters (calls, or total time);
    ``params`` are sample values for its ``$n`` parameters, if known."""

    sql: str
    label: str = ""
    calls: float = 1.0
    total_ms: float | None = None
    params: tuple | None = None

    @property
    def title(self) -> str:
        return self.label or " ".join(self.sql.split())[:60]


def queries_from_sql(text: str, source: str | None = None) -> list[Query]:
    """Every indexable statement of ``text`` (SELECT, UPDATE, DELETE, INSERT…), with its comments."""
    raws = check_sql(text, label=source or "the workload")
    data = text  # pglast's offsets count characters, not bytes
    tokens = list(scan(text)) if text.strip() else []
    queries, previous_end = [], 0
    for raw in raws:
        start = raw.stmt_location or 0
        end = start + (raw.stmt_len or len(data) - start)
        comments = comment_lines(data, tokens, previous_end, start)
        previous_end = end
        if not isinstance(raw.stmt, INDEXABLE):
            continue
        sql = data[start:end].strip()
        sql = strip_leading_comments(sql)
        line = data[:start].count("\n") + 1
        queries.append(query_with_notes(sql, comments, f"{source}:{line}" if source else ""))
    return queries


def queries_from_file(path) -> list[Query]:
    """The statements of a ``.sql`` file (see :func:`queries_from_sql`)."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise WorkbenchError(f"cannot read {path}: {exc.strerror}", hint="check the file name") from None
    queries = queries_from_sql(text, source=path.name)
    if not queries:
        raise WorkbenchError(f"{path.name} holds no SELECT, INSERT, UPDATE or DELETE statement",
                             hint="put the application's queries in the file, separated by semicolons")
    return queries


def comment_lines(data: str, tokens, start: int, end: int) -> list[str]:
    """The lines of the last block of comments between offsets ``start`` and ``end``
    (a blank line ends a block: a file's header is not the first query's label)."""
    lines: list[str] = []
    previous = None
    for token in tokens:
        if token.name not in ("SQL_COMMENT", "C_COMMENT") or not start <= token.start < end:
            continue
        if start and "\n" not in data[start:token.start]:
            continue  # a comment after the previous statement, on its line, belongs to it
        if previous is not None and "\n\n" in data[previous:token.start].replace(" ", ""):
            lines = []
        body = data[token.start:token.end + 1]
        body = body[2:] if token.name == "SQL_COMMENT" else body[2:-2]
        lines += [line.strip(" *") for line in body.splitlines() if line.strip(" *")]
        previous = token.end + 1
    return lines


def strip_leading_comments(sql: str) -> str:
    """``sql`` without the comments in front of and after the statement itself."""
    tokens = [t for t in scan(sql) if t.name not in ("SQL_COMMENT", "C_COMMENT")]
    if not tokens:
        return sql
    return sql[tokens[0].start:tokens[-1].end + 1].strip()


def query_with_notes(sql: str, comments: list[str], fallback: str) -> Query:
    """A :class:`Query` labelled by its first comment line and weighted by ``calls:``."""
    label, calls = "", 1.0
    for line in comments:
        name, _, value = line.partition(":")
        if name.strip().lower() == "calls" and value.strip():
            try:
                calls = float(value.strip().replace(",", "").replace("_", ""))
            except ValueError:
                pass
        elif not label:
            label = line
    return Query(sql, label or fallback, calls)


def queries_from_pg_stat_statements(target, limit: int = 50) -> list[Query]:
    """The statements that took the most time in this database, weighted by calls × mean time."""
    conn = connection_of(target)
    try:
        with read_only(conn):
            rows = conn.execute(PG_STAT_STATEMENTS, [limit]).fetchall()
    except Exception as exc:  # the view is missing or the library is not preloaded
        raise WorkbenchError(
            f"cannot read pg_stat_statements: {str(exc).strip().splitlines()[0]}",
            hint="CREATE EXTENSION pg_stat_statements, with shared_preload_libraries = "
                 "'pg_stat_statements' (a restart), or pass the queries in a file with -f") from None
    queries = []
    for text, calls, total_ms, mean_ms in rows:
        try:
            raws = pglast.parse_sql(text)
        except pglast.parser.ParseError:
            continue
        if len(raws) == 1 and isinstance(raws[0].stmt, INDEXABLE) and not touches_catalog(raws[0].stmt):
            queries.append(Query(text.strip(), calls=float(calls), total_ms=float(total_ms)))
    return queries


def touches_catalog(node) -> bool:
    """Whether the statement reads pg_catalog or information_schema (monitoring, not the app)."""
    from pglast.visitors import referenced_relations

    names = referenced_relations(node)
    return any(name.startswith(("pg_", "information_schema.")) for name in names)
