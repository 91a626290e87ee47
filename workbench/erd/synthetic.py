"""Synthetic schemas, built in memory, for trying and measuring diagrams at any size.

``synthetic_schema(1000)`` is a Schema snapshot of 1,000 tables spread over a few schemas:
each references a shared tenant table and one or two earlier tables (some foreign keys
without an index, some tables without RLS), like a large application grown over years.
"""
from __future__ import annotations

import random

from ..catalog import (Column, Constraint, ForeignKey, Index, Namespace, Objects, Policy, Schema,
                       Table)

OWNER = "app"
EXTRA_COLUMNS = (("label", "text"), ("amount", "numeric(12,2)"), ("created_at", "timestamptz"))


def synthetic_schema(tables: int = 1000, *, schemas: int = 4, seed: int = 1) -> Schema:
    """A snapshot of ``tables`` tables (plus one ``tenants`` table) over ``schemas`` schemas."""
    chance = random.Random(seed)
    names = [f"s{number}" for number in range(schemas)]
    made = [tenant_table(names[0])]
    for number in range(tables):
        parents = chance.sample(made[1:], min(len(made) - 1, chance.choice((0, 1, 1, 2))))
        schema = names[number % schemas]
        made.append(app_table(schema, f"t{number:04d}", made[0], parents, chance))
    spaces = tuple(Namespace(name, OWNER) for name in names)
    objects = Objects(schemas=spaces, tables=tuple(sorted(made, key=lambda t: t.key)))
    return Schema(database="synthetic", server_version="18.0", server_version_num=180000,
                  objects=objects)


def tenant_table(schema: str) -> Table:
    columns = (Column("id", "bigint", False, position=1), Column("name", "text", False, position=2))
    return Table(schema, "tenants", "table", OWNER, columns=columns,
                 constraints=(primary(schema, "tenants"),),
                 indexes=(primary_index(schema, "tenants"),))


def app_table(schema: str, name: str, tenants: Table, parents: list[Table], chance) -> Table:
    """One table: id, tenant_id, a key per parent, a few plain and audit columns."""
    columns = [Column("id", "bigint", False, position=1),
               Column("tenant_id", "bigint", False, position=2)]
    keys = [foreign(schema, name, "tenant_id", tenants)]
    for parent in parents:
        column = f"{parent.name}_id"
        columns.append(Column(column, "bigint", chance.random() < 0.3, position=len(columns) + 1))
        keys.append(foreign(schema, name, column, parent))
    for extra, kind in EXTRA_COLUMNS:
        columns.append(Column(extra, kind, True, position=len(columns) + 1))
    indexes = [primary_index(schema, name)]
    indexes += [key_index(fk) for fk in keys if chance.random() < 0.85]
    rls = chance.random() < 0.9
    policies = (Policy(schema, name, "tenant", "ALL", using="tenant_id = 1"),) if rls else ()
    return Table(schema, name, "table", OWNER, columns=tuple(columns),
                 constraints=(primary(schema, name), *keys), indexes=tuple(indexes),
                 policies=policies, rls_enabled=rls)


def primary(schema: str, table: str) -> Constraint:
    return Constraint(schema, table, f"{table}_pkey", "primary key", ("id",), "PRIMARY KEY (id)")


def primary_index(schema: str, table: str) -> Index:
    return Index(schema, table, f"{table}_pkey", "btree", ("id",),
                 f"CREATE UNIQUE INDEX {table}_pkey ON {schema}.{table} USING btree (id)",
                 unique=True, primary=True, constraint=f"{table}_pkey")


def foreign(schema: str, table: str, column: str, parent: Table) -> ForeignKey:
    return ForeignKey(schema, table, f"{table}_{column}_fkey", columns=(column,),
                      definition=f"FOREIGN KEY ({column}) REFERENCES {parent.qualname}(id)",
                      ref_schema=parent.schema, ref_table=parent.name, ref_columns=("id",))


def key_index(fk: ForeignKey) -> Index:
    name = f"{fk.table}_{fk.columns[0]}_idx"
    return Index(fk.schema, fk.table, name, "btree", fk.columns,
                 f"CREATE INDEX {name} ON {fk.schema}.{fk.table} USING btree ({fk.columns[0]})")
