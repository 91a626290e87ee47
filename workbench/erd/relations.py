"""Relationships between tables: foreign keys (and implied ones), with the facts a diagram draws.

A :class:`Relationship` points from the child (the referencing table) to the parent (the
referenced table). It knows whether the child side is optional (a nullable key column),
unique (one-to-one), part of the child's primary key (identifying) and backed by an index.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from ..catalog import ForeignKey, Table

Key = tuple[str, str]


@dataclass(frozen=True)
class Relationship:
    """A child table's ``columns`` referencing a parent table's ``ref_columns``."""

    child: Key
    columns: tuple[str, ...]
    parent: Key
    ref_columns: tuple[str, ...]
    name: str
    on_delete: str = "NO ACTION"
    optional: bool = False
    one_to_one: bool = False
    identifying: bool = False
    indexed: bool = True
    implied: bool = False

    @property
    def self_reference(self) -> bool:
        return self.child == self.parent

    def other(self, key: Key) -> Key:
        """The table at the other end from ``key``."""
        return self.parent if key == self.child else self.child

    def describe(self) -> str:
        """``nursery.orders (customer_id) → nursery.customers (id)``."""
        return (f"{'.'.join(self.child)} ({', '.join(self.columns)}) → "
                f"{'.'.join(self.parent)} ({', '.join(self.ref_columns)})")


def from_foreign_key(table: Table, fk: ForeignKey) -> Relationship:
    """The relationship a foreign key of ``table`` declares."""
    nullable = {c.name for c in table.columns if c.nullable}
    return Relationship(
        child=table.key, columns=fk.columns, parent=fk.ref_key, ref_columns=fk.ref_columns,
        name=fk.name, on_delete=fk.on_delete,
        optional=any(c in nullable for c in fk.columns),
        one_to_one=set(fk.columns) in unique_column_sets(table),
        identifying=is_identifying(table, fk.columns),
        indexed=fk.covering_index(table.indexes) is not None,
    )


def foreign_key_relationships(tables: Iterable[Table]) -> tuple[Relationship, ...]:
    """Every foreign key of ``tables``, in table then constraint-name order."""
    return tuple(from_foreign_key(t, fk) for t in sorted(tables, key=lambda t: t.key)
                 for fk in sorted(t.foreign_keys, key=lambda f: f.name))


def unique_column_sets(table: Table) -> list[set[str]]:
    """The column sets the table keeps unique: primary key, unique constraints, unique indexes."""
    sets = [set(c.columns) for c in table.constraints if c.kind in ("primary key", "unique")]
    sets += [set(i.columns) for i in table.indexes if i.unique and i.predicate is None and i.valid]
    return sets


def is_identifying(table: Table, columns: Iterable[str]) -> bool:
    """Whether ``columns`` are all part of the table's primary key."""
    primary = table.primary_key
    return primary is not None and set(columns) <= set(primary.columns)


def is_audit(relationship: Relationship, audit_columns: Iterable[str]) -> bool:
    """Whether every column of the relationship is an audit column (``created_by`` …)."""
    return set(relationship.columns) <= set(audit_columns)


def adjacency(relationships: Iterable[Relationship]) -> tuple[dict, dict]:
    """Two maps: table → relationships it declares (to parents), and → those pointing at it."""
    up: dict[Key, list[Relationship]] = defaultdict(list)
    down: dict[Key, list[Relationship]] = defaultdict(list)
    for rel in relationships:
        up[rel.child].append(rel)
        down[rel.parent].append(rel)
    return up, down
