"""TypeScript types of a schema: golden text on an in-memory snapshot, keys and literals,
determinism, and the file check (no database needed)."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from workbench.catalog import (Column, Constraint, EnumType, ForeignKey, Function, Namespace,
                               Objects, Schema, Table)
from workbench.errors import WorkbenchError
from workbench.typegen import generated_schemas, types_status, typescript, write_types
from workbench.typegen.pgtypes import parse_type
from workbench.typegen.tsnames import ts_key, ts_string, value_key


def shop() -> Schema:
    """A small shop: identity and generated columns, arrays, an enum, a one-to-one key,
    a view, functions (defaults, TABLE results) and a trigger function (left out)."""
    customers = Table("shop", "customers", "table", "me", columns=(
        Column("id", "bigint", nullable=False, identity="by default"),
        Column("email", "character varying(200)", nullable=False),
        Column("mood", "shop.mood"),
    ), constraints=(Constraint("shop", "customers", "customers_pkey", "primary key", ("id",)),))
    profiles = Table("shop", "profiles", "table", "me", columns=(
        Column("customer_id", "bigint", nullable=False), Column("bio", "text"),
    ), constraints=(
        Constraint("shop", "profiles", "profiles_pkey", "primary key", ("customer_id",)),
        ForeignKey("shop", "profiles", "profiles_customer_id_fkey", columns=("customer_id",),
                   ref_schema="shop", ref_table="customers", ref_columns=("id",)),
    ))
    orders = Table("shop", "orders", "table", "me", columns=(
        Column("id", "bigint", nullable=False, identity="always"),
        Column("customer_id", "bigint", nullable=False),
        Column("total", "numeric(10,2)", nullable=False, default="0"),
        Column("total_cents", "bigint", generated="(total * 100)", generated_kind="stored"),
        Column("tags", "text[]"),
        Column("meta", "jsonb"),
        Column("placed", "timestamp with time zone", nullable=False, default="now()"),
        Column("paid", "boolean", nullable=False, default="false"),
        Column("moods", "shop.mood[]"),
    ), constraints=(
        Constraint("shop", "orders", "orders_pkey", "primary key", ("id",)),
        ForeignKey("shop", "orders", "orders_customer_id_fkey", columns=("customer_id",),
                   ref_schema="shop", ref_table="customers", ref_columns=("id",)),
    ))
    totals = Table("shop", "order_totals", "view", "me", columns=(
        Column("customer_id", "bigint"), Column("total", "numeric")))
    functions = (
        Function("shop", "add", "function", "a integer, b integer DEFAULT 1", "a integer, b integer",
                 "integer, integer", "integer", "sql", False, "immutable", False, "me"),
        Function("shop", "recent", "function", "n integer", "n integer", "integer",
                 "TABLE(id bigint, total numeric)", "sql", False, "stable", False, "me"),
        Function("shop", "touch", "function", "", "", "", "trigger", "plpgsql", False, "volatile",
                 False, "me"),
    )
    objects = Objects(schemas=(Namespace("shop", "me"),), tables=(customers, orders, totals, profiles),
                      enums=(EnumType("shop", "mood", ("happy", "sad"), "me"),), functions=functions)
    return Schema("db", "18.0", 180000, objects)


GOLDEN_TABLES = '''\
      orders: {
        Row: {
          customer_id: number
          id: number
          meta: Json | null
          moods: Database["shop"]["Enums"]["mood"][] | null
          paid: boolean
          placed: string
          tags: string[] | null
          total: number
          total_cents: number | null
        }
        Insert: {
          customer_id: number
          id?: never
          meta?: Json | null
          moods?: Database["shop"]["Enums"]["mood"][] | null
          paid?: boolean
          placed?: string
          tags?: string[] | null
          total?: number
          total_cents?: never
        }
        Update: {
          customer_id?: number
          id?: never
          meta?: Json | null
          moods?: Database["shop"]["Enums"]["mood"][] | null
          paid?: boolean
          placed?: string
          tags?: string[] | null
          total?: number
          total_cents?: never
        }
        Relationships: [
          {
            foreignKeyName: "orders_customer_id_fkey"
            columns: ["customer_id"]
            isOneToOne: false
            referencedRelation: "customers"
            referencedColumns: ["id"]
          },
        ]
      }
      profiles: {
        Row: {
          bio: string | null
          customer_id: number
        }
        Insert: {
          bio?: string | null
          customer_id: number
        }
        Update: {
          bio?: string | null
          customer_id?: number
        }
        Relationships: [
          {
            foreignKeyName: "profiles_customer_id_fkey"
            columns: ["customer_id"]
            isOneToOne: true
            referencedRelation: "customers"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      order_totals: {
        Row: {
          customer_id: number | null
          total: number | null
        }
        Relationships: []
      }
    }
    Functions: {
      add: {
        Args: {
          a: number
          b?: number
        }
        Returns: number
      }
      recent: {
        Args: {
          n: number
        }
        Returns: {
          id: number
          total: number
        }[]
      }
    }
    Enums: {
      mood: "happy" | "sad"
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}
'''


def test_golden_text_of_a_small_schema():
    text = typescript(shop())
    assert text.startswith("// Types of the database")
    assert 'export type Database = {\n  shop: {\n    Tables: {\n      customers: {\n' in text
    assert GOLDEN_TABLES in text
    assert "touch" not in text  # a trigger function cannot be called through the API
    assert 'export const Constants = {\n  shop: {\n    Enums: {\n      mood: ["happy", "sad"],\n' in text


def test_output_is_deterministic_and_ordered():
    schema = shop()
    shuffled = replace(schema, objects=replace(schema.objects,
                                               tables=tuple(reversed(schema.objects.tables))))
    assert typescript(schema) == typescript(shuffled)


def test_enum_outside_the_chosen_schemas_is_spelled_out():
    schema = shop()
    objects = replace(schema.objects, schemas=(*schema.objects.schemas, Namespace("other", "me")),
                      enums=(EnumType("other", "mood", ("a", 'b"c'), "me"),))
    objects = replace(objects, tables=tuple(
        replace(t, columns=(Column("m", "other.mood[]"),)) if t.name == "customers" else t
        for t in objects.tables))
    text = typescript(replace(schema, objects=objects), ["shop"])
    assert 'm: ("a" | "b\\"c")[] | null' in text
    assert 'Database["other"]' not in text


def test_unknown_schema_is_a_clear_error():
    with pytest.raises(WorkbenchError, match="no schema named 'nope'"):
        typescript(shop(), ["nope"])


@pytest.mark.parametrize("text, expected", [
    ("integer", ("pg_catalog", "int4", 0)),
    ("character varying(20)[]", ("pg_catalog", "varchar", 1)),
    ('"we""ird"."my enum"[][]', ('we"ird', "my enum", 2)),
    ("not a type (", (None, "unknown", 0)),
])
def test_type_names_are_read_by_postgresql_s_parser(text, expected):
    ref = parse_type(text)
    assert (ref.schema, ref.name, ref.dims) == expected


def test_keys_are_quoted_only_where_needed():
    assert ts_key("org_id") == "org_id" and ts_key("$x1") == "$x1"
    assert ts_key("1st") == '"1st"' and ts_key("a b") == '"a b"' and ts_key("ü") == '"ü"'
    assert ts_key('x"y\\z\n') == '"x\\"y\\\\z\\n"'
    assert ts_string("a\u2028b") == '"a\\u2028b"'
    assert value_key("__proto__") == '["__proto__"]'


def test_write_and_check_a_types_file(tmp_path):
    schema = shop()
    path = write_types(schema, tmp_path / "types" / "database.ts")
    assert generated_schemas(path.read_text()) == ["shop"]
    assert types_status(path, schema).ok
    changed = replace(schema, objects=replace(schema.objects, tables=schema.objects.tables[:2]))
    status = types_status(path, changed)
    assert status.exists and not status.matches and "differs" in status.detail
    assert not types_status(tmp_path / "missing.ts", schema).exists
    (tmp_path / "hand.ts").write_text("export type X = 1\n")
    assert "not generated" in types_status(tmp_path / "hand.ts", schema).detail


def test_options_header_is_one_ascii_line():
    schema = shop()
    objects = replace(schema.objects, schemas=(Namespace('we"ird\nü', "me"),))
    header = typescript(replace(schema, objects=objects)).splitlines()[2]
    assert header.isascii() and json.loads(header.split(": ", 1)[1])["schemas"] == ['we"ird\nü']
