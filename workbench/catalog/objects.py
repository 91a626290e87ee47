"""Every object of a snapshot, as tuples in a stable order (schema, then name)."""
from __future__ import annotations

from dataclasses import dataclass

from .model import (Constraint, DefaultPrivilege, EnumType, Extension, ForeignKey, Function,
                    Grant, Index, Namespace, Policy, Sequence, Table, Trigger, View)


@dataclass(frozen=True)
class Objects:
    """The objects of a snapshot. Tables carry their columns, constraints, indexes, policies
    and triggers; the properties below flatten those across all tables."""

    schemas: tuple[Namespace, ...] = ()
    tables: tuple[Table, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    enums: tuple[EnumType, ...] = ()
    functions: tuple[Function, ...] = ()
    extensions: tuple[Extension, ...] = ()
    grants: tuple[Grant, ...] = ()
    default_privileges: tuple[DefaultPrivilege, ...] = ()

    @property
    def views(self) -> tuple[View, ...]:
        return tuple(t.view for t in self.tables if t.view is not None)

    @property
    def constraints(self) -> tuple[Constraint, ...]:
        return tuple(c for t in self.tables for c in t.constraints)

    @property
    def foreign_keys(self) -> tuple[ForeignKey, ...]:
        return tuple(c for t in self.tables for c in t.foreign_keys)

    @property
    def indexes(self) -> tuple[Index, ...]:
        return tuple(i for t in self.tables for i in t.indexes)

    @property
    def policies(self) -> tuple[Policy, ...]:
        return tuple(p for t in self.tables for p in t.policies)

    @property
    def triggers(self) -> tuple[Trigger, ...]:
        return tuple(g for t in self.tables for g in t.triggers)
