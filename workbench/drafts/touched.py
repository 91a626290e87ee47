"""The tables a Draft's up SQL creates or changes (read with pglast), as ``schema.table``."""
from __future__ import annotations

from pglast import ast

from .sqltext import check_sql

KINDS = {ast.CreateStmt: "relation", ast.AlterTableStmt: "relation",
         ast.CreatePolicyStmt: "table", ast.AlterPolicyStmt: "table",
         ast.IndexStmt: "relation", ast.CreateTrigStmt: "relation", ast.GrantStmt: None}


def tables_touched(text: str, default_schema: str = "public") -> list[str]:
    """``schema.table`` of every table created, altered, indexed or given policies or
    triggers in ``text``, in order, each once (unqualified names in ``default_schema``)."""
    found: dict[str, None] = {}
    for raw in check_sql(text):
        field = KINDS.get(type(raw.stmt))
        relation = getattr(raw.stmt, field) if field else None
        if isinstance(relation, ast.RangeVar):
            found[f"{relation.schemaname or default_schema}.{relation.relname}"] = None
    return list(found)
