"""Comparing indexes by meaning: is a candidate a duplicate or a prefix of an index that exists?

Both sides are parsed with pglast from their CREATE INDEX text and normalised: casts of
literals dropped (``'open'::text`` is ``'open'``), ``IN (…)`` written as ``= ANY (ARRAY[…])``
as ``pg_get_indexdef`` does, and key directions made relative to the first ordered key (a
btree index serves both directions).
"""
from __future__ import annotations

from dataclasses import dataclass

import pglast
from pglast import ast, enums
from pglast.stream import RawStream
from pglast.visitors import Visitor

from ..catalog.names import quote_ident


@dataclass(frozen=True)
class Signature:
    """An index reduced to what decides what it can serve."""

    method: str
    keys: tuple[str, ...]
    include: frozenset[str]
    predicate: str | None


class _Normalise(Visitor):
    def visit_TypeCast(self, ancestors, node):
        if isinstance(node.arg, ast.A_Const):
            return node.arg

    def visit_A_Expr(self, ancestors, node):
        return in_as_any(node)


def in_as_any(node):
    """``x IN (a, b)`` as ``x = ANY (ARRAY[a, b])``; None for anything else."""
    if isinstance(node, ast.A_Expr) and node.kind == enums.A_Expr_Kind.AEXPR_IN and node.name[-1].sval == "=":
        return ast.A_Expr(kind=enums.A_Expr_Kind.AEXPR_OP_ANY, name=node.name, lexpr=node.lexpr,
                          rexpr=ast.A_ArrayExpr(elements=tuple(node.rexpr)))
    return None


def normalised(node) -> str:
    """``node`` deparsed after normalising (see the module docstring); '' for None."""
    if node is None:
        return ""
    node = in_as_any(node) or node
    _Normalise()(node)
    if isinstance(node, ast.TypeCast) and isinstance(node.arg, ast.A_Const):
        node = node.arg
    return RawStream()(node)


def signature(create_sql: str) -> Signature:
    """The :class:`Signature` of a ``CREATE INDEX`` statement."""
    statement = pglast.parse_sql(create_sql)[0].stmt
    keys = [element_text(element) for element in statement.indexParams]
    keys = relative_directions(keys, [is_descending(e) for e in statement.indexParams])
    include = frozenset(element_text(e, bare=True) for e in statement.indexIncludingParams or ())
    predicate = normalised(statement.whereClause) or None
    return Signature(statement.accessMethod or "btree", tuple(keys), include, predicate)


def element_text(element: ast.IndexElem, bare: bool = False) -> str:
    text = quote_ident(element.name) if element.name else normalised(element.expr)
    if bare:
        return text
    opclass = ".".join(part.sval for part in element.opclass or ())
    if opclass:
        text += f" {opclass.split('.')[-1]}"
    return text


def is_descending(element: ast.IndexElem) -> bool:
    return element.ordering == enums.SortByDir.SORTBY_DESC


def relative_directions(keys: list[str], descending: list[bool]) -> list[str]:
    """Keys with directions flipped when the first key is descending (a backward scan)."""
    flip = bool(descending) and descending[0]
    return [f"{key} DESC" if desc != flip else key for key, desc in zip(keys, descending)]


def covers(existing: Signature, candidate: Signature) -> bool:
    """Whether ``existing`` already gives everything ``candidate`` would (same or longer key)."""
    if existing.method != candidate.method or existing.predicate != candidate.predicate:
        return False
    width = len(candidate.keys)
    if existing.keys[:width] != candidate.keys:
        return False
    stored = set(existing.keys) | existing.include | {k.split(" ")[0] for k in existing.keys}
    return candidate.include <= stored


def covering_index(candidate, indexes):
    """The existing valid index that makes ``candidate`` redundant, or None."""
    wanted = signature(candidate.create_sql())
    for index in indexes:
        if index.valid and covers(signature(index.definition), wanted):
            return index
    return None


def superseded(candidate, indexes) -> list:
    """Existing non-unique indexes that ``candidate`` would make redundant (a prefix of it)."""
    wanted = signature(candidate.create_sql())
    return [index for index in indexes
            if index.valid and not index.unique and not index.primary
            and covers(wanted, signature(index.definition))]


class _ColumnNames(Visitor):
    def __init__(self):
        self.names: set[str] = set()

    def visit_ColumnRef(self, ancestors, node):
        if isinstance(node.fields[-1], ast.String):
            self.names.add(node.fields[-1].sval)

    def visit_IndexElem(self, ancestors, node):
        if node.name:
            self.names.add(node.name)


def indexed_columns(definition: str) -> frozenset[str]:
    """Every column an index's definition depends on: keys, expression inputs, INCLUDE, WHERE
    (an UPDATE that sets one of them cannot be HOT)."""
    finder = _ColumnNames()
    finder(pglast.parse_sql(definition)[0].stmt)
    return frozenset(finder.names)
