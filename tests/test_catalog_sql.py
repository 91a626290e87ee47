"""The catalog's SQL text and plain-Python parts, checked without a server."""
from __future__ import annotations

import json
from dataclasses import fields
from importlib.resources import files

import pglast
import pytest
from pglast import ast

from workbench import WorkbenchError
from workbench.catalog import (Column, Constraint, DefaultPrivilege, EnumType, Extension,
                               ForeignKey, Function, Grant, Index, Namespace, Objects, Policy,
                               Schema, Sequence, Table, Trigger, View)
from workbench.catalog.names import qualified, quote_ident
from workbench.catalog.queries import KINDS, load
from workbench.catalog.sizes import human_size

SQL_DIR = files("workbench.catalog") / "sql"
SQL_FILES = sorted(p.name for p in SQL_DIR.iterdir() if p.name.endswith(".sql"))
PLACEHOLDER = "%(schemas)s"  # the one psycopg parameter, in filter.sql

# Each query's output columns, and the class whose fields they fill (fields made in Python left out).
FILLS = {
    "schemas": (Namespace, ()),
    "tables": (Table, ("columns", "constraints", "indexes", "policies", "triggers", "view",
                       "partition_of", "size_bytes")),
    "columns": (Column, ()),
    "constraints": (ForeignKey, ("columns",)),
    "indexes": (Index, ("columns", "include", "constraint")),
    "policies": (Policy, ()),
    "triggers": (Trigger, ()),
    "views": (View, ()),
    "sequences": (Sequence, ("owned_by",)),
    "enums": (EnumType, ()),
    "functions": (Function, ()),
    "extensions": (Extension, ()),
    "grants": (Grant, ()),
    "default_privileges": (DefaultPrivilege, ()),
}


def parsed(name: str):
    return pglast.parse_sql(load(name).replace(PLACEHOLDER, "NULL"))


def output_names(name: str) -> list[str]:
    """The names of a query's output columns, read from its syntax tree."""
    select = parsed(name)[-1].stmt
    targets = select.targetList
    if isinstance(targets[0].val, ast.ColumnRef) and isinstance(targets[0].val.fields[-1], ast.A_Star):
        select = select.fromClause[0].subquery
        targets = select.targetList
    return [t.name or t.val.fields[-1].sval for t in targets]


@pytest.mark.parametrize("name", SQL_FILES)
def test_every_sql_file_parses(name):
    assert parsed(name.removesuffix(".sql"))


def test_every_kind_has_a_file_and_every_file_is_used():
    assert sorted([*KINDS, "filter"]) == [n.removesuffix(".sql") for n in SQL_FILES]


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in ("database", "extensions")])
def test_every_catalog_query_honours_the_schema_filter(kind):
    text = load(kind)
    assert "current_setting('workbench.schemas', true)" in text
    assert "NOT LIKE 'pg\\_%'" in text and "'information_schema'" in text


@pytest.mark.parametrize("kind", list(FILLS))
def test_query_columns_fill_the_model(kind):
    cls, made_in_python = FILLS[kind]
    wanted = {f.name for f in fields(cls)} - set(made_in_python)
    assert wanted <= set(output_names(kind)), wanted - set(output_names(kind))


def test_quote_ident_matches_postgresql():
    assert quote_ident("orders") == "orders"
    assert quote_ident("select") == '"select"'
    assert quote_ident("Orders") == '"Orders"'
    assert quote_ident('a"b') == '"a""b"'
    assert quote_ident("ü") == '"ü"'
    assert quote_ident("name") == "name"  # unreserved keyword
    assert qualified("my schema", "t") == '"my schema".t'


def test_human_size():
    assert [human_size(n) for n in (None, 0, 8192, 16384, 10 * 1024 ** 3)] == [
        None, "0 bytes", "8192 bytes", "16 kB", "10 GB"]


def hand_made() -> Schema:
    orders = Table("app", "orders", "table", "me", rls_enabled=True, rows_estimate=10, size_bytes=8192,
                   columns=(Column("id", "integer", False, position=1),
                            Column("customer_id", "integer", position=2)),
                   constraints=(Constraint("app", "orders", "orders_pkey", "primary key", ("id",)),
                                ForeignKey("app", "orders", "orders_customer", columns=("customer_id",),
                                           ref_schema="app", ref_table="customers", ref_columns=("id",))),
                   indexes=(Index("app", "orders", "orders_pkey", "btree", ("id",), "CREATE …",
                                  unique=True, primary=True, constraint="orders_pkey"),),
                   policies=(Policy("app", "orders", "mine", "SELECT", using="true"),))
    customers = Table("app", "customers", "table", "me", columns=(Column("id", "integer", position=1),))
    return Schema("db", "18.6", 180006, Objects(schemas=(Namespace("app", "me"),),
                                                 tables=(customers, orders)))


def test_json_round_trip_without_a_server():
    schema = hand_made()
    back = Schema.from_dict(json.loads(json.dumps(schema.to_dict())))
    assert back == schema and back.table("app.orders").rows_estimate == 10
    assert isinstance(back.table("app.orders").constraints[1], ForeignKey)


def test_lookups_and_relationships_without_a_server():
    schema = hand_made()
    assert schema.table(("app", "orders")) is schema.table("orders") is schema.table('"app"."orders"')
    assert [fk.table for fk in schema.referenced_by("app.customers")] == ["orders"]
    assert schema.foreign_keys.loc[0, "indexed"] == False  # noqa: E712
    with pytest.raises(WorkbenchError, match="did you mean app.orders"):
        schema.table("app.order")


def test_display_without_a_server():
    schema = hand_made()
    assert repr(schema) == ("<Schema 'db' on PostgreSQL 18.6: 1 schema, 2 tables, 3 columns, "
                            "1 index, 1 foreign key, 1 policy>")
    assert "rls_enabled" in schema.summary_text()
    assert "&lt;" not in schema._repr_html_() and "<td>app</td>" in schema._repr_html_()


FRAMES = ["schemas", "tables", "constraints", "foreign_keys", "indexes", "policies", "triggers",
          "views", "functions", "grants", "default_privileges", "enums", "sequences", "extensions"]


def test_frames_of_an_empty_snapshot_keep_their_columns():
    empty = Schema("db", "18.6", 180006)
    for name in FRAMES:
        df = getattr(empty, name)
        assert len(df) == 0 and len(df.columns) > 2, name
    assert list(empty.columns().columns)[:4] == ["schema", "table", "position", "name"]
    assert "(none)" in empty.summary_text() and "<table>" not in empty._repr_html_()
