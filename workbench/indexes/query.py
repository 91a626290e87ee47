"""What a query asks of each table, read from its pglast AST.

For every table a statement reads (in any subquery or CTE), an :class:`Access` lists the
conditions on it (equality, range, IN, IS NULL, LIKE…, each with the value's kind: a constant,
a ``$n`` parameter, another table's column), the columns it joins on, the ORDER BY and GROUP
BY it could deliver, the columns the query reads from it, and its ``OR`` groups: ``a = 1 OR
b = 1`` inside one table, each arm's conditions apart (an index per arm, BitmapOr-ed). Column names are resolved against the
``Schema`` snapshot, so unqualified names find their table (see :mod:`.reader`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection


@dataclass(frozen=True)
class Key:
    """An indexable expression on one table: a plain column or an expression over its columns."""

    sql: str
    columns: tuple[str, ...]
    expression: bool = False
    bare: bool = True

    @property
    def column(self) -> str | None:
        return None if self.expression else self.columns[0]


@dataclass(frozen=True)
class Condition:
    """One condition on a table. ``op``: eq, in, range, ne, null, not_null, bool, like, contains.

    ``constant`` says the value is fixed in the SQL (a literal), which makes the condition a
    candidate for a partial index predicate; ``sql`` is the condition as a predicate.
    """

    key: Key
    op: str
    constant: bool
    sql: str
    params: tuple[int, ...] = ()
    value: object = None

    def picks_tenant(self, tenant_columns: Collection[str]) -> bool:
        """Whether the condition picks one tenant: equality on one of ``tenant_columns``."""
        return self.op == "eq" and self.key.column in tenant_columns


@dataclass
class Access:
    """What one reference to a table in the query asks of it."""

    schema: str
    table: str
    alias: str | None
    all_columns: tuple[str, ...]
    conditions: list[Condition] = field(default_factory=list)
    joins: list[Key] = field(default_factory=list)
    order: list[tuple[Key, bool]] = field(default_factory=list)
    columns: set[str] | None = field(default_factory=set)
    limited: bool = False
    updated: set[str] = field(default_factory=set)
    any_of: list[tuple[tuple[Condition, ...], ...]] = field(default_factory=list)
    group: list[Key] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.table)

    def read(self, column: str | None) -> None:
        """Note that the query reads ``column`` (None: every column, as ``*`` does)."""
        if column is None:
            self.columns = None
        elif self.columns is not None:
            self.columns.add(column)


@dataclass
class QueryShape:
    """Every table access of a statement, in the order they appear."""

    sql: str
    accesses: list[Access]
    param_count: int
    kind: str

    def for_table(self, schema: str, table: str) -> list[Access]:
        return [a for a in self.accesses if a.key == (schema, table)]

    @property
    def tables(self) -> tuple[tuple[str, str], ...]:
        return tuple(dict.fromkeys(a.key for a in self.accesses))


def analyse(sql: str, schema) -> QueryShape:
    """The :class:`QueryShape` of one statement, resolved against a ``Schema`` snapshot."""
    from ..plans.statement import parse_statement
    from .reader import Reader

    statement = parse_statement(sql)
    reader = Reader(schema)
    reader.statement(statement.node, None)
    kind = type(statement.node).__name__.replace("Stmt", "").lower()
    return QueryShape(statement.sql, reader.accesses, statement.param_count, kind)
