"""ER diagrams of real databases: a hostile scratch schema on both tiers, the demo databases,
and the ``workbench erd`` command."""
from __future__ import annotations

import xml.dom.minidom

import psycopg
import pytest

import workbench
import workbench.cli as cli
from workbench.cli import erd as erd_command
from workbench.erd import central_tables, erd, implied_relationships, path

HOSTILE_DESIGN = """
CREATE SCHEMA "Shop <&>";
CREATE TABLE "Shop <&>".customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "e""mail" text NOT NULL UNIQUE
);
ALTER TABLE "Shop <&>".customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY "mine <1>" ON "Shop <&>".customers USING (true);
CREATE TABLE "Shop <&>"."Order Lines ✓" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id uuid REFERENCES "Shop <&>".customers ON DELETE CASCADE,
    "qty\\n" integer NOT NULL
);
ALTER TABLE "Shop <&>"."Order Lines ✓" ENABLE ROW LEVEL SECURITY;
CREATE TABLE "Shop <&>".notes (id integer PRIMARY KEY, customer_id uuid NOT NULL, body text);
CREATE TABLE "Shop <&>"."{long}" (
    id integer PRIMARY KEY,
    line_id bigint NOT NULL REFERENCES "Shop <&>"."Order Lines ✓"
);
CREATE INDEX ON "Shop <&>"."{long}" (line_id);
"""
LONG = "l" * 60 + "ong"


@pytest.fixture
def hostile_schema(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(HOSTILE_DESIGN.replace("{long}", LONG))
    with workbench.connect(scratch_dsn) as session:
        yield scratch_dsn, workbench.inspect(session)


def test_hostile_schema_on_a_real_server(hostile_schema):
    dsn, schema = hostile_schema
    diagram = erd(schema, implied=True)
    assert set(diagram.tables) == {"Shop <&>.customers", "Shop <&>.Order Lines ✓",
                                   "Shop <&>.notes", f"Shop <&>.{LONG}"}
    xml.dom.minidom.parseString(diagram.svg().encode("utf-8"))
    assert "Order Lines ✓" in diagram.svg() and "e&quot;mail" in diagram.dot
    rules = {(f.table, f.column, f.rule) for fs in diagram.marks.columns.values() for f in fs}
    rules |= {(f.table, f.rule) for fs in diagram.marks.tables.values() for f in fs}
    assert rules == {("Order Lines ✓", "customer_id", "unindexed_foreign_key"),
                     ("Order Lines ✓", "rls_enabled_no_policy"), ("notes", "rls_disabled"),
                     (LONG, "rls_disabled")}
    assert implied_relationships(schema)[["table", "column", "ref_table"]].values.tolist() == [
        ["notes", "customer_id", "customers"]]
    assert diagram.dot.count("style=dashed") == 1


def test_join_sql_runs_on_the_server(hostile_schema):
    dsn, schema = hostile_schema
    found = path(schema, LONG, "customers")
    assert [str(p) for p in found] == [
        f"Shop <&>.{LONG} → Shop <&>.Order Lines ✓ → Shop <&>.customers"]
    with psycopg.connect(dsn) as conn:
        assert conn.execute(found.sql).fetchall() == []
    assert len(path(schema, "notes", "customers")) == 0
    with psycopg.connect(dsn) as conn:
        conn.execute(path(schema, "notes", "customers", implied=True).sql)


def test_every_format_saves_from_a_real_schema(hostile_schema, tmp_path):
    _, schema = hostile_schema
    diagram = erd(schema, "customers", depth=2)
    for suffix in ("svg", "png", "dot", "mmd", "dbml"):
        assert diagram.save(tmp_path / f"shop.{suffix}").stat().st_size > 100


PARTITIONED = """
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE events (id bigint, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE event_notes (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts,
                          event_id bigint, event_at date,
                          FOREIGN KEY (event_id, event_at) REFERENCES events);
CREATE VIEW recent_events AS SELECT * FROM events WHERE at > '2026-01-01';
"""


def test_partitions_and_views_on_a_real_server(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(PARTITIONED)
    with workbench.connect(scratch_dsn) as session:
        schema = workbench.inspect(session)
    diagram = erd(schema)
    assert diagram.tables == ("public.accounts", "public.event_notes", "public.events")
    assert ("2 partitions not drawn, only their parents (partitions=True draws them)"
            in diagram.notes)
    assert "1 view not drawn (views=True draws them)" in diagram.notes
    assert sorted(r.name for r in diagram.relationships) == [
        "event_notes_account_id_fkey", "event_notes_event_id_event_at_fkey"]
    assert "partitioned table" in diagram.dot
    everything = erd(schema, partitions=True, views=True)
    assert "public.events_2026" in everything.tables and "public.recent_events" in everything.tables
    assert "<svg" in everything.svg()
    assert path(schema, "accounts", "events").sql.endswith(
        "JOIN public.events AS e ON e.id = en.event_id AND e.at = en.event_at;")


# --- the demo databases (always built in the test session) -----------------------------------

@pytest.fixture(scope="module")
def nursery():
    with workbench.connect(workbench.demo_dsn("nursery", progress=False)) as session:
        return workbench.inspect(session)


@pytest.fixture(scope="module")
def agent():
    with workbench.connect(workbench.demo_dsn("agent", progress=False)) as session:
        return workbench.inspect(session)


def test_nursery_orders_neighbourhood(nursery):
    diagram = erd(nursery, "orders", depth=2, hide_audit=True)
    assert set(diagram.tables) == {f"nursery.{name}" for name in (
        "orders", "customers", "organizations", "order_items", "deliveries", "invoices",
        "allocations", "delivery_items", "invoice_items", "batches", "plant_varieties")}
    assert "auth.users" not in diagram.tables
    assert diagram.dot == erd(nursery, "nursery.orders", depth=2, hide_audit=True).dot


def test_nursery_depth_two_reaches_what_the_order_lines_reference(nursery):
    diagram = erd(nursery, "orders", depth=2)
    assert {"nursery.order_items", "nursery.batches", "nursery.plant_varieties"} <= set(
        diagram.tables)
    siblings = {"nursery.customer_contacts", "nursery.price_lists"}  # up, then down again
    assert not siblings & set(diagram.tables)
    assert siblings <= set(erd(nursery, "orders", depth=2, direction="any").tables)


def test_nursery_audit_keys_are_marks_on_their_columns_not_lines(nursery):
    diagram = erd(nursery, "orders")
    assert "auth.users" not in diagram.tables
    assert not [rel for rel in diagram.relationships if rel.parent == ("auth", "users")]
    assert '-> "auth.users"' not in diagram.dot
    orders = next(line for line in diagram.dot.splitlines() if line.startswith('  "nursery.orders"'))
    assert ">created_by<" in orders and ">uuid → auth.users<" in orders
    assert ">uuid → auth.users<" in diagram.svg()
    lines = erd(nursery, "orders", audit_edges=True)
    assert "auth.users" in lines.tables and '-> "auth.users"' in lines.dot
    assert "uuid → auth.users" not in lines.dot
    hidden = erd(nursery, "orders", hide_audit=True, audit_edges=True)
    assert ">created_by<" not in hidden.dot and "auth.users" not in hidden.dot


def test_nursery_planted_problems_are_highlighted(nursery):
    diagram = erd(nursery, hide_audit=True)
    columns = {(f.table, f.column, f.rule) for fs in diagram.marks.columns.values() for f in fs}
    tables = {(f.table, f.rule) for fs in diagram.marks.tables.values() for f in fs}
    assert ("order_items", "batch_id", "unindexed_foreign_key") in columns
    assert ("price_lists", "rls_disabled") in tables
    assert not any(table == "users" for table, _ in tables)
    assert "RLS on, 4 policies" in diagram.dot and "RLS forced" not in diagram.dot


def test_nursery_central_tables_and_join_path(nursery):
    top = central_tables(nursery, 3, hide_audit=True)
    assert top.loc[0, "table"] == "organizations"
    assert central_tables(nursery, 1).loc[0, "table"] == "users"
    direct = path(nursery, "invoices", "plant_varieties")
    assert [str(p) for p in direct] == [
        "nursery.invoices → nursery.organizations ← nursery.plant_varieties"]
    business = path(nursery, "invoices", "plant_varieties", avoid=["organizations"])
    assert len(business) >= 1 and all(len(p.steps) == 3 for p in business)
    with workbench.connect(workbench.demo_dsn("nursery", progress=False)) as session:
        session.conn.execute("EXPLAIN " + business.sql)


def test_agent_planted_problems_are_highlighted(agent):
    diagram = erd(agent, schemas=["agent"])
    columns = {(f.table, f.column, f.rule) for fs in diagram.marks.columns.values() for f in fs}
    tables = {(f.table, f.rule) for fs in diagram.marks.tables.values() for f in fs}
    assert ("task_messages", "user_id", "unindexed_foreign_key") in columns
    assert ("settings", "rls_enabled_no_policy") in tables


# --- the command line --------------------------------------------------------------------------

@pytest.fixture
def erd_cli(monkeypatch):
    """``workbench.cli.main`` with the erd command registered, whether or not it is already."""
    if erd_command not in cli.COMMANDS:
        monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, erd_command))
    return cli.main


def test_cli_writes_the_format_of_the_extension(erd_cli, tmp_path, capsys):
    dsn = workbench.demo_dsn("nursery", progress=False)
    for suffix in ("svg", "mmd", "dbml", "dot"):
        target = tmp_path / f"orders.{suffix}"
        code = erd_cli(["erd", "--dsn", dsn, "--focus", "orders", "--depth", "2",
                        "--direction", "children", "--hide-audit", "--columns", "keys",
                        "-o", str(target)])
        assert code == 0 and target.exists()
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'orders.svg'}: nursery.orders: what references it, 2 steps" in out
    assert "note: audit columns hidden" in out
    assert "invoice_items" in (tmp_path / "orders.mmd").read_text()


def test_cli_depth_counts_steps_both_ways(erd_cli, tmp_path):
    dsn = workbench.demo_dsn("nursery", progress=False)
    target = tmp_path / "orders.mmd"
    assert erd_cli(["erd", "--dsn", dsn, "--focus", "orders", "--depth", "2",
                    "-o", str(target)]) == 0
    drawn = target.read_text()
    assert 'batches" {' in drawn and 'plant_varieties" {' in drawn


def test_cli_draws_audit_lines_only_when_asked(erd_cli, tmp_path):
    dsn = workbench.demo_dsn("nursery", progress=False)
    for flags, lines in (([], False), (["--audit-edges"], True)):
        target = tmp_path / f"orders{len(flags)}.dot"
        assert erd_cli(["erd", "--dsn", dsn, "--focus", "orders", *flags, "-o", str(target)]) == 0
        assert ('-> "auth.users"' in target.read_text()) is lines


def test_cli_reports_mistakes_without_a_traceback(erd_cli, tmp_path, capsys):
    dsn = workbench.demo_dsn("nursery", progress=False)
    assert erd_cli(["erd", "--dsn", dsn, "--focus", "ordrs", "-o", str(tmp_path / "x.svg")]) == 2
    assert "did you mean nursery.orders" in capsys.readouterr().err
    assert erd_cli(["erd", "--dsn", dsn, "-o", str(tmp_path / "x.pdf")]) == 2
    assert "no renderer for .pdf" in capsys.readouterr().err
