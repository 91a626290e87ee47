"""SQL made fit for a transaction: ``CONCURRENTLY`` cannot run inside one.

A dry run applies a Draft inside a transaction that is rolled back. Index statements written
with ``CONCURRENTLY`` (the safe form on a live table) are run there without it; the result on
the schema is the same.
"""
from __future__ import annotations

from dataclasses import dataclass

from pglast import ast
from pglast.stream import RawStream

from .sqltext import check_sql, statements


@dataclass(frozen=True)
class Statement:
    """One statement to run, and whether CONCURRENTLY was taken out of it."""

    sql: str
    was_concurrent: bool = False


def transactional_statements(text: str) -> list[Statement]:
    """The statements of ``text``, each runnable inside a transaction block."""
    result = []
    for piece in statements(text):
        (raw,) = check_sql(piece)
        if isinstance(raw.stmt, (ast.IndexStmt, ast.DropStmt)) and raw.stmt.concurrent:
            raw.stmt.concurrent = False
            result.append(Statement(RawStream()(raw.stmt), was_concurrent=True))
        else:
            result.append(Statement(piece))
    return result
