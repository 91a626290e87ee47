"""Safer alternatives, each proven by its own trace, on both tiers (a scratch database of
PostgreSQL 18 and 15 with some thousands of rows; the nursery demo on 18).

For each risky pattern: the safer form's steps re-parse, applying every step's up SQL and
then every down SQL in reverse restores the schema (after each step too), and the safer
form's trace shows the measured facts that make it safer: no table read or rewritten while
a lock that stops reads or writes is held, no rewrite, and a shorter such lock.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import psycopg
import pytest

import workbench
from tests.conftest import TIERS
from workbench.drafts import Draft
from workbench.drafts.dryrun import dry_run
from workbench.drafts.reparse import roundtrip_problems
from workbench.drafts.sqltext import check_sql
from workbench.impact.alternatives import compare, safer
from workbench.testing import scratch_database

SETUP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id int PRIMARY KEY, name varchar(20) NOT NULL, email text);
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int, qty int NOT NULL DEFAULT 1,
                          code text, note text);
CREATE TABLE shop.events (id int, order_id int) PARTITION BY RANGE (id);
CREATE TABLE shop.events_1 PARTITION OF shop.events FOR VALUES FROM (0) TO (1000000);
INSERT INTO shop.customers SELECT g, 'c' || g, 'c' || g || '@example.com' FROM generate_series(1, 2000) g;
INSERT INTO shop.orders SELECT g, 1 + g % 2000, 1 + g % 9, 'o' || g, NULL FROM generate_series(1, 100000) g;
ANALYZE;
"""
ORDERS, CUSTOMERS = "shop.orders", "shop.customers"
AE, SRE, SHARE, SUE = ("AccessExclusiveLock", "ShareRowExclusiveLock", "ShareLock",
                       "ShareUpdateExclusiveLock")


@dataclass(frozen=True)
class Pattern:
    """A risky statement, the pattern the workbench should see, and what its trace shows:
    ``risky_work`` (table, what, mode) read or rewritten under a blocking lock."""

    sql: str
    name: str
    risky_work: tuple[str, str, str]
    steps: int
    rewrites: bool = False


PATTERNS = {
    "foreign key": Pattern(
        "ALTER TABLE shop.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) "
        "REFERENCES shop.customers (id)", "foreign key", (ORDERS, "validation scan", SRE), 2),
    "check": Pattern("ALTER TABLE shop.orders ADD CHECK (qty > 0)", "check",
                     (ORDERS, "validation scan", AE), 2),
    "set not null": Pattern("ALTER TABLE shop.orders ALTER COLUMN customer_id SET NOT NULL",
                            "set not null", (ORDERS, "validation scan", AE), 3),
    "create index": Pattern("CREATE INDEX ON shop.orders (customer_id)", "create index",
                            (ORDERS, "index build", SHARE), 1),
    "volatile default": Pattern(
        "ALTER TABLE shop.orders ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()",
        "volatile default", (ORDERS, "rewrite", AE), 5, rewrites=True),
    "type change": Pattern("ALTER TABLE shop.orders ALTER COLUMN qty TYPE bigint", "type change",
                           (ORDERS, "rewrite", AE), 5, rewrites=True),
    "unique": Pattern("ALTER TABLE shop.orders ADD CONSTRAINT orders_code_key UNIQUE (code)", "unique",
                      (ORDERS, "validation scan", AE), 2),
}


@pytest.fixture(scope="module", params=TIERS)
def shop(request) -> str:
    admin = request.getfixturevalue(request.param)
    with scratch_database(admin, prefix="wb_safer") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(SETUP)
        yield dsn


@pytest.fixture(scope="module")
def session(shop):
    with workbench.connect(shop) as opened:
        yield opened


@pytest.fixture(scope="module")
def schema(session):
    return workbench.inspect(session)


@pytest.fixture(scope="module")
def compared(session, schema):
    """Each pattern compared once per tier (both traces), shared by the tests below."""
    return {name: compare(session, p.sql, schema=schema) for name, p in PATTERNS.items()}


def steadied(session, schema, name: str, found):
    """``found`` again, traced once more when its safer form looks no quicker: on a loaded
    machine one trace may stall (the safer SET NOT NULL once held its lock 107.9 ms, against
    34.8 ms for the scan as written, in CI). A safer form that is slower twice still fails."""
    if found.shorter_block is False:
        return compare(session, PATTERNS[name].sql, schema=schema)
    return found


@pytest.mark.parametrize("name", PATTERNS)
def test_each_step_reparses_and_every_prefix_is_undone_by_its_downs(session, schema, name):
    form = safer(PATTERNS[name].sql, schema)
    assert form.known and [a.pattern for a in form.alternatives] == [PATTERNS[name].name]
    assert len(form.steps) == PATTERNS[name].steps
    for draft in form.steps:
        check_sql(draft.up)
        check_sql(draft.down)
        assert roundtrip_problems(draft.up) == [] and roundtrip_problems(draft.down) == []
    for last in range(len(form.steps)):
        done = form.steps[:last + 1]  # a backfill step as traced: its batch, then the rest
        prefix = Draft(f"steps 1–{last + 1}", "\n".join(form.traced_steps()[:last + 1]),
                       "\n".join(d.down for d in reversed(done)))
        assert dry_run(session, prefix).restores is True, (name, last + 1, prefix.down)
    assert dry_run(session, form.draft()).restores is True


@pytest.mark.parametrize("name", PATTERNS)
def test_the_safer_trace_holds_no_blocking_lock_while_it_reads_or_rewrites(session, schema, compared, name):
    pattern, found = PATTERNS[name], steadied(session, schema, name, compared[name])
    assert found.known and found.safer.alternatives[0].pattern == pattern.name
    risky, mine = found.as_written, found.safer_measures
    table, what, mode = pattern.risky_work
    assert [(w.table, w.what, w.modes) for w in risky.under_lock if w.table == table] == [(table, what, (mode,))]
    assert mine.under_lock == ()  # nothing read or rewritten while reads or writes wait
    assert bool(risky.rewrites) is pattern.rewrites and mine.rewrites == ()
    assert found.less_work_under_lock is True
    assert found.shorter_block is True, (risky.longest, mine.longest)
    assert f"{what} of {table} under" in found.facts()[1]
    assert "safer form: no table is read or rewritten while a lock that stops reads or writes is held" \
        in found.facts()


def test_validation_runs_under_share_update_exclusive_in_its_own_transaction(compared):
    found = compared["foreign key"]
    added, validated = [s for s in found.safer_trace if s.traced]
    assert added.validated == () and added.scanned == {}
    assert {(l.relation, l.mode) for l in added.locks} >= {(ORDERS, SRE), (CUSTOMERS, SRE)}
    assert set(validated.validated) == {ORDERS, CUSTOMERS}
    assert validated.modes_held_on(ORDERS) == (SUE,) and validated.earlier_locks == ()
    assert added.held_until == added.number  # the COMMIT ends its lock before the scan
    assert found.safer_measures.transactions == 2 and found.as_written.transactions == 1


def test_set_not_null_trusts_the_validated_check_and_reads_nothing(compared):
    found = compared["set not null"]
    traced = [s for s in found.safer_trace if s.traced]
    check, validate, set_not_null, drop = traced
    assert validate.validated == (ORDERS,) and validate.modes_held_on(ORDERS) == (SUE,)
    assert set_not_null.sql.endswith("SET NOT NULL") and set_not_null.scanned == {} \
        and set_not_null.validated == ()
    assert AE in set_not_null.modes_held_on(ORDERS) and drop.scanned == {}
    risky = found.risky[0]
    assert risky.validated == (ORDERS,) and AE in risky.modes_held_on(ORDERS)


def test_create_index_concurrently_is_reported_as_not_traced_with_its_documented_lock(compared):
    found = compared["create index"]
    (built,) = found.safer_trace.statements
    assert not built.traced and built.duration_ms is None
    assert [(l.relation, l.mode, l.documented) for l in built.locks] == [(ORDERS, SUE, True)]
    assert found.safer_measures.longest is None and found.safer_measures.not_traced == (1,)
    assert found.as_written.longest.mode == SHARE
    assert any("is not traced (CREATE INDEX CONCURRENTLY" in line and "documented SHARE UPDATE EXCLUSIVE, no time"
               in line for line in found.facts())
    assert built.sql.startswith("CREATE INDEX CONCURRENTLY orders_customer_id_idx ON shop.orders")


def test_a_volatile_default_is_backfilled_in_batches(compared):
    found = compared["volatile default"]
    (run,) = found.batch_runs
    assert (run.table, run.batch_rows, run.batches) == (ORDERS, 10_000, 10)
    batch = found.safer_trace[run.statement - 1]
    assert batch.kind == "UpdateStmt" and not batch.blocking_locks and batch.rewrites == ()
    first = found.safer_trace[0]
    assert first.rewrites == () and first.scanned == {}  # ADD COLUMN, SET DEFAULT: the catalog only
    assert found.risky[0].rewrites and ORDERS in found.risky[0].rewrites
    assert "the application must accept NULL" in found.safer.alternatives[0].meanwhile


def test_expand_and_contract_keeps_both_columns_in_sync(session, schema):
    form = safer(PATTERNS["type change"].sql, schema)
    expand, backfill, check, validate, swap = form.steps
    (contract,) = form.later  # for a later release, once nothing reads qty_old
    assert "trigger" in form.alternatives[0].meanwhile and "qty_old" in form.alternatives[0].meanwhile
    assert "not in its old place" in " ".join(contract.notes)
    conn = session.conn
    with conn.transaction(force_rollback=True):
        conn.execute(expand.up)
        conn.execute("INSERT INTO shop.orders (id, qty) VALUES (900001, 7)")
        assert conn.execute("SELECT qty_new FROM shop.orders WHERE id = 900001").fetchone() == (7,)
        conn.execute(form.batches[1].rest)
        assert conn.execute("SELECT count(*) FROM shop.orders WHERE qty_new IS DISTINCT FROM qty").fetchone() == (0,)
        for step in (check, validate, swap):
            conn.execute(step.up)
        conn.execute("INSERT INTO shop.orders (id) VALUES (900002)")  # the default moved to the new column
        assert conn.execute("SELECT qty, qty_old, pg_typeof(qty)::text FROM shop.orders WHERE id = 900002"
                            ).fetchone() == (1, 1, "bigint")
        conn.execute(contract.up)
        assert conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'shop.orders'::regclass "
                            "AND attname LIKE 'qty%' AND NOT attisdropped").fetchone() == (1,)
    whole = Draft("with the contract", "\n".join([*form.traced_steps(), contract.up]),
                  "\n".join([contract.down, *(d.down for d in reversed(form.steps))]))
    left = dry_run(session, whole).restore_diff  # everything comes back, but not the column's place
    assert [str(change) for change in left] == ["changed table shop.orders (column order)"]


def test_unknown_patterns_have_no_safer_form(session, schema):
    found = compare(session, "ALTER TABLE shop.orders ADD COLUMN seq serial", schema=schema)
    assert not found.known and found.safer_trace is None and found.safer.draft() is None
    assert found.as_written.rewrites == (ORDERS,)
    assert "no safer form known for this migration" in found.facts()
    assert "no safer form known" in found._repr_html_()
    assert any(n.startswith("statement 1 has no safer form known and it does rewrite of shop.orders")
               for n in found.all_notes())
    assert list(found.frame().index) == ["as written"]


def test_partitioned_tables_get_the_forms_their_server_supports(schema):
    form = safer("ALTER TABLE shop.events ADD FOREIGN KEY (order_id) REFERENCES shop.orders (id);\n"
                 "CREATE INDEX ON shop.events (order_id);", schema)
    index = form.kept[-1]
    assert index.statement == 2 and index.reason.startswith("CREATE INDEX CONCURRENTLY cannot build on a "
                                                            "partitioned table")
    if schema.server_version_num >= 180000:  # NOT VALID foreign keys on partitioned tables: 18+
        assert [a.pattern for a in form.alternatives] == ["foreign key"]
    else:
        assert not form.known and form.kept[0].reason.startswith("PostgreSQL before 18 cannot add a "
                                                                 "foreign key NOT VALID")


def test_a_statement_the_trace_sees_rewrite_nothing_is_kept(session, schema):
    sql = "ALTER TABLE shop.customers ALTER COLUMN name TYPE text USING name::text"
    assert safer(sql, schema).alternatives[0].pattern == "type change"  # the USING clause: assumed
    found = compare(session, sql, schema=schema)
    assert not found.known and found.notes == (
        "statement 1 is kept as written: the trace saw it rewrite nothing",)
    assert found.safer.kept[0].reason == "the trace saw no rewrite: kept as written"


def test_statements_without_a_safer_form_run_in_place_with_their_down(session, schema):
    sql = ("ALTER TABLE shop.orders ADD COLUMN memo text;\n"
           "ALTER TABLE shop.orders ADD CONSTRAINT orders_qty_small CHECK (qty < 100);\n"
           "ALTER TABLE shop.orders ALTER COLUMN note SET DEFAULT 'n/a', ALTER COLUMN customer_id SET NOT NULL;")
    form = safer(Draft("Tidy orders", sql, "SELECT 1;"), schema)
    assert form.title == "Tidy orders (safer form)"
    first, validate, check, check_valid, last = form.steps
    assert check_sql(first.up)[0].stmt.cmds[0].def_.colname == "memo" and "NOT VALID" in first.up
    assert validate.up.strip() == "ALTER TABLE shop.orders VALIDATE CONSTRAINT orders_qty_small;"
    assert "SET DEFAULT 'n/a', ALTER COLUMN customer_id SET NOT NULL;" in last.up
    assert "ALTER COLUMN note DROP DEFAULT" in last.down  # the kept command's down, from the snapshot
    assert [k.statement for k in form.kept] == [1]
    assert dry_run(session, form.draft()).restores is True
    kept = safer("UPDATE shop.orders SET note = 'x';\nCREATE INDEX ON shop.orders (qty);", schema)
    assert kept.steps[0].irreversible and kept.draft().irreversible.startswith("no down SQL for: As written")


def test_html_and_frame_show_both_sides(session, schema, compared):
    found = steadied(session, schema, "set not null", compared["set not null"])
    page = found._repr_html_()
    assert "<th" in page and "as written" in page and "safer form" in page
    assert page.count("<tr") <= 30 and "— commit —" in page and "step 3: SET NOT NULL on customer_id" in page
    assert "why (set not null)" in page
    frame = found.frame()
    assert list(frame.index) == ["as written", "safer form"]
    assert frame.loc["as written", "longest_lock"] == AE and frame.loc["safer form", "transactions"] == 3
    assert frame.loc["safer form", "longest_lock_ms"] < frame.loc["as written", "longest_lock_ms"]
    data = found.to_dict()
    assert data["known"] and data["safer"]["measures"]["under_lock"] == []
    assert data["as_written"]["measures"]["under_lock"][0]["what"] == "validation scan"


# --- the nursery demo (PostgreSQL 18): real sizes ---------------------------------------------

NURSERY_CHANGE = """
ALTER TABLE nursery.order_items DROP CONSTRAINT order_items_batch_id_fkey,
  ADD CONSTRAINT order_items_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES nursery.batches (id)
  ON DELETE SET NULL;
ALTER TABLE nursery.tasks ALTER COLUMN location_id SET NOT NULL;
"""


def compare_on_shared_demo(session, sql: str, attempts: int = 3):
    """compare() on the shared demo database, again when another session's locks made a
    deadlock (index advice and dry runs lock its tables too; nothing was changed)."""
    from workbench.impact import TraceError

    for attempt in range(1, attempts + 1):
        try:
            return compare(session, sql, lock_timeout="30s")
        except TraceError as exc:
            if "deadlock detected" not in exc.what or attempt == attempts:
                raise
            time.sleep(attempt)


def test_on_the_nursery_data_the_safer_form_holds_its_locks_far_shorter():
    with workbench.connect() as nursery:
        found = compare_on_shared_demo(nursery, NURSERY_CHANGE)
        assert dry_run(nursery, found.safer.draft()).restores is True
    risky, mine = found.as_written, found.safer_measures
    assert {(w.table, w.modes) for w in risky.under_lock} == {
        ("nursery.order_items", (AE,)), ("nursery.batches", (AE,)), ("nursery.tasks", (AE,))}
    assert mine.under_lock == () and mine.transactions == 5
    assert risky.longest.held_ms > 20 * mine.longest.held_ms  # a 1.2M-row scan against catalog changes
    validations = [s for s in found.safer_trace if s.validated]
    assert [s.validated[0] for s in validations] == ["nursery.order_items", "nursery.tasks"]
    assert all(s.modes_held_on(s.validated[0]) == (SUE,) for s in validations)
