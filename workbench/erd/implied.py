"""Implied relationships: columns that look like foreign keys but have no constraint.

``customer_id uuid`` with no foreign key, next to a table ``customers`` whose key is
``id uuid``, is probably a missing constraint (or a deliberate one across a boundary). The
match is by name and exact type only; nothing is ever added to a diagram unless asked for.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from ..catalog import Table
from .options import TABLE_KINDS
from .relations import Relationship, is_identifying, unique_column_sets

IMPLIED_COLUMNS = ["schema", "table", "column", "type", "ref_schema", "ref_table", "ref_column",
                   "reason"]


@dataclass(frozen=True)
class Implied:
    """One implied relationship, the type of its column, and why it was matched."""

    relationship: Relationship
    type: str
    reason: str


@dataclass(frozen=True, eq=False)
class KeyColumn:
    """A single-column primary or unique key another table might point at."""

    table: Table
    column: str
    type: str


def implied_relationships(schema, *, schemas=None):
    """DataFrame: columns whose name and type match another table's key but have no foreign key."""
    import pandas as pd

    rows = [row(found) for found in find_implied(tables_of(schema, schemas))]
    return pd.DataFrame(rows, columns=IMPLIED_COLUMNS)


def implied(tables: Iterable[Table]) -> tuple[Relationship, ...]:
    """The implied relationships among ``tables``, as :class:`Relationship` objects."""
    return tuple(found.relationship for found in find_implied(tables))


def find_implied(tables: Iterable[Table]) -> list[Implied]:
    """Each implied relationship with the reason it was matched, in table/column order."""
    tables = sorted((t for t in tables if t.kind in TABLE_KINDS), key=lambda t: t.key)
    keys = KeyIndex(tables)
    found = []
    for table in tables:
        referenced = {c for fk in table.foreign_keys for c in fk.columns}
        for column in table.columns:
            if column.name in referenced:
                continue
            for target, reason in keys.matches(table, column):
                found.append(Implied(relationship(table, column, target), column.type, reason))
    return found


class KeyIndex:
    """The single-column keys of some tables, found by table name or by key column name."""

    def __init__(self, tables: Iterable[Table]):
        self.by_table: dict[str, list[KeyColumn]] = defaultdict(list)
        self.by_column: dict[str, list[KeyColumn]] = defaultdict(list)
        for key in key_columns(tables):
            self.by_table[key.table.name].append(key)
            self.by_column[key.column].append(key)

    def matches(self, table: Table, column) -> list[tuple[KeyColumn, str]]:
        """The keys ``column`` seems to point at; same-schema targets win over others."""
        found = [(key, reason) for key in self.candidates(column.name)
                 if key.type == column.type and key.table.key != table.key
                 and (reason := name_match(column.name, key))]
        same_schema = [m for m in found if m[0].table.schema == table.schema]
        return same_schema or found

    def candidates(self, name: str) -> list[KeyColumn]:
        if not name.endswith("_id"):
            return []
        tables = {form for stem in stems(name[:-3]) for form in plural_forms(stem)}
        found = [k for t in sorted(tables) for k in self.by_table.get(t, ())]
        return list(dict.fromkeys(found + self.by_column.get(name, [])))


def key_columns(tables: Iterable[Table]) -> list[KeyColumn]:
    """The single-column keys of ``tables``."""
    found = []
    for table in tables:
        types = {c.name: c.type for c in table.columns}
        for columns in unique_column_sets(table):
            if len(columns) == 1 and (name := next(iter(columns))) in types:
                found.append(KeyColumn(table, name, types[name]))
    return list({(k.table.key, k.column): k for k in found}.values())


def name_match(column: str, key: KeyColumn) -> str | None:
    """Why ``column`` names ``key`` (``customer_id`` → ``customers.id``), or None."""
    if key.column != "id" and key.column.endswith("_id") and column == key.column:
        return f"same name and type as the key {key.table.name}.{key.column}"
    if key.column == "id" and column.endswith("_id"):
        for stem in stems(column[:-3]):
            if key.table.name in plural_forms(stem):
                return f"{column} names {key.table.name}, whose key id has the same type"
    return None


def stems(words: str) -> list[str]:
    """``from_batch`` → ``["from_batch", "batch"]``: the name and its shorter endings."""
    parts = words.split("_")
    return ["_".join(parts[i:]) for i in range(len(parts)) if parts[i]]


def plural_forms(stem: str) -> set[str]:
    """The table names a singular stem may have: itself and its English plurals."""
    forms = {stem, stem + "s", stem + "es"}
    if stem.endswith("y"):
        forms.add(stem[:-1] + "ies")
    return forms


def relationship(table: Table, column, key: KeyColumn) -> Relationship:
    return Relationship(
        child=table.key, columns=(column.name,), parent=key.table.key, ref_columns=(key.column,),
        name=f"implied {column.name}", optional=column.nullable,
        one_to_one={column.name} in unique_column_sets(table),
        identifying=is_identifying(table, (column.name,)),
        indexed=any(i.columns[:1] == (column.name,) for i in table.indexes), implied=True)


def row(found: Implied) -> dict:
    rel = found.relationship
    return {"schema": rel.child[0], "table": rel.child[1], "column": rel.columns[0],
            "type": found.type, "ref_schema": rel.parent[0], "ref_table": rel.parent[1],
            "ref_column": rel.ref_columns[0], "reason": found.reason}


def tables_of(schema, schemas) -> list[Table]:
    wanted = set(schemas) if schemas else None
    return [t for t in schema.objects.tables if wanted is None or t.schema in wanted]
