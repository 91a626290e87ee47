"""What an index indexes, read from its definition with the parser: for spotting duplicates
(same shape) and prefixes (one btree's keys lead another's)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pglast import ast

from ..catalog import Index
from ..drafts.sqltext import check_sql
from .policy_sql import render


@dataclass(frozen=True)
class Key:
    """One key of an index: a column name or expression, its operator class and collation,
    and its sort order (which a prefix comparison ignores)."""

    target: str
    opclass: tuple[str, ...] = ()
    collation: tuple[str, ...] = ()
    order: tuple[int, int] = (0, 0)

    @property
    def unordered(self) -> tuple:
        return (self.target, self.opclass, self.collation)


@dataclass(frozen=True)
class Shape:
    """Method, keys, INCLUDE columns and predicate of an index."""

    method: str
    keys: tuple[Key, ...]
    include: tuple[str, ...]
    predicate: str | None


@lru_cache(maxsize=4096)
def shape_of_definition(definition: str) -> Shape:
    (raw,) = check_sql(definition)
    stmt: ast.IndexStmt = raw.stmt
    keys = tuple(_key(elem) for elem in stmt.indexParams)
    include = tuple(e.name or render(e.expr) for e in stmt.indexIncludingParams or ())
    predicate = render(stmt.whereClause) if stmt.whereClause is not None else None
    return Shape(stmt.accessMethod or "btree", keys, include, predicate)


def shape_of(index: Index) -> Shape:
    """The shape of ``index``."""
    return shape_of_definition(index.definition)


def _key(elem: ast.IndexElem) -> Key:
    target = elem.name if elem.name is not None else render(elem.expr)
    return Key(target, _names(elem.opclass), _names(elem.collation),
               (int(elem.ordering), int(elem.nulls_ordering)))


def _names(items) -> tuple[str, ...]:
    return tuple(i.sval for i in items or () if isinstance(i, ast.String))


def same_shape(a: Index, b: Index) -> bool:
    """Whether two indexes index the same thing the same way (name and uniqueness aside)."""
    return shape_of(a) == shape_of(b)


def is_prefix(short: Index, long: Index) -> bool:
    """Whether btree ``short``'s keys lead btree ``long``'s (same predicate, no INCLUDE)."""
    a, b = shape_of(short), shape_of(long)
    if a.method != "btree" or b.method != "btree" or a.predicate != b.predicate or a.include:
        return False
    if len(a.keys) >= len(b.keys):
        return False
    return all(x.unordered == y.unordered for x, y in zip(a.keys, b.keys))


def leads_with(index: Index, column: str) -> bool:
    """A valid, non-partial index whose first key is ``column``."""
    shape = shape_of(index)
    return index.valid and shape.predicate is None and bool(shape.keys) \
        and shape.keys[0].target == column
