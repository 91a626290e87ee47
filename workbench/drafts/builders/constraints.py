"""Indexes and constraints, each in its lock-friendly form: indexes ``CONCURRENTLY``, foreign
keys and checks ``NOT VALID`` then ``VALIDATE``, unique constraints over an index built
concurrently."""
from __future__ import annotations

import pglast
from pglast import ast

from ..draft import Draft
from ..sqltext import walk
from .compose import draft_of
from .indexes import CONCURRENT_NOTE, index_draft
from .names import constraint_names, derived, index_name, relation_names
from .ops import (AddCheck, AddForeignKey, AddUnique, CreateIndex, DropConstraint, Reference,
                  ValidateConstraint)
from .sqlparts import expression, names

VALIDATE_NOTE = "NOT VALID then VALIDATE: existing rows are checked without blocking writes"


def add_index(schema: str, table: str, columns, *, name: str | None = None, unique: bool = False,
              method: str | None = None, where: str | None = None, include=(),
              snapshot=None, rationale: str = "") -> Draft:
    """``CREATE INDEX CONCURRENTLY``; down drops it concurrently (the one index Draft,
    :func:`.indexes.index_draft`). The name is free in ``snapshot``'s schema when not given."""
    columns = names(columns)
    name = name or index_name(table, columns, relation_names(snapshot, schema), unique=unique)
    index = CreateIndex(schema, table, name, columns, unique, method, where, tuple(include))
    return index_draft(index, rationale=rationale)


def add_foreign_key(schema: str, table: str, columns, ref_table: str, ref_columns=("id",), *,
                    ref_schema: str | None = None, on_delete: str | None = None,
                    name: str | None = None, index: bool = True, snapshot=None) -> Draft:
    """A foreign key added ``NOT VALID`` and validated; with ``index``, the index that keeps
    deletes on the referenced table fast."""
    columns = names(columns)
    ref = Reference(ref_schema or schema, ref_table, names(ref_columns), on_delete)
    name = name or derived([table, *columns], "fkey", constraint_names(snapshot, schema, table))
    ops = [AddForeignKey(schema, table, name, columns, ref),
           ValidateConstraint(schema, table, name)]
    notes = [VALIDATE_NOTE]
    if index:
        idx = index_name(table, columns, relation_names(snapshot, schema))
        ops.insert(0, CreateIndex(schema, table, idx, columns))
        notes.append(CONCURRENT_NOTE)
    return draft_of(f"Foreign key {schema}.{table} ({', '.join(columns)}) → {ref_table}", ops,
                    notes=notes)


def condition_columns(condition: str) -> list[str]:
    """The unqualified columns a condition mentions, in order of first mention."""
    (raw,) = pglast.parse_sql(f"SELECT ({expression(condition, 'check condition')})")
    found: list[str] = []
    for node in walk(raw.stmt):
        if isinstance(node, ast.ColumnRef) and len(node.fields) == 1 \
                and isinstance(node.fields[0], ast.String) and node.fields[0].sval not in found:
            found.append(node.fields[0].sval)
    return found


def add_check(schema: str, table: str, condition: str, *, name: str | None = None,
              snapshot=None) -> Draft:
    """A CHECK constraint added ``NOT VALID`` and validated."""
    name = name or derived([table, *condition_columns(condition)], "check",
                           constraint_names(snapshot, schema, table))
    ops = [AddCheck(schema, table, name, condition, not_valid=True),
           ValidateConstraint(schema, table, name)]
    return draft_of(f"Check {name} on {schema}.{table}", ops, notes=(VALIDATE_NOTE,))


def add_unique(schema: str, table: str, columns, *, name: str | None = None,
               snapshot=None) -> Draft:
    """A unique index built ``CONCURRENTLY``, then the constraint over it."""
    columns = names(columns)
    taken = relation_names(snapshot, schema) | constraint_names(snapshot, schema, table)
    name = name or index_name(table, columns, taken, unique=True)
    index = CreateIndex(schema, table, name, columns, unique=True)
    constraint = AddUnique(schema, table, name, name)
    return draft_of(f"Unique {schema}.{table} ({', '.join(columns)})", [index, constraint],
                    down_ops=[DropConstraint(schema, table, name)], notes=(CONCURRENT_NOTE,))
