"""Policy and CHECK expressions read with pglast (PostgreSQL's own parser).

Three questions the RLS probe asks of them: which of a table's columns a policy compares with
``auth.uid()`` (user-owned rows), which it tests against a set of tenants
(``org_id IN (SELECT …)``, a correlated ``EXISTS``), and which constants a CHECK constraint
allows for a column (candidate values when a row has to be made up).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Iterator

import pglast
from pglast import ast
from pglast.enums import A_Expr_Kind, SubLinkType

UID_FUNCTIONS = frozenset({"auth.uid"})
JWT_FUNCTIONS = frozenset({"auth.jwt"})
FLIPPED = {"=": "=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
SET_TESTS = (A_Expr_Kind.AEXPR_OP_ANY, A_Expr_Kind.AEXPR_IN)


def parse_expression(text: str) -> ast.Node:
    """The AST of one SQL expression."""
    (raw,) = pglast.parse_sql(f"SELECT {text}")
    return raw.stmt.targetList[0].val


def parse_check(definition: str) -> ast.Node:
    """The expression of a ``CHECK (…)`` constraint definition (as ``pg_get_constraintdef``)."""
    (raw,) = pglast.parse_sql(f"ALTER TABLE probe ADD {definition}")
    return raw.stmt.cmds[0].def_.raw_expr


def walk(node, *, subqueries: bool = True) -> Iterator[ast.Node]:
    """Every node under ``node``; without ``subqueries`` what a SubLink selects is skipped."""
    if isinstance(node, (list, tuple)):
        for item in node:
            yield from walk(item, subqueries=subqueries)
        return
    if not isinstance(node, ast.Node):
        return
    yield node
    for attr in node:
        if not subqueries and isinstance(node, ast.SubLink) and attr == "subselect":
            continue
        yield from walk(getattr(node, attr), subqueries=subqueries)


def function_name(call: ast.FuncCall) -> str:
    """``schema.name`` (or ``name``) of a call."""
    return ".".join(part.sval for part in call.funcname)


def strip_casts(node):
    """``node`` without the ``::type`` casts around it."""
    while isinstance(node, ast.TypeCast):
        node = node.arg
    return node


def column_name(node, table: str) -> str | None:
    """The column a ColumnRef names when it is ``col`` or ``table.col``, else None."""
    node = strip_casts(node)
    if not isinstance(node, ast.ColumnRef) or not all(isinstance(f, ast.String) for f in node.fields):
        return None
    names = [f.sval for f in node.fields]
    if len(names) == 1 or (len(names) == 2 and names[0] == table):
        return names[-1]
    return None


def is_uid(node) -> bool:
    """Whether ``node`` is the current user's id: ``auth.uid()``, ``(SELECT auth.uid())`` or
    ``auth.jwt() ->> 'sub'``, with any casts."""
    node = strip_casts(node)
    if isinstance(node, ast.FuncCall):
        return function_name(node) in UID_FUNCTIONS
    if isinstance(node, ast.SubLink) and node.subLinkType == SubLinkType.EXPR_SUBLINK:
        select = node.subselect
        return (not select.fromClause and len(select.targetList or ()) == 1
                and is_uid(select.targetList[0].val))
    return _is_jwt_sub(node)


def _is_jwt_sub(node) -> bool:
    if not (isinstance(node, ast.A_Expr) and operator(node) == "->>"):
        return False
    left, right = strip_casts(node.lexpr), constant(node.rexpr)
    return isinstance(left, ast.FuncCall) and function_name(left) in JWT_FUNCTIONS and right == "sub"


def operator(node: ast.A_Expr) -> str:
    """The operator name of an ``A_Expr`` (``=``, ``->>``…)."""
    names = node.name or ()
    return names[-1].sval if names and isinstance(names[-1], ast.String) else ""


def uid_columns(text: str | None, table: str) -> set[str]:
    """Columns of ``table`` the expression compares with the current user's id (outside
    sub-selects): ``user_id = (SELECT auth.uid())``."""
    if not text:
        return set()
    found = set()
    for node in walk(parse_expression(text), subqueries=False):
        if isinstance(node, ast.A_Expr) and node.kind == A_Expr_Kind.AEXPR_OP and operator(node) == "=":
            for this, other in ((node.lexpr, node.rexpr), (node.rexpr, node.lexpr)):
                name = column_name(this, table)
                if name and is_uid(other):
                    found.add(name)
    return found


def set_columns(text: str | None, table: str) -> set[str]:
    """Columns of ``table`` the expression tests against a set (``col IN (SELECT …)``,
    ``col = ANY (…)``) or correlates into a sub-select (``o.id = table.col`` in an ``EXISTS``)."""
    if not text:
        return set()
    tree = parse_expression(text)
    found = set()
    for node in walk(tree, subqueries=False):
        if isinstance(node, ast.SubLink) and node.subLinkType == SubLinkType.ANY_SUBLINK:
            found.add(column_name(node.testexpr, table))
        elif isinstance(node, ast.A_Expr) and node.kind in SET_TESTS:
            found.add(column_name(node.lexpr, table))
        elif isinstance(node, ast.SubLink) and node.subselect is not None:
            found |= _correlated(node.subselect, table)
    return found - {None}


def _correlated(select, table: str) -> set[str]:
    """``table.col`` references inside a sub-select (columns of the outer row)."""
    found = set()
    for node in walk(select):
        if isinstance(node, ast.ColumnRef) and len(node.fields) == 2:
            first, last = node.fields
            if isinstance(first, ast.String) and first.sval == table and isinstance(last, ast.String):
                found.add(last.sval)
    return found


def constant(node) -> str | None:
    """The text of a constant (``'a'``, ``3``, ``true``, with casts), else None."""
    node = strip_casts(node)
    if not isinstance(node, ast.A_Const) or node.isnull:
        return None
    value = node.val
    if isinstance(value, ast.Boolean):
        return "true" if value.boolval else "false"
    if isinstance(value, ast.Integer):
        return str(value.ival)
    if isinstance(value, ast.Float):
        return value.fval
    if isinstance(value, ast.String):
        return value.sval
    return None


def check_constants(definition: str, column: str) -> list[str]:
    """Values a CHECK constraint suggests for ``column``, in the order it names them:
    the labels of ``col IN (…)``, the bound of ``col >= 1``, one past ``col > 0``…"""
    found: list[str] = []
    for node in walk(parse_check(definition)):
        if isinstance(node, ast.A_Expr):
            found += _suggested(node, column)
    return list(dict.fromkeys(found))


def _suggested(node: ast.A_Expr, column: str) -> list[str]:
    if node.kind in SET_TESTS and column_name(node.lexpr, "") == column:
        items = strip_casts(node.rexpr)
        items = items.elements if isinstance(items, ast.A_ArrayExpr) else items
        return [c for c in map(constant, items or ()) if c is not None]
    if node.kind == A_Expr_Kind.AEXPR_BETWEEN and column_name(node.lexpr, "") == column:
        return [c for c in map(constant, node.rexpr) if c is not None]
    if node.kind != A_Expr_Kind.AEXPR_OP or operator(node) not in FLIPPED:
        return []
    op, value = operator(node), constant(node.rexpr)
    if column_name(node.lexpr, "") != column:
        op, value = FLIPPED[op], constant(node.lexpr)
        if column_name(node.rexpr, "") != column:
            return []
    return [] if value is None else _satisfying(op, value)


def _satisfying(op: str, value: str) -> list[str]:
    """A value ``x`` with ``x <op> value`` true (strict bounds only for numbers)."""
    if op in ("=", "<=", ">="):
        return [value]
    try:
        number = Decimal(value)
    except InvalidOperation:
        return []
    return [str(number + 1 if op == ">" else number - 1)]
