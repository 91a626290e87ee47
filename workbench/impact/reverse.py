"""The SQL undoing a statement the safer form keeps as written, for the common kinds: what it
adds is dropped, what it drops is made again from the schema snapshot. ``None`` when no down
is known (the step then says so instead of guessing)."""
from __future__ import annotations

from pglast import ast
from pglast.enums import AlterTableType

from ..catalog.names import quote_ident
from . import sqlforms as sf

SESSION_ONLY = (ast.VariableSetStmt, ast.TransactionStmt)


def statement_down(stmt, ctx) -> tuple[str, ...] | None:
    """The statements undoing a kept ``stmt`` (``()``: nothing to undo)."""
    if isinstance(stmt, SESSION_ONLY):
        return ()
    if isinstance(stmt, ast.AlterTableStmt):
        downs = [command_down(cmd, ctx) for cmd in reversed(stmt.cmds)]
        return None if None in downs else tuple(sql for down in downs for sql in down)
    if isinstance(stmt, ast.CreateStmt):
        return (f"DROP TABLE {sf.relation(stmt.relation)};",)
    if isinstance(stmt, ast.IndexStmt) and stmt.idxname:
        return (f"DROP INDEX IF EXISTS {sf.qualified_in(stmt.relation.schemaname, stmt.idxname)};",)
    return None


def command_down(cmd: ast.AlterTableCmd, ctx) -> tuple[str, ...] | None:
    """The statements undoing one kept command of an ALTER TABLE on ``ctx``'s table."""
    table = ctx.table_sql
    kind = cmd.subtype
    if kind == AlterTableType.AT_AddColumn:
        return (sf.alter(table, sf.drop_column(cmd.def_.colname)),)
    if kind == AlterTableType.AT_AddConstraint and cmd.def_.conname:
        return (sf.alter(table, sf.drop_constraint(cmd.def_.conname)),)
    if kind == AlterTableType.AT_DropConstraint:
        return dropped_constraint_down(cmd.name, ctx)
    if kind == AlterTableType.AT_SetNotNull:
        return (sf.alter(table, sf.drop_not_null(cmd.name)),)
    if kind == AlterTableType.AT_DropNotNull:
        return (sf.alter(table, sf.set_not_null(cmd.name)),)
    if kind == AlterTableType.AT_ColumnDefault:
        return default_down(cmd.name, ctx)
    return None


def dropped_constraint_down(name: str, ctx) -> tuple[str, ...] | None:
    """The constraint made again as the snapshot defines it."""
    table = ctx.table
    found = next((c for c in table.constraints if c.name == name), None) if table else None
    if found is None or not found.definition:
        return None
    return (sf.alter(ctx.table_sql, f"ADD CONSTRAINT {quote_ident(name)} {found.definition}"),)


def default_down(column: str, ctx) -> tuple[str, ...] | None:
    """The column's default as the snapshot shows it (dropped when it had none)."""
    found = ctx.column(column)
    if found is None:
        return None
    action = sf.set_default(column, found.default) if found.default else sf.drop_default(column)
    return (sf.alter(ctx.table_sql, action),)

