"""Small readings of pglast AST nodes: column references, literals, conjuncts, deparsed text."""
from __future__ import annotations

import copy

from pglast import ast, enums
from pglast.stream import RawStream
from pglast.visitors import Skip, Visitor

from ..catalog.names import quote_ident

AGGREGATES = frozenset({"count", "sum", "avg", "min", "max", "array_agg", "string_agg", "bool_and",
                        "bool_or", "every", "json_agg", "jsonb_agg", "json_object_agg",
                        "jsonb_object_agg", "stddev", "variance", "percentile_cont",
                        "percentile_disc", "mode"})
RANGE_OPS = {"<", "<=", ">", ">="}
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>", "!=": "<>"}


def fields_of(node: ast.ColumnRef) -> tuple[str, ...] | None:
    """The names of a column reference, None for ``*`` forms."""
    names = []
    for item in node.fields:
        if isinstance(item, ast.A_Star):
            return None
        names.append(item.sval)
    return tuple(names)


def deparse(node) -> str:
    return RawStream()(node)


class _Unqualify(Visitor):
    def visit_ColumnRef(self, ancestors, node):
        return ast.ColumnRef(fields=(node.fields[-1],))


def unqualified(node) -> str:
    """``node`` as SQL with every column reference stripped of its table qualifier."""
    if isinstance(node, ast.ColumnRef):
        return quote_ident(node.fields[-1].sval)
    copied = copy.deepcopy(node)
    _Unqualify()(copied)
    return deparse(copied)


class _Refs(Visitor):
    """Column references, parameters and unsafe parts (subqueries, aggregates) of an expression."""

    def __init__(self):
        self.columns: list[ast.ColumnRef] = []
        self.params: list[int] = []
        self.unsafe = False
        self.calls = False

    def visit_ColumnRef(self, ancestors, node):
        self.columns.append(node)

    def visit_ParamRef(self, ancestors, node):
        self.params.append(node.number)

    def visit_SubLink(self, ancestors, node):
        self.unsafe = True
        return Skip

    def visit_FuncCall(self, ancestors, node):
        self.calls = True
        name = node.funcname[-1].sval if node.funcname else ""
        if node.agg_star or node.over is not None or name in AGGREGATES:
            self.unsafe = True

    def visit_SQLValueFunction(self, ancestors, node):
        self.calls = True


def refs(node) -> _Refs:
    found = _Refs()
    if isinstance(node, ast.Node):
        found(node)
    elif isinstance(node, (list, tuple)):
        for item in node:
            found(item)
    return found


def constant_value(node):
    """The Python value of a literal (through casts), else None."""
    while isinstance(node, ast.TypeCast):
        node = node.arg
    if isinstance(node, ast.A_Const) and not node.isnull:
        value = node.val
        for attr in ("ival", "fval", "sval", "boolval"):
            if hasattr(value, attr):
                return getattr(value, attr)
    return None


def conjuncts(node) -> list:
    """The AND-ed parts of a condition (an empty list for None)."""
    if node is None:
        return []
    if isinstance(node, ast.BoolExpr) and node.boolop == enums.BoolExprType.AND_EXPR:
        return [part for arg in node.args for part in conjuncts(arg)]
    return [node]


def predicate_text(node: ast.A_Expr, flip: bool) -> str:
    """The condition as unqualified SQL, with the key on the left."""
    if flip and node.kind == enums.A_Expr_Kind.AEXPR_OP:
        name = FLIP.get(node.name[-1].sval, node.name[-1].sval)
        node = ast.A_Expr(kind=node.kind, name=(ast.String(sval=name),), lexpr=node.rexpr, rexpr=node.lexpr)
    return unqualified(node)


def output_expression(select: ast.SelectStmt, node):
    """What an ORDER BY item sorts by: positions (``ORDER BY 2``) and output names resolved."""
    targets = select.targetList or ()
    position = constant_value(node)
    if isinstance(position, int) and 0 < position <= len(targets):
        return targets[position - 1].val
    if isinstance(node, ast.ColumnRef) and len(node.fields) == 1 and isinstance(node.fields[0], ast.String):
        for target in targets:
            if target.name == node.fields[0].sval:
                return target.val
    return node
