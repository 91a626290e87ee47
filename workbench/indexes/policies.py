"""What the Row Level Security policies ask of a table, read from their USING expressions.

When the advice plans as a role, the policies that apply to that role add their filters to
every query on the table: the tenant filter of ``SELECT … FROM tasks WHERE status = $1``
comes from ``USING (user_id = auth.uid())``. Each conjunct of the applying policies' USING
expression (parsed with pglast) that compares a column of the table with a value computed
without the table's columns becomes a :class:`~.query.Condition` of the query's access, so
candidate indexes can lead with it:

- ``col = auth.uid()``, ``col = (SELECT …)``: an equality;
- ``col IN (SELECT …)``, ``col = ANY (…)``: an equality on a tenant column (the user's tenants
  are a few), else an IN list.

Permissive policies are OR-ed: their conditions are used when one permissive policy applies
(restrictive ones, AND-ed, always).
"""
from __future__ import annotations

import pglast
from pglast import ast, enums

from ..catalog.names import quote_ident
from .query import Access, Condition, Key, QueryShape
from .sqlparts import conjuncts, fields_of, refs, unqualified

COMMANDS = {"select": ("SELECT", "ALL"), "update": ("UPDATE", "ALL"), "delete": ("DELETE", "ALL")}


def applying(table, role: str, kind: str = "select") -> list:
    """The policies of ``table`` that filter rows for ``role`` in a statement of ``kind``."""
    commands = COMMANDS.get(kind, ("SELECT", "ALL"))
    return [p for p in table.policies if p.command in commands and p.using
            and (role in p.roles or "public" in p.roles)]


def filtering(table, role: str, kind: str = "select") -> list:
    """The applying policies whose conditions are certain to hold for every row read: the
    restrictive ones, and the permissive one when there is only one."""
    found = applying(table, role, kind)
    permissive = [p for p in found if p.permissive]
    return [p for p in found if not p.permissive] + (permissive if len(permissive) == 1 else [])


def using_tree(policy):
    """The parsed USING expression of ``policy``."""
    statement = pglast.parse_sql(f"SELECT 1 WHERE {policy.using}")[0].stmt
    return statement.whereClause


def own_column(node, columns: set[str], table: str) -> str | None:
    """The column of the policy's table that ``node`` is (unqualified, or qualified by the table)."""
    if not isinstance(node, ast.ColumnRef):
        return None
    names = fields_of(node)
    if not names or names[-1] not in columns or (len(names) > 1 and names[-2] != table):
        return None
    return names[-1]


def free_of(node, columns: set[str]) -> bool:
    """Whether ``node`` is computed without the table's own columns (sub-selects allowed)."""
    found = refs(node)
    return not [c for c in found.columns if (fields_of(c) or ("*",))[-1] in columns]


def conditions_of(policy, table, tenant_columns: tuple[str, ...]) -> list[Condition]:
    """The indexable conditions of one policy's USING expression (see the module docstring)."""
    columns = {c.name for c in table.columns}
    found = []
    for part in conjuncts(using_tree(policy)):
        match = compared(part, columns, table.name)
        if match is None:
            continue
        column, op = match
        if op == "in" and column in tenant_columns:
            op = "eq"
        found.append(Condition(Key(quote_ident(column), (column,)), op, False, unqualified(part)))
    return found


def compared(node, columns: set[str], table: str) -> tuple[str, str] | None:
    """(column, op) when ``node`` compares a column of the table with a value free of its columns."""
    if isinstance(node, ast.SubLink) and node.subLinkType == enums.SubLinkType.ANY_SUBLINK:
        column = own_column(node.testexpr, columns, table)
        return (column, "in") if column else None
    if not isinstance(node, ast.A_Expr) or not node.name or node.name[-1].sval != "=":
        return None
    op = {enums.A_Expr_Kind.AEXPR_OP: "eq", enums.A_Expr_Kind.AEXPR_OP_ANY: "in",
          enums.A_Expr_Kind.AEXPR_IN: "in"}.get(node.kind)
    if op is None:
        return None
    for side, other in ((node.lexpr, node.rexpr), (node.rexpr, node.lexpr)):
        column = own_column(side, columns, table)
        if column and free_of(other, columns):
            return column, op
    return None


def policy_columns(table) -> set[str]:
    """The table's columns that its policies compare (for any role)."""
    return {c.key.column for policy in table.policies if policy.using
            for c in conditions_of(policy, table, ())}


def add_policy_conditions(shape: QueryShape, schema, role: str, tenant_columns: tuple[str, ...]) -> None:
    """Add to each access of ``shape`` the conditions of the policies that filter its rows for
    ``role`` (tables without Row Level Security are left alone)."""
    for access in shape.accesses:
        table = schema.table(access.key)
        if not table.rls_enabled:
            continue
        for policy in filtering(table, role, shape.kind):
            for condition in conditions_of(policy, table, tenant_columns):
                add_condition(access, condition)


def add_condition(access: Access, condition: Condition) -> None:
    """A policy's condition on the access, unless the query already compares that column."""
    if any(c.key.sql == condition.key.sql and c.op in ("eq", "in") for c in access.conditions):
        return
    access.conditions.append(condition)
    access.read(condition.key.column)
