"""Policy expressions read with pglast (PostgreSQL's own parser), never with patterns on text.

The expressions come from ``pg_get_expr`` (``Policy.using`` / ``Policy.with_check``). A
function call *under a SubLink* — ``(SELECT auth.uid())`` — is evaluated once per statement
(an InitPlan); one outside any SubLink is evaluated for every row.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

import pglast
from pglast import ast
from pglast.enums import SubLinkType
from pglast.stream import RawStream

COMPARISONS = frozenset({"=", "<>", "!=", "<", ">", "<=", ">="})
USER_METADATA = frozenset({"user_metadata", "raw_user_meta_data"})


def parse_expression(text: str) -> ast.Node:
    """The AST of one SQL expression (a fresh tree each call: callers may change it)."""
    (raw,) = pglast.parse_sql(f"SELECT {text}")
    return raw.stmt.targetList[0].val


def render(node: ast.Node) -> str:
    """SQL text of an expression node."""
    return RawStream()(node)


def children(node) -> Iterator[tuple[ast.Node, str, int | None, object]]:
    """``(parent, attribute, index, child)`` for each child node of ``node``."""
    for attr in node:
        value = getattr(node, attr)
        if isinstance(value, ast.Node):
            yield node, attr, None, value
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                if isinstance(item, ast.Node):
                    yield node, attr, index, item


def walk(node: ast.Node, *, subqueries: bool = False) -> Iterator[ast.Node]:
    """Every node of the tree; without ``subqueries`` it skips what a SubLink selects
    (but not the SubLink's test expression, ``x`` in ``x IN (SELECT …)``)."""
    yield node
    for parent, attr, _, child in children(node):
        if not subqueries and isinstance(parent, ast.SubLink) and attr == "subselect":
            continue
        yield from walk(child, subqueries=subqueries)


def function_name(call: ast.FuncCall) -> str:
    """``schema.name`` or ``name`` of a call, without ``pg_catalog.``."""
    parts = [p.sval for p in call.funcname]
    return ".".join(parts[1:] if parts[0] == "pg_catalog" and len(parts) > 1 else parts)


def _is_per_row(functions: Iterable[str]) -> Callable[[ast.Node], bool]:
    wanted = frozenset(functions)
    return lambda node: isinstance(node, ast.FuncCall) and function_name(node) in wanted


def per_row_calls(text: str | None, functions: Iterable[str]) -> list[str]:
    """The names of calls to ``functions`` not wrapped in a sub-select, in order."""
    if not text:
        return []
    test = _is_per_row(functions)
    return [function_name(n) for n in walk(parse_expression(text)) if test(n)]


def wrap_per_row_calls(text: str, functions: Iterable[str]) -> str:
    """``text`` with each per-row call of ``functions`` wrapped as ``(SELECT f(...))``."""
    tree = parse_expression(text)
    test = _is_per_row(functions)
    if test(tree):
        return render(_subselect(tree))
    _wrap_below(tree, test)
    return render(tree)


def _wrap_below(node: ast.Node, test: Callable[[ast.Node], bool]) -> None:
    for parent, attr, index, child in list(children(node)):
        if isinstance(parent, ast.SubLink) and attr == "subselect":
            continue
        if test(child):
            _replace(parent, attr, index, _subselect(child))
        else:
            _wrap_below(child, test)


def _replace(parent: ast.Node, attr: str, index: int | None, new: ast.Node) -> None:
    if index is None:
        setattr(parent, attr, new)
    else:
        items = list(getattr(parent, attr))
        items[index] = new
        setattr(parent, attr, tuple(items))


def _subselect(expr: ast.Node) -> ast.SubLink:
    select = ast.SelectStmt(targetList=(ast.ResTarget(val=expr),))
    return ast.SubLink(subLinkType=SubLinkType.EXPR_SUBLINK, subselect=select)


def is_always_true(text: str | None) -> bool:
    """Whether the expression is the constant ``true``."""
    if not text:
        return False
    node = parse_expression(text)
    while isinstance(node, ast.TypeCast):
        node = node.arg
    return isinstance(node, ast.A_Const) and isinstance(node.val, ast.Boolean) and node.val.boolval


def reads_user_metadata(text: str | None) -> bool:
    """Whether the expression reads ``user_metadata`` / ``raw_user_meta_data`` anywhere
    (data the user can edit, so it must never decide access)."""
    if not text:
        return False
    for node in walk(parse_expression(text), subqueries=True):
        if isinstance(node, ast.String) and node.sval in USER_METADATA:
            return True
    return False


def column_refs(text: str | None, *, subqueries: bool = True) -> set[str]:
    """Names of the unqualified columns the expression mentions."""
    if not text:
        return set()
    return {n.fields[0].sval for n in walk(parse_expression(text), subqueries=subqueries)
            if _plain_column(n)}


def filtered_columns(text: str | None) -> set[str]:
    """The table's own columns the expression compares (``col = …``, ``col IN (…)``),
    outside sub-selects: the columns an index could serve the policy with."""
    if not text:
        return set()
    found = set()
    for node in walk(parse_expression(text)):
        for operand in _compared(node):
            if _plain_column(operand):
                found.add(operand.fields[0].sval)
    return found


def _compared(node: ast.Node) -> tuple:
    if isinstance(node, ast.SubLink) and node.testexpr is not None:
        return (node.testexpr,)
    if isinstance(node, ast.A_Expr) and node.name:
        operator = node.name[-1].sval if isinstance(node.name[-1], ast.String) else ""
        if operator in COMPARISONS or operator == "=" or node.kind.name in ("AEXPR_IN", "AEXPR_BETWEEN"):
            return (node.lexpr, node.rexpr)
    return ()


def _plain_column(node) -> bool:
    return (isinstance(node, ast.ColumnRef) and len(node.fields) == 1
            and isinstance(node.fields[0], ast.String))


def replace_strings(text: str, mapping: dict[str, str]) -> str:
    """``text`` with string constants and names in ``mapping`` replaced, via the AST."""
    tree = parse_expression(text)
    for node in walk(tree, subqueries=True):
        if isinstance(node, ast.String) and node.sval in mapping:
            node.sval = mapping[node.sval]
    return render(tree)
