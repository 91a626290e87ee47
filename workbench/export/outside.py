"""Statements PostgreSQL refuses to run inside a transaction block (parsed with pglast)."""
from __future__ import annotations

from pglast import ast

from ..drafts import check_sql


def runs_outside_transaction(statement: str) -> bool:
    """Whether ``statement`` must run outside a transaction: ``CONCURRENTLY`` index builds,
    drops, reindexes and partition detaches, and ``VACUUM``."""
    (raw,) = check_sql(statement)
    node = raw.stmt
    if isinstance(node, (ast.IndexStmt, ast.DropStmt)):
        return bool(node.concurrent)
    if isinstance(node, ast.ReindexStmt):
        return any(param.defname == "concurrently" for param in node.params or ())
    if isinstance(node, ast.VacuumStmt):
        return bool(node.is_vacuumcmd)
    if isinstance(node, ast.AlterTableStmt):
        return any(isinstance(getattr(cmd, "def_", None), ast.PartitionCmd) and cmd.def_.concurrent
                   for cmd in node.cmds or ())
    return False
