"""Rewrites that help where an index alone cannot: plain-words hints read from the query's AST."""
from __future__ import annotations

from typing import Callable, Iterator

from pglast import ast, enums
from pglast.visitors import Visitor

from ..plans.statement import parse_statement
from .sqlparts import conjuncts, constant_value, refs, unqualified

Hint = Callable[[ast.Node], Iterator[str]]
HINTS: dict[str, Hint] = {}
LARGE_OFFSET = 1000


def hint(name: str):
    """Register a rewrite hint (refuses a second one of the same name)."""
    def register(function: Hint) -> Hint:
        if name in HINTS:
            raise ValueError(f"hint {name!r} is already registered")
        HINTS[name] = function
        return function
    return register


def rewrite_hints(sql: str) -> list[str]:
    """Every hint for the statement ``sql``."""
    node = parse_statement(sql).node
    return [text for check in HINTS.values() for text in check(node)]


class _Selects(Visitor):
    def __init__(self):
        self.found = []

    def visit_SelectStmt(self, ancestors, node):
        self.found.append(node)


def selects(node) -> list[ast.SelectStmt]:
    finder = _Selects()
    finder(node)
    return finder.found


def where_parts(node) -> list:
    parts = conjuncts(getattr(node, "whereClause", None))
    for select in selects(node):
        if select is not node:
            parts += conjuncts(select.whereClause)
    return parts


@hint("function_on_column")
def function_on_column(node) -> Iterator[str]:
    for part in where_parts(node):
        if not isinstance(part, ast.A_Expr) or part.kind != enums.A_Expr_Kind.AEXPR_OP:
            continue
        for side in (part.lexpr, part.rexpr):
            if isinstance(side, ast.TypeCast) and isinstance(side.arg, ast.ColumnRef):
                column = unqualified(side.arg)
                yield (f"{unqualified(part)}: casting {column} hides it from a plain index on "
                       f"{column}; compare the column itself with a range (e.g. {column} >= start "
                       f"AND {column} < end), or index the expression")


@hint("or_across_columns")
def or_across_columns(node) -> Iterator[str]:
    for part in where_parts(node):
        if isinstance(part, ast.BoolExpr) and part.boolop == enums.BoolExprType.OR_EXPR:
            columns = {c.fields[-1].sval for arm in part.args for c in refs(arm).columns
                       if isinstance(c.fields[-1], ast.String)}
            if len(columns) > 1:
                yield (f"{unqualified(part)}: OR across columns ({', '.join(sorted(columns))}) "
                       "needs an index per column (a BitmapOr) or a UNION of two indexed queries")


@hint("not_in_subquery")
def not_in_subquery(node) -> Iterator[str]:
    for part in where_parts(node):
        if (isinstance(part, ast.BoolExpr) and part.boolop == enums.BoolExprType.NOT_EXPR
                and isinstance(part.args[0], ast.SubLink)
                and part.args[0].subLinkType == enums.SubLinkType.ANY_SUBLINK):
            yield ("NOT IN (subquery) cannot become an anti-join and returns nothing if the "
                   "subquery yields a NULL; write NOT EXISTS (SELECT 1 … WHERE …) instead")


@hint("large_offset")
def large_offset(node) -> Iterator[str]:
    for select in selects(node):
        offset = constant_value(select.limitOffset) if select.limitOffset is not None else None
        if isinstance(offset, int) and offset >= LARGE_OFFSET:
            yield (f"OFFSET {offset:,} reads and throws away {offset:,} rows on every page; "
                   "paginate by key instead (WHERE (sort_key, id) > (last seen) ORDER BY sort_key, id LIMIT n)")
