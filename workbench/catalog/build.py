"""Catalog rows (as :mod:`queries` returns them) → the frozen objects of a snapshot.

The objects keep the order of the rows: every catalog query sorts by schema and name in
code point order (``name`` columns sort with the "C" collation), columns by position.
Column numbers in index and constraint rows are named from the columns query.
"""
from __future__ import annotations

from collections import defaultdict

from .model import (Column, Constraint, DefaultPrivilege, EnumType, Extension, ForeignKey, Function,
                    Grant, Index, Namespace, Policy, Sequence, Table, Trigger, View)
from .objects import Objects
from .queries import Result
from .rows import Key, Reader, grouped

BACKED = frozenset({"primary key", "unique", "exclusion"})  # constraints that own an index
Names = dict[Key, dict[int, str]]


def build_objects(results: dict[str, Result]) -> Objects:
    """Assemble the objects of a snapshot."""
    return Objects(
        schemas=instances(Namespace, results["schemas"]),
        tables=build_tables(results),
        sequences=build_sequences(results["sequences"]),
        enums=instances(EnumType, results["enums"]),
        functions=instances(Function, results["functions"]),
        extensions=instances(Extension, results["extensions"]),
        grants=instances(Grant, results["grants"]),
        default_privileges=instances(DefaultPrivilege, results["default_privileges"]),
    )


def instances(cls, result: Result) -> tuple:
    """One ``cls`` per row."""
    make = Reader(cls, result).make
    return tuple(make(row) for row in result.rows)


def build_tables(results: dict[str, Result]) -> tuple[Table, ...]:
    """Tables with their columns, constraints, indexes, policies, triggers and view details."""
    names = column_names(results["columns"])
    constraints = build_constraints(results["constraints"], names)
    parts = {
        "columns": grouped(results["columns"], Reader(Column, results["columns"]).make),
        "constraints": constraints,
        "indexes": build_indexes(results["indexes"], names, backing(constraints)),
        "policies": grouped(results["policies"], Reader(Policy, results["policies"]).make),
        "triggers": grouped(results["triggers"], Reader(Trigger, results["triggers"]).make),
    }
    views = {(v.schema, v.name): v for v in instances(View, results["views"])}
    make = table_maker(results["tables"], parts, views)
    return tuple(make(row) for row in results["tables"].rows)


def table_maker(result: Result, parts: dict[str, dict[Key, tuple]], views: dict[Key, View]):
    """A function making the :class:`Table` of a row, with its parts attached."""
    reader = Reader(Table, result)
    key, parent = reader.getter("schema", "name"), reader.getter("parent_schema", "parent_name")
    table_bytes, inherits = reader.getter("table_bytes"), reader.getter("inherits")

    def make(row: tuple) -> Table:
        this = key(row)
        children = {kind: grouped_parts.get(this, ()) for kind, grouped_parts in parts.items()}
        return reader.make(row, partition_of=parent(row) if parent(row)[1] else None,
                           inherits=tuple(map(tuple, inherits(row))),
                           view=views.get(this), **children,
                           size_bytes=total_size(table_bytes(row), children["indexes"]))
    return make


def total_size(table_bytes: int | None, indexes: tuple[Index, ...]) -> int | None:
    """The table's own bytes (data, TOAST, maps) plus its indexes'."""
    if table_bytes is None:
        return None
    return table_bytes + sum(index.size_bytes or 0 for index in indexes)


def column_names(result: Result) -> Names:
    """``{(schema, table): {column number: column name}}``."""
    names: Names = defaultdict(dict)
    reader = Reader(Column, result)
    key, number, name = reader.getter("schema", "table"), reader.getter("position"), \
        reader.getter("name")
    for row in result.rows:
        names[key(row)][number(row)] = name(row)
    return names


def build_constraints(result: Result, names: Names) -> dict[Key, tuple]:
    """Constraints per table; foreign keys as :class:`ForeignKey`."""
    plain, foreign = Reader(Constraint, result), Reader(ForeignKey, result)
    kind, key = plain.getter("kind"), plain.getter("schema", "table")
    numbers = plain.getter("key_numbers")

    def make(row: tuple) -> Constraint:
        columns = tuple(map(names[key(row)].__getitem__, numbers(row) or ()))
        return (foreign if kind(row) == "foreign key" else plain).make(row, columns=columns)
    return grouped(result, make)


def backing(constraints: dict[Key, tuple]) -> set[tuple[str, str, str]]:
    """``(schema, table, name)`` of constraints that own an index (the index has their name)."""
    return {(c.schema, c.table, c.name) for group in constraints.values() for c in group
            if c.kind in BACKED}


def build_indexes(result: Result, names: Names, owners: set) -> dict[Key, tuple]:
    """Indexes per table, key columns named, expressions as text, backing constraint found."""
    reader = Reader(Index, result)
    key, name = reader.getter("schema", "table"), reader.getter("name")
    numbers, count = reader.getter("key_numbers"), reader.getter("key_count")
    texts = reader.getter("expressions")

    def make(row: tuple) -> Index:
        table, keys, width = key(row), numbers(row), count(row)
        named = index_keys(keys[:width], texts(row), names[table])
        include = tuple(map(names[table].__getitem__, keys[width:]))
        owner = name(row) if (*table, name(row)) in owners else None
        return reader.make(row, columns=named, include=include, constraint=owner)
    return grouped(result, make)


def index_keys(numbers: list[int], texts: list[str] | None,
               names: dict[int, str]) -> tuple[str, ...]:
    """Each key's column name, or its expression's text (column number 0)."""
    if texts is None:
        return tuple(map(names.__getitem__, numbers))
    return tuple(texts[i] if n == 0 else names[n] for i, n in enumerate(numbers))


def build_sequences(result: Result) -> tuple[Sequence, ...]:
    """Sequences, ``owned_by`` as ``(schema, table, column)``."""
    reader = Reader(Sequence, result)
    owner = reader.getter("owned_by_schema", "owned_by_table", "owned_by_column")
    identity = reader.getter("identity")
    return tuple(reader.make(row, owned_by=owner(row) if owner(row)[1] else None,
                             identity=bool(identity(row))) for row in result.rows)
