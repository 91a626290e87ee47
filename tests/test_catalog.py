"""The Schema snapshot against real PostgreSQL (both tiers): what it sees, and how it reads."""
from __future__ import annotations

import json
import uuid

import psycopg
import pytest
from psycopg import sql

import workbench
from workbench import Settings, WorkbenchError
from workbench.catalog import ForeignKey, Schema
from workbench.catalog.queries import KINDS

DESIGN = """
CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'the shop';
CREATE TYPE shop.status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE shop.customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text COLLATE "C",
    tenant_id int NOT NULL DEFAULT 1
);
COMMENT ON TABLE shop.customers IS 'who buys';
COMMENT ON COLUMN shop.customers.email IS 'login';
CREATE INDEX customers_email_lower ON shop.customers (lower(email));
CREATE TABLE shop.orders (
    id serial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customers (id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    status shop.status NOT NULL DEFAULT 'new',
    total numeric(10, 2) CHECK (total >= 0),
    total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED,
    placed_at timestamptz DEFAULT now(),
    during tstzrange,
    CONSTRAINT orders_no_overlap EXCLUDE USING gist (during WITH &&)
);
ALTER TABLE shop.orders ADD CONSTRAINT orders_total_sane CHECK (total < 1e6) NOT VALID;
CREATE INDEX orders_open ON shop.orders (placed_at) WHERE status <> 'shipped';
CREATE INDEX orders_customer ON shop.orders (customer_id) INCLUDE (total);
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE shop.orders FORCE ROW LEVEL SECURITY;
CREATE POLICY orders_read ON shop.orders FOR SELECT TO {reader} USING (customer_id > 0);
CREATE POLICY orders_small ON shop.orders AS RESTRICTIVE FOR INSERT TO PUBLIC
    WITH CHECK (total < 1000);
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = shop, pg_temp
    AS $$BEGIN NEW.placed_at := now(); RETURN NEW; END$$;
CREATE FUNCTION shop.add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE STRICT
    AS 'SELECT a + b';
REVOKE EXECUTE ON FUNCTION shop.touch() FROM PUBLIC;
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON shop.orders
    FOR EACH ROW EXECUTE FUNCTION shop.touch();
CREATE VIEW shop.paid_orders WITH (security_barrier, security_invoker = on) AS
    SELECT id, total FROM shop.orders WHERE status = 'paid';
CREATE MATERIALIZED VIEW shop.totals AS
    SELECT customer_id, sum(total) AS total FROM shop.orders GROUP BY customer_id WITH NO DATA;
CREATE SEQUENCE shop.invoice_no AS integer START 100 INCREMENT 5;
CREATE TABLE shop.events (
    id bigint, at date NOT NULL, order_id int REFERENCES shop.orders (id),
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE shop.events_2025 PARTITION OF shop.events
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE shop.event_notes (
    event_id bigint, at date, note text,
    CONSTRAINT notes_event FOREIGN KEY (event_id, at) REFERENCES shop.events (id, at)
);
GRANT USAGE ON SCHEMA shop TO {reader};
GRANT SELECT ON shop.orders TO {reader} WITH GRANT OPTION;
GRANT EXECUTE ON FUNCTION shop.touch() TO {reader};
"""


@pytest.fixture
def reader(scratch_dsn):
    """A role of this test's own (roles belong to the whole server), dropped after."""
    name = f"wb_reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


@pytest.fixture
def shop(scratch_dsn, reader) -> Schema:
    """A snapshot of the ``shop`` design above."""
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(DESIGN.replace("{reader}", reader))
        return workbench.inspect(conn)


class CountingConnection:
    """A psycopg connection that records every statement it runs."""

    def __init__(self, conn: psycopg.Connection):
        self._conn = conn
        self.statements: list[str] = []

    def execute(self, query, params=None, **options):
        self.statements.append(str(query))
        return self._conn.execute(query, params, **options)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_tables_and_their_kinds(shop):
    kinds = {(t.name, t.kind) for t in shop.objects.tables}
    assert kinds == {("customers", "table"), ("orders", "table"), ("paid_orders", "view"),
                     ("totals", "matview"), ("events", "partitioned"), ("events_2025", "table"),
                     ("event_notes", "table")}
    customers = shop.table("shop.customers")
    assert customers.comment == "who buys" and customers.owner == "postgres"
    assert customers.rows_estimate is None and customers.size_bytes is None  # never analyzed
    assert shop.table("shop.events").partition_key == "RANGE (at)"
    part = shop.table("shop.events_2025")
    assert part.partition_of == ("shop", "events")
    assert part.partition_bound == "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"


def test_row_estimates_and_sizes_after_analyze(shop, scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO shop.customers (email) SELECT 'c' || n FROM generate_series(1, 500) n")
        conn.execute("ANALYZE shop.customers")
        customers = workbench.inspect(conn).table("shop.customers")
    assert customers.rows_estimate == 500
    indexes = sum(index.size_bytes for index in customers.indexes)
    assert indexes >= 3 * 8192 and customers.size_bytes >= indexes + 8192


def test_columns(shop):
    customers = shop.table("shop.customers")
    assert [c.name for c in customers.columns] == ["id", "email", "name", "tenant_id"]
    assert customers.column("id").identity == "always"
    assert customers.column("email").comment == "login"
    assert customers.column("email").nullable is False
    assert customers.column("name").collation == "C"
    assert customers.column("tenant_id").default == "1"
    orders = shop.table("shop.orders")
    assert orders.column("id").default == "nextval('shop.orders_id_seq'::regclass)"
    assert orders.column("status").type == "shop.status"
    assert orders.column("total").type == "numeric(10,2)"
    cents = orders.column("total_cents")
    assert cents.generated == "(total * 100::numeric)::bigint" and cents.generated_kind == "stored"
    assert cents.default is None


def test_constraints(shop):
    orders = shop.table("shop.orders")
    by_name = {c.name: c for c in orders.constraints}
    assert set(by_name) == {"orders_pkey", "orders_customer_id_fkey", "orders_total_check",
                            "orders_total_sane", "orders_no_overlap"}
    assert by_name["orders_pkey"].kind == "primary key" and by_name["orders_pkey"].columns == ("id",)
    assert by_name["orders_no_overlap"].kind == "exclusion"
    assert by_name["orders_total_sane"].validated is False
    assert by_name["orders_total_check"].definition == "CHECK (total >= 0::numeric)"
    fk = by_name["orders_customer_id_fkey"]
    assert isinstance(fk, ForeignKey)
    assert (fk.ref_schema, fk.ref_table, fk.ref_columns) == ("shop", "customers", ("id",))
    assert (fk.on_delete, fk.on_update, fk.deferrable, fk.deferred) == ("CASCADE", "NO ACTION", True, True)
    assert shop.table("shop.customers").primary_key.columns == ("id",)


def test_foreign_keys_to_a_partitioned_table_appear_once(shop):
    notes = shop.table("shop.event_notes")
    assert [(fk.name, fk.columns, fk.ref_table) for fk in notes.foreign_keys] == [
        ("notes_event", ("event_id", "at"), "events")]
    assert [fk.inherited for fk in shop.table("shop.events_2025").foreign_keys] == [True]


def test_relationship_helpers(shop):
    referencing = {(fk.table, fk.name) for fk in shop.referenced_by("shop.orders")}
    assert referencing == {("events", "events_order_id_fkey"), ("events_2025", "events_order_id_fkey")}
    assert [fk.ref_table for fk in shop.foreign_keys_of("shop.orders")] == ["customers"]
    assert {i.name for i in shop.indexes_of("shop.orders")} == {
        "orders_pkey", "orders_open", "orders_customer", "orders_no_overlap"}
    assert [p.name for p in shop.policies_of("shop.orders")] == ["orders_read", "orders_small"]
    assert [t.name for t in shop.triggers_of("shop.orders")] == ["orders_touch"]


def test_indexes(shop):
    indexes = {i.name: i for i in shop.objects.indexes}
    assert indexes["customers_email_lower"].columns == ("lower(email)",)
    partial = indexes["orders_open"]
    assert partial.predicate == "status <> 'shipped'::shop.status" and partial.columns == ("placed_at",)
    assert indexes["orders_customer"].include == ("total",)
    assert indexes["orders_pkey"].primary and indexes["orders_pkey"].constraint == "orders_pkey"
    assert indexes["orders_no_overlap"].method == "gist"
    assert indexes["customers_email_key"].unique and indexes["customers_email_key"].valid
    assert indexes["orders_open"].definition.startswith("CREATE INDEX orders_open ON shop.orders")


def test_row_level_security_and_policies(shop, reader):
    orders = shop.table("shop.orders")
    assert orders.rls_enabled and orders.rls_forced
    read, small = orders.policies
    assert (read.command, read.permissive, read.roles, read.using) == (
        "SELECT", True, (reader,), "customer_id > 0")
    assert (small.command, small.permissive, small.roles) == ("INSERT", False, ("public",))
    assert small.with_check == "total < 1000::numeric" and small.using is None


def test_triggers_views_sequences_enums(shop):
    (trigger,) = shop.table("shop.orders").triggers
    assert (trigger.timing, trigger.events, trigger.level) == ("BEFORE", ("INSERT", "UPDATE"), "ROW")
    assert trigger.function == "shop.touch" and trigger.enabled == "origin"
    assert trigger.definition.startswith("CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE")
    view = shop.view("shop.paid_orders")
    assert view.security_invoker and view.security_barrier and "status = 'paid'" in view.definition
    assert shop.view("shop.totals").populated is False
    assert shop.enum("shop.status").labels == ("new", "paid", "shipped")
    invoice = shop.sequence("shop.invoice_no")
    assert (invoice.type, invoice.start, invoice.increment, invoice.owned_by) == ("integer", 100, 5, None)
    assert shop.sequence("shop.orders_id_seq").owned_by == ("shop", "orders", "id")
    assert shop.sequence("shop.customers_id_seq").identity


def test_functions_and_grants(shop, reader):
    touch = shop.function("shop.touch")
    assert (touch.language, touch.security_definer, touch.returns) == ("plpgsql", True, "trigger")
    assert touch.search_path == "shop, pg_temp"
    assert "NEW.placed_at := now()" in touch.definition
    add = shop.function("shop.add(integer, integer)")
    assert (add.arguments, add.volatility, add.strict) == ("a integer, b integer DEFAULT 1", "immutable", True)
    grants = {(g.object_type, g.name, g.grantee, g.privilege, g.grantable) for g in shop.objects.grants}
    assert ("table", "orders", reader, "SELECT", True) in grants
    assert ("schema", "shop", reader, "USAGE", False) in grants
    assert ("function", "touch()", reader, "EXECUTE", False) in grants
    assert ("function", "add(integer, integer)", "PUBLIC", "EXECUTE", False) in grants
    assert not any(g[1] == "touch()" and g[2] == "PUBLIC" for g in grants)


def test_grants_on_a_table_and_its_description(shop, reader):
    on_orders = shop.grants_on("orders")
    assert ("table", reader, "SELECT", True) in {(g.object_type, g.grantee, g.privilege, g.grantable)
                                                 for g in on_orders}
    assert {(g.schema, g.name, g.object_type) for g in on_orders} == {("shop", "orders", "table")}
    described = json.loads(json.dumps(shop.describe("customers")))
    assert described["qualified_name"] == "shop.customers" and described["columns"][1]["name"] == "email"
    assert [fk["name"] for fk in described["referenced_by"]] == ["orders_customer_id_fkey"]
    assert described["grants"] == [dict(vars(g)) for g in shop.grants_on("customers")]
    with pytest.raises(WorkbenchError, match="no table 'custmers'"):
        shop.describe("custmers")


def test_column_grants_and_default_privileges(scratch_dsn, reader):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(f"""
            CREATE SCHEMA app;
            CREATE TABLE app.people (id int, name text, secret text);
            GRANT SELECT (id, name) ON app.people TO {reader};
            GRANT UPDATE (name) ON app.people TO {reader} WITH GRANT OPTION;
            ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
            ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO {reader};
            ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO {reader} WITH GRANT OPTION;
        """)
        schema = workbench.inspect(conn)
        only_public = workbench.inspect(conn, schemas=["public"])
        conn.execute(f"ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;"
                     f"ALTER DEFAULT PRIVILEGES REVOKE USAGE ON SEQUENCES FROM {reader}")
    columns = {(g.name, g.column, g.privilege, g.grantable) for g in schema.objects.grants
               if g.object_type == "column"}
    assert columns == {("people", "id", "SELECT", False), ("people", "name", "SELECT", False),
                       ("people", "name", "UPDATE", True)}
    defaults = {(d.schema, d.object_type, d.grantee, d.privilege, d.grantable, d.revoked)
                for d in schema.objects.default_privileges}
    assert defaults == {(None, "function", "PUBLIC", "EXECUTE", False, True),
                        (None, "sequence", reader, "USAGE", True, False),
                        ("app", "table", reader, "SELECT", False, False)}
    assert {d.role for d in schema.objects.default_privileges} == {"postgres"}
    assert {d.schema for d in only_public.objects.default_privileges} == {None}
    assert list(schema.default_privileges.columns)[:3] == ["role", "schema", "object_type"]
    assert "column" in schema.grants.columns
    assert Schema.from_dict(json.loads(json.dumps(schema.to_dict()))) == schema


def test_schemas_and_server(shop, scratch_dsn):
    assert {(s.name, s.comment) for s in shop.objects.schemas} >= {("shop", "the shop")}
    assert shop.database == psycopg.conninfo.conninfo_to_dict(scratch_dsn)["dbname"]
    with psycopg.connect(scratch_dsn) as conn:
        version_num = int(conn.execute("SHOW server_version_num").fetchone()[0])
    assert shop.server_version_num == version_num
    assert shop.server_version.startswith(f"{version_num // 10000}.")


def test_extension_objects_are_left_out(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION pg_trgm")
        conn.execute("CREATE EXTENSION pg_stat_statements")  # its views belong to it
        schema = workbench.inspect(conn)
    assert [e.name for e in schema.objects.extensions] == ["pg_stat_statements", "pg_trgm", "plpgsql"]
    assert schema.objects.functions == () and schema.objects.tables == ()
    assert {g.object_type for g in schema.objects.grants} <= {"schema"}


def test_schema_filter(shop, scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        only_public = workbench.inspect(conn, schemas=["public"])
        with pytest.raises(WorkbenchError, match="no schema named 'nope'"):
            workbench.inspect(conn, schemas=["nope"])
        assert workbench.inspect(conn, schemas=["shop"]).objects.tables == shop.objects.tables
    assert [s.name for s in only_public.objects.schemas] == ["public"]
    assert only_public.objects.tables == ()


def test_works_on_a_session(scratch_dsn):
    with workbench.connect(scratch_dsn) as session:
        session.conn.execute("CREATE TABLE t (id int PRIMARY KEY)")
        assert workbench.inspect(session).table("t").primary_key.name == "t_pkey"


def test_sees_the_changes_of_a_transaction_still_open(scratch_dsn):
    with workbench.connect(scratch_dsn) as session:
        with session.rolled_back() as conn:
            conn.execute("CREATE TABLE draft (id int)")
            assert workbench.inspect(conn).table("draft").columns[0].name == "id"
        assert workbench.inspect(session).objects.tables == ()


HOSTILE_SCHEMA = 'My "Schema" ü'
HOSTILE_TABLES = ["select", "Order Details", 'quote"d', "t" * 63, "ü" * 31 + "x", "Ünïcødé.tåble"]
HOSTILE_COLUMNS = ["from", "Mixed Case", 'a"b', "col.with.dots", "c" * 63]


def test_hostile_identifiers_round_trip_exactly(scratch_dsn):
    statements = [sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(HOSTILE_SCHEMA))]
    for n, table in enumerate(HOSTILE_TABLES):
        statements += hostile_table(table, f"Índex {n} \"x\"", f"Pölicy {n} ; drop")
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)
        schema = workbench.inspect(conn)
        for table in HOSTILE_TABLES:
            found = schema.table((HOSTILE_SCHEMA, table))
            assert schema.table(found.qualname) is found
            assert [c.name for c in found.columns] == HOSTILE_COLUMNS
            assert found.indexes[0].columns == tuple(HOSTILE_COLUMNS[:2])
            assert found.policies[0].name.startswith("Pölicy") and found.policies[0].name.endswith("; drop")
            assert conn.execute(f"SELECT count(*) FROM {found.qualname}").fetchone()[0] == 0
        only_hostile = workbench.inspect(conn, schemas=[HOSTILE_SCHEMA])
    assert [t.name for t in schema.objects.tables] == sorted(HOSTILE_TABLES)  # code point order
    assert only_hostile.objects.tables == schema.objects.tables
    assert [s.name for s in only_hostile.objects.schemas] == [HOSTILE_SCHEMA]


def hostile_table(table: str, index: str, policy: str) -> list:
    name = sql.Identifier(HOSTILE_SCHEMA, table)
    columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in HOSTILE_COLUMNS)
    return [
        sql.SQL("CREATE TABLE {} ({})").format(name, columns),
        sql.SQL("CREATE INDEX {} ON {} ({}, {})").format(
            sql.Identifier(index), name, sql.Identifier(HOSTILE_COLUMNS[0]), sql.Identifier(HOSTILE_COLUMNS[1])),
        sql.SQL("CREATE POLICY {} ON {} USING ({} IS NOT NULL)").format(
            sql.Identifier(policy), name, sql.Identifier(HOSTILE_COLUMNS[2])),
    ]


def test_inspection_is_read_only_and_repeatable(shop, scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True, options="-c default_transaction_read_only=on") as conn:
        counting = CountingConnection(conn)
        again = workbench.inspect(counting)
        assert conn.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"
    assert again == shop
    assert "READ ONLY" in counting.statements[0]


def test_a_locked_table_gives_a_clear_error(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as holder:
        holder.execute("CREATE TABLE busy (id int DEFAULT 1)")
        with holder.transaction():
            holder.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE")
            with workbench.connect(scratch_dsn, settings=Settings(lock_timeout="200ms")) as session:
                with pytest.raises(WorkbenchError, match="holds a table locked"):
                    workbench.inspect(session)


def count_statements(dsn: str, tables: int) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        for n in range(tables):
            conn.execute(f"CREATE TABLE many_{n} (id int PRIMARY KEY, parent int REFERENCES many_{n} (id))")
            conn.execute(f"CREATE INDEX ON many_{n} (parent)")
        counting = CountingConnection(conn)
        schema = workbench.inspect(counting)
    assert len([t for t in schema.objects.tables if t.name.startswith("many_")]) == tables
    return len(counting.statements)


def test_number_of_queries_does_not_grow_with_tables(server):
    from workbench.testing import scratch_database

    with scratch_database(server) as small, scratch_database(server) as large:
        # one per kind, the transaction's settings, and search_path pinned to public
        assert count_statements(small, 5) == count_statements(large, 50) == len(KINDS) + 3


def test_frames_have_the_expected_columns(shop):
    assert list(shop.tables.columns) == [
        "schema", "name", "kind", "owner", "rows_estimate", "size", "size_bytes", "columns",
        "indexes", "rls_enabled", "rls_forced", "policies", "triggers", "partition_of", "comment"]
    assert list(shop.tables["name"]) == sorted(t.name for t in shop.objects.tables)
    assert list(shop.columns("shop.customers")["name"]) == ["id", "email", "name", "tenant_id"]
    assert len(shop.columns()) == sum(len(t.columns) for t in shop.objects.tables)
    expected = {
        "schemas": "schema", "constraints": "definition", "foreign_keys": "indexed",
        "indexes": "predicate", "policies": "with_check", "triggers": "events",
        "views": "security_invoker", "functions": "search_path", "grants": "grantee",
        "enums": "labels", "sequences": "owned_by", "extensions": "version",
    }
    for name, column in expected.items():
        df = getattr(shop, name)
        assert column in df.columns and len(df) > 0, name
    fks = shop.foreign_keys.set_index("name")
    assert fks.loc["orders_customer_id_fkey", "indexed"]
    assert not fks.loc["notes_event", "indexed"]
    assert shop.enums.loc[0, "labels"] == "new, paid, shipped"


def test_json_round_trip(shop):
    data = json.loads(json.dumps(shop.to_dict()))
    assert data["database"] == shop.database and "tables" in data
    back = Schema.from_dict(data)
    assert back == shop
    assert back.table("shop.customers").size_bytes == shop.table("shop.customers").size_bytes
    assert [fk.name for fk in back.table("shop.orders").foreign_keys] == ["orders_customer_id_fkey"]


def test_missing_table_suggests_close_names(shop):
    with pytest.raises(WorkbenchError) as error:
        shop.table("shop.ordres")
    assert "no table 'shop.ordres'" in str(error.value)
    assert "did you mean shop.orders" in str(error.value)
    with pytest.raises(WorkbenchError, match="did you mean shop.customers"):
        shop.table("Custmers")
    assert shop.table("Shop.Customers") is shop.table("shop.customers")  # read as SQL reads it


def test_display(shop):
    assert repr(shop).startswith(f"<Schema {shop.database!r} on PostgreSQL {shop.server_version}")
    html = shop._repr_html_()
    assert "<table>" in html and "Row Level Security" in html and "shop" in html
    text = shop.summary_text()
    assert "rls_enabled" in text and "shop" in text
    assert repr(shop.table("shop.orders")) == "<Table shop.orders (table): 7 columns, 4 indexes, 2 policies>"
    table_html = shop.table("shop.orders")._repr_html_()
    assert "RLS forced" in table_html and "orders_touch" in table_html and "&lt;&gt;" in table_html
