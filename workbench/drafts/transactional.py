"""SQL made fit for a transaction: ``CONCURRENTLY`` cannot run inside one.

A dry run applies a Draft inside a transaction that is rolled back. Index statements written
with ``CONCURRENTLY`` (the safe form on a live table) are run there without it; the result on
the schema is the same.
"""
from __future__ import annotations

from dataclasses import dataclass

from pglast import ast
from pglast.enums import TransactionStmtKind
from pglast.stream import RawStream

from .sqltext import check_sql, statements


TRANSACTION_ENDS = frozenset({TransactionStmtKind.TRANS_STMT_COMMIT, TransactionStmtKind.TRANS_STMT_ROLLBACK,
                              TransactionStmtKind.TRANS_STMT_PREPARE,
                              TransactionStmtKind.TRANS_STMT_COMMIT_PREPARED,
                              TransactionStmtKind.TRANS_STMT_ROLLBACK_PREPARED})


@dataclass(frozen=True)
class Statement:
    """One statement to run, whether CONCURRENTLY was taken out of it, and whether it would
    end the transaction it runs in (COMMIT, ROLLBACK, PREPARE TRANSACTION…)."""

    sql: str
    was_concurrent: bool = False
    ends_transaction: bool = False


def transactional_statements(text: str) -> list[Statement]:
    """The statements of ``text``, each runnable inside a transaction block (a statement
    ending the transaction is marked, for the caller to refuse)."""
    result = []
    for piece in statements(text):
        (raw,) = check_sql(piece)
        if isinstance(raw.stmt, (ast.IndexStmt, ast.DropStmt)) and raw.stmt.concurrent:
            raw.stmt.concurrent = False
            result.append(Statement(RawStream()(raw.stmt), was_concurrent=True))
        else:
            result.append(Statement(piece, ends_transaction=ends_transaction(raw.stmt)))
    return result


def ends_transaction(node) -> bool:
    """Whether ``node`` commits, rolls back or prepares the transaction it runs in."""
    return isinstance(node, ast.TransactionStmt) and node.kind in TRANSACTION_ENDS
