"""Migration impact, measured: each statement kind traced on a scratch database of each tier
(PostgreSQL 18 and 15) with some thousands of rows, and checked three ways:

- against PostgreSQL's documentation (the lock mode each statement takes on each table, and
  whether it rewrites or scans: the expectations below, with their source);
- against a direct reading, made here without the workbench: the statement run in a plain
  transaction, then ``pg_locks`` of that backend, ``pg_relation_filenode()`` and
  ``pg_stat_xact_user_tables`` read and the transaction rolled back;
- for the statements a transaction cannot hold (``CREATE INDEX CONCURRENTLY``, ``VACUUM``…),
  the mode they ask for, read from ``pg_locks`` while they wait behind a lock of this test's.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import psycopg
import pytest

import workbench
from tests.conftest import TIERS
from workbench.impact import trace
from workbench.impact.lockmodes import strongest
from workbench.testing import scratch_database

SETUP = """
CREATE SCHEMA shop;
CREATE TYPE shop.state AS ENUM ('new', 'paid');
CREATE TABLE shop.customers (id int PRIMARY KEY, name varchar(20) NOT NULL, email text);
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int NOT NULL, qty int,
                          status varchar(20) NOT NULL DEFAULT 'new', note text);
CREATE INDEX orders_status_idx ON shop.orders (status);
INSERT INTO shop.customers SELECT g, 'c' || g, 'c' || g || '@example.com' FROM generate_series(1, 2000) g;
INSERT INTO shop.orders SELECT g, 1 + g % 2000, 1 + g % 9, 'new', NULL FROM generate_series(1, 20000) g;
ALTER TABLE shop.orders ADD CONSTRAINT orders_qty_positive CHECK (qty > 0) NOT VALID;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
ANALYZE;
"""
ORDERS, CUSTOMERS = "shop.orders", "shop.customers"
ORDER_INDEXES = {"shop.orders_pkey", "shop.orders_status_idx"}
AE, SRE, SHARE, SUE = ("AccessExclusiveLock", "ShareRowExclusiveLock", "ShareLock",
                       "ShareUpdateExclusiveLock")
ALTER_TABLE_DOCS = "ALTER TABLE: most forms take ACCESS EXCLUSIVE unless noted"


@dataclass(frozen=True)
class Kind:
    """A statement kind: its SQL and what the documentation says it does. ``modes``: the
    strongest mode per table; ``rewrites``: tables rewritten; ``validated``: tables read to
    validate; ``source``: where the documentation says so."""

    sql: str
    modes: dict[str, str]
    source: str
    rewrites: frozenset[str] = frozenset()
    validated: frozenset[str] = frozenset()
    traced: bool = True


KINDS = {
    "add column nullable": Kind("ALTER TABLE shop.orders ADD COLUMN memo text", {ORDERS: AE},
                                ALTER_TABLE_DOCS + "; a nullable column without default only changes the catalog"),
    "add column volatile default": Kind(
        "ALTER TABLE shop.orders ADD COLUMN r float8 DEFAULT random()", {ORDERS: AE},
        "ALTER TABLE notes: a volatile DEFAULT makes every row be rewritten", frozenset({ORDERS})),
    "add column constant default": Kind(
        "ALTER TABLE shop.orders ADD COLUMN flag int NOT NULL DEFAULT 0", {ORDERS: AE},
        "ALTER TABLE notes: a non-volatile DEFAULT is stored in the catalog, no rewrite (PostgreSQL 11+)"),
    "add serial column": Kind("ALTER TABLE shop.customers ADD COLUMN seq serial", {CUSTOMERS: AE},
                              "ALTER TABLE notes: nextval() is volatile: a rewrite", frozenset({CUSTOMERS})),
    "drop column": Kind("ALTER TABLE shop.orders DROP COLUMN note", {ORDERS: AE},
                        "ALTER TABLE notes: DROP COLUMN hides the column, no rewrite"),
    "widen varchar": Kind("ALTER TABLE shop.orders ALTER COLUMN status TYPE varchar(40)", {ORDERS: AE},
                          "ALTER TABLE notes: a binary-coercible type change (longer varchar) skips the rewrite"),
    "int to bigint": Kind("ALTER TABLE shop.orders ALTER COLUMN qty TYPE bigint", {ORDERS: AE},
                          "ALTER TABLE notes: a type change that is not binary-coercible rewrites the table "
                          "and its indexes", frozenset({ORDERS})),
    "set not null": Kind("ALTER TABLE shop.orders ALTER COLUMN qty SET NOT NULL", {ORDERS: AE},
                         "ALTER TABLE: SET NOT NULL scans the table to check no row is null",
                         validated=frozenset({ORDERS})),
    "set default": Kind("ALTER TABLE shop.orders ALTER COLUMN qty SET DEFAULT 1", {ORDERS: AE},
                        ALTER_TABLE_DOCS + "; existing rows are not touched"),
    "add check": Kind("ALTER TABLE shop.orders ADD CONSTRAINT orders_id_positive CHECK (id > 0)",
                      {ORDERS: AE}, "ALTER TABLE ADD table_constraint: ACCESS EXCLUSIVE, and existing "
                      "rows are checked", validated=frozenset({ORDERS})),
    "add check not valid": Kind(
        "ALTER TABLE shop.orders ADD CONSTRAINT orders_id_positive CHECK (id > 0) NOT VALID",
        {ORDERS: AE}, "ALTER TABLE: NOT VALID skips the check of existing rows"),
    "validate constraint": Kind(
        "ALTER TABLE shop.orders VALIDATE CONSTRAINT orders_qty_positive", {ORDERS: SUE},
        "ALTER TABLE: VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE and scans the table",
        validated=frozenset({ORDERS})),
    "add foreign key": Kind(
        "ALTER TABLE shop.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) "
        "REFERENCES shop.customers (id)", {ORDERS: SRE, CUSTOMERS: SRE},
        "ALTER TABLE: ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on both tables and checks the rows",
        validated=frozenset({ORDERS, CUSTOMERS})),
    "add foreign key not valid": Kind(
        "ALTER TABLE shop.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) "
        "REFERENCES shop.customers (id) NOT VALID", {ORDERS: SRE, CUSTOMERS: SRE},
        "ALTER TABLE: ADD FOREIGN KEY … NOT VALID takes the same locks and checks no existing row"),
    "add unique": Kind("ALTER TABLE shop.customers ADD CONSTRAINT customers_name_key UNIQUE (name)",
                       {CUSTOMERS: AE}, "ALTER TABLE ADD table_constraint: ACCESS EXCLUSIVE; the unique "
                       "index is built from the rows", validated=frozenset({CUSTOMERS})),
    "create index": Kind("CREATE INDEX orders_customer_idx ON shop.orders (customer_id)", {ORDERS: SHARE},
                         "CREATE INDEX: SHARE lock, writes wait, reads go on"),
    "create index concurrently": Kind(
        "CREATE INDEX CONCURRENTLY orders_customer_idx ON shop.orders (customer_id)", {ORDERS: SUE},
        "CREATE INDEX CONCURRENTLY: SHARE UPDATE EXCLUSIVE", traced=False),
    "drop index": Kind("DROP INDEX shop.orders_status_idx", {ORDERS: AE},
                       "DROP INDEX: a normal DROP INDEX takes ACCESS EXCLUSIVE on the table"),
    "drop index concurrently": Kind("DROP INDEX CONCURRENTLY shop.orders_status_idx", {ORDERS: SUE},
                                    "DROP INDEX CONCURRENTLY: selects, inserts, updates and deletes go on",
                                    traced=False),
    "rename column": Kind("ALTER TABLE shop.orders RENAME COLUMN note TO remark", {ORDERS: AE},
                          ALTER_TABLE_DOCS),
    "rename table": Kind("ALTER TABLE shop.customers RENAME TO clients", {CUSTOMERS: AE}, ALTER_TABLE_DOCS),
    "enable rls": Kind("ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY", {ORDERS: AE}, ALTER_TABLE_DOCS),
    "create policy": Kind("CREATE POLICY orders_positive ON shop.orders USING (qty > 0)", {ORDERS: AE},
                          "CREATE POLICY: not in the lock tables; PostgreSQL's policy.c opens the table "
                          "with AccessExclusiveLock"),
    "create trigger": Kind("CREATE TRIGGER orders_touch BEFORE UPDATE ON shop.orders FOR EACH ROW "
                           "EXECUTE FUNCTION shop.touch()", {ORDERS: SRE},
                           "Explicit Locking: CREATE TRIGGER takes SHARE ROW EXCLUSIVE"),
    "set fillfactor": Kind("ALTER TABLE shop.orders SET (fillfactor = 70)", {ORDERS: SUE},
                           "ALTER TABLE SET (storage parameter): fillfactor takes SHARE UPDATE EXCLUSIVE"),
    "truncate": Kind("TRUNCATE shop.orders", {ORDERS: AE},
                     "Explicit Locking: TRUNCATE takes ACCESS EXCLUSIVE; the table gets new storage",
                     frozenset({ORDERS})),
    "cluster": Kind("CLUSTER shop.orders USING orders_pkey", {ORDERS: AE},
                    "Explicit Locking: CLUSTER takes ACCESS EXCLUSIVE and writes the table anew",
                    frozenset({ORDERS})),
    "analyze": Kind("ANALYZE shop.orders", {ORDERS: SUE}, "Explicit Locking: ANALYZE takes SHARE UPDATE EXCLUSIVE"),
    "create table with foreign key": Kind(
        "CREATE TABLE shop.notes (id int PRIMARY KEY, order_id int REFERENCES shop.orders (id))",
        {ORDERS: SRE}, "ALTER TABLE ADD FOREIGN KEY: SHARE ROW EXCLUSIVE on the referenced table"),
    "add enum value": Kind("ALTER TYPE shop.state ADD VALUE 'shipped'", {},
                           "ALTER TYPE: ADD VALUE runs in a transaction since PostgreSQL 12; no table lock"),
    "vacuum": Kind("VACUUM shop.orders", {ORDERS: SUE},
                   "Explicit Locking: VACUUM (without FULL) takes SHARE UPDATE EXCLUSIVE", traced=False),
    "vacuum full": Kind("VACUUM FULL shop.orders", {ORDERS: AE},
                        "Explicit Locking: VACUUM FULL takes ACCESS EXCLUSIVE", traced=False),
    "reindex concurrently": Kind("REINDEX TABLE CONCURRENTLY shop.orders", {ORDERS: SUE},
                                 "Explicit Locking: REINDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE",
                                 traced=False),
}


@pytest.fixture(scope="module", params=TIERS)
def shop(request) -> str:
    """A scratch database of each tier with the shop schema, some thousands of rows."""
    admin = request.getfixturevalue(request.param)
    with scratch_database(admin, prefix="wb_impact") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(SETUP)
        yield dsn


@pytest.fixture
def session(shop):
    with workbench.connect(shop) as opened:
        yield opened


# --- the direct readings, made without the workbench ------------------------------------

@dataclass(frozen=True)
class Reading:
    locks: frozenset[tuple[str, str]]
    rewritten: frozenset[str]
    scanned: frozenset[str]


RELATIONS = """SELECT c.oid, 'shop.' || c.relname, pg_relation_filenode(c.oid) FROM pg_class c
                WHERE c.relnamespace = 'shop'::regnamespace AND c.relkind IN ('r', 'i', 'S')"""
LOCKS = """SELECT relation, mode FROM pg_locks
            WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted"""
SCANS = """SELECT 'shop.' || relname, seq_scan + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables
            WHERE schemaname = 'shop'"""


def direct_reading(dsn: str, sql: str) -> Reading:
    """Run ``sql`` in a plain transaction, read pg_locks, file nodes and scan counters, roll back."""
    with psycopg.connect(dsn) as conn:
        before = {oid: (name, node) for oid, name, node in conn.execute(RELATIONS)}
        scans_before = dict(conn.execute(SCANS).fetchall())
        conn.execute(sql)
        after = {oid: (name, node) for oid, name, node in conn.execute(RELATIONS)}
        names = {oid: name for oid, (name, _) in {**after, **before}.items()}
        locks = {(names[oid], mode) for oid, mode in conn.execute(LOCKS) if oid in names}
        nodes_after = {name: node for name, node in after.values()}
        rewritten = {name for name, node in before.values() if nodes_after.get(name, node) != node}
        rewritten |= {before[oid][0] for oid in before if oid in after and after[oid][1] != before[oid][1]}
        scanned = {name for name, n in conn.execute(SCANS) if n > scans_before.get(name, n)}
        conn.rollback()
    return Reading(frozenset(locks), frozenset(rewritten), frozenset(scanned))


def mode_asked_while_blocked(dsn: str, table: str, sql: str) -> str:
    """The lock mode ``sql`` (which cannot run in a transaction) asks for on ``table``: this
    test holds SHARE UPDATE EXCLUSIVE on the table (VACUUM first looks the table up under
    ACCESS SHARE, which that lets through; every mode expected here conflicts with it), reads
    the waiting request from pg_locks, then cancels the statement before it does anything."""
    with psycopg.connect(dsn) as holder, psycopg.connect(dsn, autocommit=True) as runner:
        holder.execute(f"LOCK TABLE {table} IN SHARE UPDATE EXCLUSIVE MODE")
        pid = runner.info.backend_pid
        failure = []
        thread = threading.Thread(target=lambda: _run_expecting_cancel(runner, sql, failure))
        thread.start()
        try:
            mode = _waiting_mode(holder, pid, table)
        finally:
            holder.execute("SELECT pg_cancel_backend(%s)", (pid,))
            thread.join(10)
            holder.rollback()
        assert failure == ["canceled"], failure
        return mode


def _run_expecting_cancel(conn, sql: str, failure: list) -> None:
    try:
        conn.execute(sql)
        failure.append("ran to the end")
    except psycopg.errors.QueryCanceled:
        failure.append("canceled")


def _waiting_mode(conn, pid: int, table: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        row = conn.execute("SELECT mode FROM pg_locks WHERE pid = %s AND NOT granted AND relation = %s::regclass",
                           (pid, table)).fetchone()
        if row:
            return row[0]
        time.sleep(0.02)
    raise AssertionError(f"no lock request on {table} seen")


def strongest_per_table(locks, tables) -> dict[str, str]:
    modes: dict[str, list[str]] = {}
    for relation, mode in locks:
        if relation in tables:
            modes.setdefault(relation, []).append(mode)
    return {relation: "+".join(strongest(found)) for relation, found in modes.items()}


# --- every statement kind ------------------------------------------------------------------

def test_at_least_twenty_statement_kinds_are_covered():
    assert len(KINDS) >= 20 and sum(not k.traced for k in KINDS.values()) >= 4


@pytest.mark.parametrize("name", [n for n, k in KINDS.items() if k.traced])
def test_traced_statement_kind(session, shop, name):
    kind = KINDS[name]
    (found,) = trace(session, kind.sql, squawk=False).statements
    direct = direct_reading(shop, kind.sql)
    tables = {ORDERS, CUSTOMERS}
    assert found.traced and found.duration_ms is not None and found.duration_ms >= 0
    # what pg_locks says, read directly, is what the trace reports
    assert {(l.relation, l.mode) for l in found.locks if l.relation.startswith("shop.")} == set(direct.locks)
    # and it is what the documentation says
    assert strongest_per_table(((l.relation, l.mode) for l in found.locks), tables) == kind.modes, kind.source
    assert {t for t in found.rewrites if t in tables} == set(kind.rewrites), kind.source
    assert {t for t in direct.rewritten if t in tables} == set(kind.rewrites)
    assert set(found.validated) == set(kind.validated), kind.source
    assert set(kind.validated) <= set(direct.scanned) and set(kind.validated) <= set(found.scanned)


@pytest.mark.parametrize("name", [n for n, k in KINDS.items() if not k.traced])
def test_statement_kind_that_cannot_run_in_a_transaction(session, shop, name):
    kind = KINDS[name]
    (found,) = trace(session, kind.sql, squawk=False).statements
    assert not found.traced and found.duration_ms is None and found.held_ms is None
    assert "cannot run inside a transaction block" in found.reason and found.source.startswith("https://")
    assert all(lock.documented for lock in found.locks)
    assert {lock.relation: lock.mode for lock in found.locks} == kind.modes, kind.source
    (table, mode), = kind.modes.items()
    assert mode_asked_while_blocked(shop, table, kind.sql) == mode
    assert found.to_dict()["locks"] == []  # nothing presented as measured
    assert any(w.startswith("documented: takes") and "(not measured)" in w for w in found.words())


def test_rewrites_name_the_rebuilt_indexes_and_new_relations_are_not_rewrites(session):
    found = trace(session, "ALTER TABLE shop.orders ALTER COLUMN qty TYPE bigint;"
                           "CREATE INDEX orders_qty_idx ON shop.orders (qty);", squawk=False)
    assert set(found[0].rewrites) == {ORDERS} | ORDER_INDEXES
    assert found[1].rewrites == () and found[1].created == ("shop.orders_qty_idx",)
    assert found[1].scanned == {ORDERS: (1, 0)} and found[1].validated == ()
    assert any(l.relation == "shop.orders_qty_idx" and l.new for l in found[1].locks)


def test_an_upgrade_is_a_new_lock_and_a_lock_already_held_is_not(session, shop):
    sql = ("CREATE INDEX orders_qty_idx ON shop.orders (qty);"
           "ALTER TABLE shop.orders ADD COLUMN memo text;"
           "ALTER TABLE shop.orders ADD COLUMN memo2 text;")
    found = trace(session, sql, squawk=False)
    assert strongest_per_table(((l.relation, l.mode) for l in found[0].locks), {ORDERS}) == {ORDERS: SHARE}
    assert (ORDERS, AE) in {(l.relation, l.mode) for l in found[1].locks}  # SHARE → ACCESS EXCLUSIVE
    assert not [l for l in found[2].locks if l.relation == ORDERS]
    assert (ORDERS, AE, 2, None) in {(r, m, n, t) for r, m, n, t in found[2].earlier_locks}
    assert "runs while earlier statements still hold ACCESS EXCLUSIVE on shop.orders (since statement 2)" \
        in found[2].words()
    direct = direct_reading(shop, sql)
    assert {(ORDERS, SHARE), (ORDERS, AE)} <= set(direct.locks)


# --- held until the end of the transaction --------------------------------------------------

HELD = """
ALTER TABLE shop.customers ADD COLUMN vip boolean;
ALTER TABLE shop.orders ADD CONSTRAINT orders_id_positive CHECK (id > 0);
CREATE INDEX orders_customer_idx ON shop.orders (customer_id);
ALTER TABLE shop.orders ALTER COLUMN qty SET NOT NULL;
ALTER TABLE shop.customers ADD CONSTRAINT customers_id_positive CHECK (id > 0);
CREATE INDEX CONCURRENTLY orders_qty_idx ON shop.orders (qty);
ALTER TABLE shop.orders ADD COLUMN memo text;
"""


def test_locks_are_held_from_their_statement_to_the_end_of_its_transaction(session):
    found = trace(session, HELD, squawk=False)
    first = found[0]
    assert first.held_until == 5  # CREATE INDEX CONCURRENTLY ends the runner's transaction
    assert first.held_ms == pytest.approx(sum(s.duration_ms for s in found.statements[:5]))
    assert found[1].held_ms == pytest.approx(sum(s.duration_ms for s in found.statements[1:5]))
    assert found[1].held_ms < first.held_ms
    assert found[5].held_ms is None and not found[5].traced
    assert found[6].held_until == 7 and found[6].held_ms == pytest.approx(found[6].duration_ms)
    hold = next(h for h in found.holds() if h.relation == CUSTOMERS and h.mode == AE)
    assert (hold.start, hold.until) == (1, 5) and "SELECT" in hold.blocks
    assert "from this statement until the transaction ends after statement 5" in " ".join(first.words())
    assert any("ran as its stand-in" in note for note in found.notes)


def test_a_new_transaction_shows_the_locks_an_earlier_one_held_in_the_trace(session):
    """After CREATE INDEX CONCURRENTLY a runner starts a new transaction: statement 7 asks for
    ACCESS EXCLUSIVE on orders again, which statements 2 and 4 already hold in the trace."""
    found = trace(session, HELD, squawk=False)
    (again,) = [l for l in found[6].locks if l.relation == ORDERS]
    assert (again.mode, again.alone, again.new) == (AE, True, False)
    assert "SELECT" in found[6].blocks and found[6].held_ms == pytest.approx(found[6].duration_ms)
    assert "seen when it ran alone" in " ".join(found[6].words())
    assert not any(l.alone for s in found.statements[:5] for l in s.locks)  # same transaction: as seen
    assert found.failures(0)[-1].startswith(f"statement 7 holds ACCESS EXCLUSIVE on {ORDERS} for ")


def test_a_statement_that_cannot_run_alone_says_which_locks_it_may_take_unseen(session):
    found = trace(session, "ALTER TABLE shop.orders ADD COLUMN memo text;\nVACUUM shop.orders;\n"
                           "ALTER TABLE shop.orders ALTER COLUMN memo SET DEFAULT 'x';", squawk=False)
    assert not [l for l in found[2].locks if l.relation == ORDERS]
    assert (f"statement 3 starts a new transaction in a real run, but could not run alone to show the "
            f"locks earlier transactions held in the trace: it may take ACCESS EXCLUSIVE on {ORDERS} "
            "again, unseen") in found.notes


def test_failures_name_the_locks_held_too_long(session):
    found = trace(session, HELD, squawk=False)
    over = found.failures(0)
    assert any(line.startswith(f"statement 1 holds ACCESS EXCLUSIVE on {CUSTOMERS} for ") for line in over)
    assert not any(line.startswith("statement 6") for line in over)  # SHARE UPDATE EXCLUSIVE: no one waits
    assert found.failures(60_000) == []
    vacuum_full = trace(session, "VACUUM FULL shop.orders", squawk=False)
    assert vacuum_full.failures(60_000) == [
        f"statement 1 holds ACCESS EXCLUSIVE on {ORDERS} (documented) for a time the trace could not measure"]


def test_scans_are_not_measured_without_track_counts(session):
    session.conn.execute("SET track_counts = off")
    (found,) = trace(session, "ALTER TABLE shop.orders ADD CONSTRAINT orders_id_positive CHECK (id > 0)")
    assert not found.scans_measured and found.validated == () and found.disagreements == ()
    assert "scans not measured: track_counts is off on this server" in found.words()


# --- nothing is kept -------------------------------------------------------------------------

def test_nothing_is_kept(session, shop):
    def state():
        with psycopg.connect(shop) as conn:
            relations = conn.execute(RELATIONS).fetchall()
            columns = conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'shop.orders'::regclass").fetchone()
            return relations, columns, conn.execute("SELECT count(*) FROM shop.orders").fetchone()

    before = state()
    trace(session, HELD + "TRUNCATE shop.orders; DROP TABLE shop.customers CASCADE;", squawk=False)
    assert state() == before
    assert session.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert session.conn.execute("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() "
                                "AND locktype = 'relation' AND relation = 'shop.orders'::regclass").fetchone() == (0,)


# --- waits for other sessions --------------------------------------------------------------

def test_lock_timeout_gives_up_with_a_clear_error(session, shop):
    from workbench.impact import TraceError

    with psycopg.connect(shop) as other:
        other.execute("LOCK TABLE shop.orders IN ACCESS SHARE MODE")
        started = time.monotonic()
        with pytest.raises(TraceError) as caught:
            trace(session, "SELECT 1;\nALTER TABLE shop.orders ADD COLUMN memo text;", lock_timeout="200ms",
                  squawk=False)
        other.rollback()
    assert time.monotonic() - started < 5
    assert "statement 2 waited longer than lock_timeout" in caught.value.what
    assert caught.value.where.startswith("statement 2, line 2: ALTER TABLE shop.orders")


def test_time_spent_waiting_for_other_sessions_is_not_the_statements(session, shop):
    with psycopg.connect(shop) as other:
        other.execute("LOCK TABLE shop.orders IN ACCESS SHARE MODE")
        threading.Timer(0.6, other.rollback).start()
        first, found = trace(session, "SELECT 1; ALTER TABLE shop.orders ADD COLUMN memo text", squawk=False)
    assert first.lock_wait_ms == 0
    assert 400 <= found.lock_wait_ms <= 900
    assert found.duration_ms < 200
    assert "for locks other sessions held, not counted" in found.words()[0]


# --- production scaling -------------------------------------------------------------------

def test_production_rows_scale_the_statements_that_read_the_table(session):
    rows = {ORDERS: 2_000_000}
    found = trace(session, "ALTER TABLE shop.orders ADD COLUMN memo text;"
                           "ALTER TABLE shop.orders ADD CONSTRAINT orders_id_positive CHECK (id > 0);",
                  production_rows=rows, squawk=False)
    catalog_only, scan = found.statements
    assert not catalog_only.estimated and catalog_only.duration_ms == catalog_only.measured_ms
    assert scan.estimated and scan.scaling.rows_there == 2_000_000
    assert scan.duration_ms == pytest.approx(scan.measured_ms * 2_000_000 / scan.scaling.rows_here)
    assert scan.scaling.rows_here == pytest.approx(20_000, rel=0.05)
    assert catalog_only.held_ms == pytest.approx(catalog_only.duration_ms + scan.duration_ms)
    assert "(an estimate, scaled by the row ratio)" in scan.words()[0]
    assert found.to_dict()["estimated"] and found.to_dict()["statements"][1]["estimated"]
    assert not trace(session, "ALTER TABLE shop.orders ADD COLUMN memo text", squawk=False).estimated


def test_production_rows_must_name_tables(session):
    from workbench.impact import TraceError

    with pytest.raises(TraceError, match="names no table of this database: 'shop.nope'"):
        trace(session, "SELECT 1", production_rows={"shop.nope": 10})
    with pytest.raises(TraceError, match="must be a positive row count"):
        trace(session, "SELECT 1", production_rows={ORDERS: -5})


# --- errors --------------------------------------------------------------------------------

def test_a_failing_statement_names_itself(session):
    from workbench.impact import TraceError

    with pytest.raises(TraceError) as caught:
        trace(session, "ALTER TABLE shop.orders ADD COLUMN memo text;\n\nALTER TABLE shop.nope ADD COLUMN x int;")
    assert caught.value.what.startswith("statement 2 failed: relation \"shop.nope\" does not exist")
    assert "line 3" in caught.value.where and "nothing was changed" in caught.value.hint


def test_a_statement_over_statement_timeout_is_stopped_with_a_hint(shop):
    from workbench import Settings
    from workbench.impact import TraceError

    with workbench.connect(shop, settings=Settings(statement_timeout="50ms")) as impatient:
        with pytest.raises(TraceError) as caught:
            trace(impatient, "ALTER TABLE shop.orders ADD CONSTRAINT slow CHECK (qty > 0 AND pg_sleep(0.01) IS NOT NULL)",
                  squawk=False)
    assert caught.value.what == ("statement 1 was stopped before it finished (canceling statement due to "
                                 "statement timeout)")
    assert "production_rows" in caught.value.hint


def test_bad_sql_names_its_position(session):
    from workbench.drafts import SqlSyntaxError

    with pytest.raises(SqlSyntaxError) as caught:
        trace(session, "ALTER TABLE shop.orders ADD COLUMN memo text;\nALTER TABLE shop.orders ADD COLUMN;")
    assert caught.value.position.line == 2 and "syntax error" in caught.value.problem


def test_bad_lock_timeout(session):
    from workbench.impact import TraceError

    with pytest.raises(TraceError, match="bad lock_timeout 'soon'"):
        trace(session, "SELECT 1", lock_timeout="soon")
