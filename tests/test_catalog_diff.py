"""Diffing two snapshots: real changes on real PostgreSQL, and hand-made snapshots."""
from __future__ import annotations

import psycopg

import workbench
from workbench.catalog import Column, Objects, Schema, Table, diff

BEFORE = """
CREATE TABLE items (id int PRIMARY KEY, name text, price numeric);
CREATE TABLE gone (id int);
CREATE INDEX items_name ON items (name);
ALTER TABLE items ENABLE ROW LEVEL SECURITY;
CREATE POLICY everyone ON items USING (true);
CREATE VIEW cheap AS SELECT id FROM items WHERE price < 10;
"""

CHANGE = """
DROP TABLE gone;
CREATE TABLE fresh (id int);
ALTER TABLE items ADD COLUMN sku text NOT NULL DEFAULT 'x';
ALTER TABLE items ALTER COLUMN name SET NOT NULL;
ALTER TABLE items FORCE ROW LEVEL SECURITY;
DROP INDEX items_name;
CREATE INDEX items_name ON items (lower(name));
ALTER POLICY everyone ON items USING (price > 0);
CREATE OR REPLACE VIEW cheap AS SELECT id FROM items WHERE price < 5;
INSERT INTO items SELECT n, 'n' || n, n FROM generate_series(1, 100) n;
ANALYZE items;
"""


def test_diff_of_real_changes(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(BEFORE)
        before = workbench.inspect(conn)
        conn.execute(CHANGE)
        after = workbench.inspect(conn)
    changes = {(c.action, c.kind, c.name): c.fields for c in diff(before, after)}
    assert changes == {
        ("removed", "table", "public.gone"): (),
        ("added", "table", "public.fresh"): (),
        ("changed", "table", "public.items"): ("rls_forced",),
        ("added", "column", "public.items.sku"): (),
        ("changed", "column", "public.items.name"): ("nullable",),
        ("changed", "index", "public.items.items_name"): ("columns", "definition"),
        ("changed", "policy", "public.items.everyone"): ("using",),
        ("changed", "view", "public.cheap"): ("definition",),
    }


def test_no_changes_between_equal_snapshots(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(BEFORE)
        first, second = workbench.inspect(conn), workbench.inspect(conn)
    result = diff(first, second)
    assert not result and result.summary_text() == "no changes"
    assert list(result.frame().columns) == ["action", "kind", "name", "fields"]


def snapshot(*tables: Table) -> Schema:
    return Schema("db", "18.6", 180006, Objects(tables=tables))


def test_diff_of_hand_made_snapshots_ignores_volatile_facts():
    columns = (Column("id", "integer", position=1), Column("name", "text", position=2))
    before = snapshot(Table("app", "t", "table", "me", columns=columns, rows_estimate=1))
    after = snapshot(Table("app", "t", "table", "me", columns=columns[::-1], rows_estimate=9))
    (change,) = diff(before, after).changes
    assert (change.action, change.kind, change.fields) == ("changed", "table", ("column order",))
    assert str(change) == "changed table app.t (column order)"
    assert repr(diff(before, after)) == "<SchemaDiff 0 added, 0 removed, 1 changed>"
    assert diff(before, before).to_dict() == []


def test_column_grants_and_default_privileges_are_named():
    from workbench.catalog import DefaultPrivilege, Grant

    before = Schema("db", "18.6", 180006)
    after = Schema("db", "18.6", 180006, Objects(
        grants=(Grant("column", "app", "people", "reader", "SELECT", False, "postgres", "name"),),
        default_privileges=(DefaultPrivilege("owner", "app", "table", "reader", "SELECT"),
                            DefaultPrivilege("owner", None, "function", "PUBLIC", "EXECUTE",
                                             revoked=True))))
    assert [str(c) for c in diff(before, after)] == [
        "added grant SELECT ON column app.people.name TO reader",
        "added default privilege for owner in app: GRANT SELECT ON tables TO reader",
        "added default privilege for owner: REVOKE EXECUTE ON functions FROM PUBLIC"]
