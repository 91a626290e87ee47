"""Tables and views as Supabase shapes them: ``Row``, ``Insert``, ``Update`` and
``Relationships`` (from the foreign keys)."""
from __future__ import annotations

from ..catalog import Column, ForeignKey, Table
from .resolve import Resolver
from .tsblock import Obj, Tuple
from .tsnames import ts_key, ts_string

def table_type(table: Table, resolver: Resolver) -> Obj:
    """``{ Row; Insert; Update; Relationships }`` of a table."""
    columns = sorted(table.columns, key=lambda c: c.name)
    return (Obj().add("Row", Obj([(ts_key(c.name), row_type(c, resolver)) for c in columns]))
            .add("Insert", Obj([insert_entry(c, resolver) for c in columns]))
            .add("Update", Obj([update_entry(c, resolver) for c in columns]))
            .add("Relationships", relationships(table)))


def view_type(table: Table, resolver: Resolver) -> Obj:
    """``{ Row; Relationships }`` of a view: every column may be null, as PostgreSQL reports."""
    columns = sorted(table.columns, key=lambda c: c.name)
    row = Obj([(ts_key(c.name), nullable(resolver.ts_type(c.type))) for c in columns])
    return Obj().add("Row", row).add("Relationships", Tuple())


def row_type(column: Column, resolver: Resolver) -> str:
    """The column's type, ``| null`` when it is nullable."""
    base = resolver.ts_type(column.type)
    return nullable(base) if column.nullable else base


def nullable(base: str) -> str:
    return f"{base} | null"


def is_written_by_database(column: Column) -> bool:
    """Generated columns and ``GENERATED ALWAYS`` identities: never written by the application."""
    return column.generated is not None or column.identity == "always"


def insert_entry(column: Column, resolver: Resolver) -> tuple[str, str]:
    """``name`` required, ``name?`` when the database fills it in, ``?: never`` when it must."""
    if is_written_by_database(column):
        return (ts_key(column.name) + "?", "never")
    optional = column.nullable or column.identity is not None or column.default is not None
    return (ts_key(column.name) + ("?" if optional else ""), row_type(column, resolver))


def update_entry(column: Column, resolver: Resolver) -> tuple[str, str]:
    """Every column optional; ``?: never`` for those the database writes."""
    if is_written_by_database(column):
        return (ts_key(column.name) + "?", "never")
    return (ts_key(column.name) + "?", row_type(column, resolver))


def relationships(table: Table) -> Tuple:
    """One entry per foreign key, sorted by constraint name then referenced table."""
    keys = sorted(table.foreign_keys, key=lambda fk: (fk.name, fk.ref_table))
    return Tuple([relationship(fk, one_to_one(table, fk)) for fk in keys])


def relationship(fk: ForeignKey, one: bool) -> Obj:
    return Obj([("foreignKeyName", ts_string(fk.name)),
                ("columns", string_tuple(fk.columns)),
                ("isOneToOne", "true" if one else "false"),
                ("referencedRelation", ts_string(fk.ref_table)),
                ("referencedColumns", string_tuple(fk.ref_columns))])


def string_tuple(names) -> str:
    return "[" + ", ".join(ts_string(n) for n in names) + "]"


def one_to_one(table: Table, fk: ForeignKey) -> bool:
    """Whether the key's columns are also unique on ``table`` (a primary key, a unique
    constraint, or a unique index without a predicate)."""
    wanted = set(fk.columns)
    unique = [set(c.columns) for c in table.constraints if c.kind in ("primary key", "unique")]
    unique += [set(i.columns) for i in table.indexes if i.unique and i.predicate is None]
    return wanted in unique
