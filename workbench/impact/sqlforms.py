"""SQL text for the statements a safer form is made of, from parsed nodes (printed back by
pglast) and names (quoted as PostgreSQL quotes them). Nothing here reads SQL with anything
but PostgreSQL's parser."""
from __future__ import annotations

import copy

import pglast
from pglast import ast
from pglast.stream import RawStream

from ..catalog.names import quote_ident
from ..drafts.sqltext import walk

NOTHING_TO_UNDO = "-- nothing to undo: {why}"


def printed(node) -> str:
    """A parsed node as SQL text."""
    return RawStream()(node)


def relation(rangevar: ast.RangeVar, *, only: bool = True) -> str:
    """A table as the statement named it (``ONLY`` kept when ``only``)."""
    if only or rangevar.inh:
        return printed(rangevar)
    whole = copy.copy(rangevar)
    whole.inh = True
    return printed(whole)


def alter_statement(stmt: ast.AlterTableStmt, cmds) -> str:
    """``stmt`` with ``cmds`` in place of its commands, as one statement."""
    changed = copy.copy(stmt)
    changed.cmds = tuple(cmds)
    return printed(changed) + ";"


def parsed_command(table_sql: str, action: str) -> ast.AlterTableCmd:
    """The one command of ``ALTER TABLE table action`` as a node."""
    (raw,) = pglast.parse_sql(f"ALTER TABLE {table_sql} {action}")
    (cmd,) = raw.stmt.cmds
    return cmd


def alter(table_sql: str, *actions: str) -> str:
    """``ALTER TABLE table action, action;``"""
    return f"ALTER TABLE {table_sql} {', '.join(actions)};"


def add_check(name: str, condition: str, *, not_valid: bool = True) -> str:
    return f"ADD CONSTRAINT {quote_ident(name)} CHECK ({condition}){' NOT VALID' if not_valid else ''}"


def not_null_condition(column: str) -> str:
    return f"{quote_ident(column)} IS NOT NULL"


def validate(name: str) -> str:
    return f"VALIDATE CONSTRAINT {quote_ident(name)}"


def drop_constraint(name: str) -> str:
    return f"DROP CONSTRAINT {quote_ident(name)}"


def set_not_null(column: str) -> str:
    return f"ALTER COLUMN {quote_ident(column)} SET NOT NULL"


def drop_not_null(column: str) -> str:
    return f"ALTER COLUMN {quote_ident(column)} DROP NOT NULL"


def set_default(column: str, expression: str) -> str:
    return f"ALTER COLUMN {quote_ident(column)} SET DEFAULT {expression}"


def drop_default(column: str) -> str:
    return f"ALTER COLUMN {quote_ident(column)} DROP DEFAULT"


def add_column(column: str, type_sql: str) -> str:
    return f"ADD COLUMN {quote_ident(column)} {type_sql}"


def drop_column(column: str) -> str:
    return f"DROP COLUMN {quote_ident(column)}"


def rename_column(table_sql: str, old: str, new: str) -> str:
    return f"ALTER TABLE {table_sql} RENAME COLUMN {quote_ident(old)} TO {quote_ident(new)};"


def qualified_in(schema: str | None, name: str) -> str:
    """``name`` in the table's schema when the statement named one, else as search_path finds it."""
    return f"{quote_ident(schema)}.{quote_ident(name)}" if schema else quote_ident(name)


def batch_update(table_sql: str, column: str, value: str, pending: str, rows: int) -> str:
    """One batch of a backfill: up to ``rows`` rows where ``pending`` holds get ``column = value``
    (rows found by their ctid, so any table works, with or without a key)."""
    return (f"UPDATE {table_sql} SET {quote_ident(column)} = {value}\n"
            f" WHERE ctid = ANY (ARRAY(SELECT ctid FROM {table_sql} WHERE {pending} LIMIT {rows}));")


def column_refs(node) -> list[str]:
    """The unqualified column names an expression reads, in order of first mention."""
    found: list[str] = []
    for item in walk(node):
        if isinstance(item, ast.ColumnRef) and len(item.fields) == 1 \
                and isinstance(item.fields[0], ast.String) and item.fields[0].sval not in found:
            found.append(item.fields[0].sval)
    return found


def on_new_row(node):
    """A copy of an expression whose unqualified columns are read from ``NEW`` (for a trigger)."""
    copied = copy.deepcopy(node)
    for item in walk(copied):
        if isinstance(item, ast.ColumnRef) and len(item.fields) == 1 \
                and isinstance(item.fields[0], ast.String):
            item.fields = (ast.String(sval="new"), item.fields[0])
    return copied


def function_names(node) -> list[str]:
    """The names of the functions an expression calls (the last part of each name)."""
    return [item.funcname[-1].sval for item in walk(node)
            if isinstance(item, ast.FuncCall) and isinstance(item.funcname[-1], ast.String)]


