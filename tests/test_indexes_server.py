"""Index advice on real servers: PostgreSQL 15 with HypoPG, PostgreSQL 18 with real indexes rolled back.

The shop database is multi-tenant and skewed (tenant 1 owns 60 % of the rows); it has an
existing index (org_id, created_at) that advice must not duplicate.
"""
import json
import shlex
import subprocess
from pathlib import Path

import psycopg
import pytest

import workbench
from workbench.drafts.dryrun import dry_run
from workbench.indexes import advise, queries_from_pg_stat_statements
from workbench.indexes.existing import covering_index
from workbench.indexes.stats import extensions
from workbench.testing import DEBIAN_PG15, load_sql, scratch_database, throwaway_cluster

SHOP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id bigint PRIMARY KEY, org_id bigint NOT NULL, email text NOT NULL, name text NOT NULL);
INSERT INTO shop.customers
SELECT g, CASE WHEN g % 10 < 6 THEN 1 ELSE 2 + g % 40 END, 'Customer.' || g || '@Example.com',
       'customer ' || md5(g::text)
FROM generate_series(1, 50000) AS g;
CREATE TABLE shop.orders (id bigint PRIMARY KEY, org_id bigint NOT NULL,
                          customer_id bigint NOT NULL REFERENCES shop.customers,
                          status text NOT NULL, created_at timestamptz NOT NULL, deleted_at timestamptz,
                          total numeric(10,2) NOT NULL);
INSERT INTO shop.orders
SELECT g, CASE WHEN g % 10 < 6 THEN 1 ELSE 2 + g % 40 END, 1 + g % 50000,
       CASE WHEN g % 200 = 0 THEN 'pending' ELSE 'done' END,
       timestamptz '2024-01-01' + g * interval '3 minutes',
       CASE WHEN g % 25 = 0 THEN timestamptz '2025-01-01' END, g % 500
FROM generate_series(1, 200000) AS g;
CREATE INDEX orders_org_id_created_at_idx ON shop.orders (org_id, created_at);
"""

WORKLOAD = """
-- Pending orders to confirm
SELECT id, created_at FROM shop.orders WHERE status = 'pending' ORDER BY created_at LIMIT 50;
-- Customer sign-in by e-mail
SELECT id, name FROM shop.customers WHERE lower(email) = lower('customer.4242@example.com');
-- A customer's live orders
-- calls: 5
SELECT id, total FROM shop.orders WHERE customer_id = 4242 AND deleted_at IS NULL;
-- Already served by the existing index
SELECT id FROM shop.orders WHERE org_id = 7 ORDER BY created_at DESC LIMIT 10;
"""


@pytest.fixture(scope="module", params=["pg18", "pg15"])
def shop_dsn(request):
    admin = request.getfixturevalue(request.param)
    with scratch_database(admin) as dsn:
        load_sql(dsn, SHOP)
        yield dsn


@pytest.fixture
def shop(shop_dsn):
    with workbench.connect(shop_dsn) as session:
        yield session


@pytest.fixture(scope="module")
def advice(shop_dsn):
    with workbench.connect(shop_dsn) as session:
        return advise(session, WORKLOAD), session.server_version


def indexes_now(session):
    return session.conn.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'shop' "
                                "ORDER BY 1").fetchall()


def test_what_if_method_per_tier(shop):
    found = extensions(shop)
    if shop.server_version < 160000 and "hypopg" not in found:
        pytest.skip("HypoPG is not installed for PostgreSQL 15 here (apt-get install postgresql-15-hypopg)")
    result = advise(shop, "SELECT id FROM shop.orders WHERE status = 'pending'", measure=False)
    assert result.method == ("hypopg" if "hypopg" in found else "real")


def test_advice_finds_partial_expression_and_soft_delete_indexes(advice):
    result, version = advice
    made = {r.candidate.body() for r in result.recommended}
    assert "shop.orders (created_at) WHERE status = 'pending'" in made
    assert "shop.customers (lower(email))" in made
    assert "shop.orders (customer_id) WHERE deleted_at IS NULL" in made
    assert result.queries[3].indexes == []


def test_advice_is_measured_and_never_slower(advice):
    result, _ = advice
    assert result.measured
    for query in result.queries:
        for comparison in query.comparisons:
            assert not comparison.slower, (query.label, comparison.sample.label)
    assert result.queries[0].ms_after < result.queries[0].ms_before


def test_skewed_tenants_are_checked(shop):
    result = advise(shop, "SELECT id, total FROM shop.orders WHERE org_id = 5 AND status = 'pending' "
                          "ORDER BY created_at DESC")
    labels = [c.sample.label for q in result.queries for c in q.comparisons]
    assert any(label.startswith("smallest tenant org_id=") for label in labels)
    assert any(label.startswith("largest tenant org_id=1 ") for label in labels)
    assert "largest tenant org_id=1" in result.recommended[0].draft.rationale


def test_no_duplicate_or_prefix_of_an_existing_index(advice, shop):
    result, _ = advice
    schema = workbench.inspect(shop)
    for recommendation in result.recommended:
        table = schema.table(recommendation.candidate.table_key)
        assert covering_index(recommendation.candidate, table.indexes) is None
    assert any(existing == "orders_org_id_created_at_idx" for _, existing in result.covered)


def test_drafts_reparse_and_dry_run(advice, shop):
    result, _ = advice
    for recommendation in result.recommended:
        draft = recommendation.draft
        assert draft.up.startswith("CREATE INDEX CONCURRENTLY")
        assert draft.down.startswith("DROP INDEX CONCURRENTLY")
        assert "estimated cost" in draft.rationale and "Size:" in draft.rationale
        report = dry_run(shop, draft)
        assert report.restores is True


def test_the_database_is_left_unchanged(shop):
    before = indexes_now(shop), sorted(extensions(shop).items())
    advise(shop, WORKLOAD, method="real")
    assert (indexes_now(shop), sorted(extensions(shop).items())) == before
    assert shop.conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


TRAP = """
CREATE TABLE shop.events (id bigint PRIMARY KEY, kind text NOT NULL, flagged boolean NOT NULL,
                          created_at timestamptz NOT NULL, payload text);
INSERT INTO shop.events
SELECT g, CASE WHEN g <= 30000 THEN 'old' ELSE 'new' END, false,
       timestamptz '2020-01-01' + g * interval '1 minute', repeat('x', 80)
FROM generate_series(1, 300000) AS g ORDER BY random();
"""
LATEST = "SELECT id, created_at FROM shop.events ORDER BY created_at DESC LIMIT 10"
TRAPPED = "SELECT id, created_at FROM shop.events WHERE kind = 'old' OR flagged ORDER BY created_at DESC LIMIT 10"


def test_an_index_that_would_slow_a_query_is_not_recommended(scratch_dsn):
    """(created_at) makes the latest-events page instant, but the planner then walks it backwards
    for the 'old' events, which all sit at the far end: estimates say yes, measurement says no.
    Its replacements are measured too: the covering index, which lets the backward walk skip
    the heap, slows no query and takes its place."""
    with workbench.connect(scratch_dsn) as session:
        session.conn.execute("CREATE SCHEMA shop")
        load_sql(scratch_dsn, TRAP)
        estimated = advise(session, [LATEST, TRAPPED], measure=False)
        assert [r.candidate.body() for r in estimated.recommended] == ["shop.events (created_at)"]
        measured = advise(session, [LATEST, TRAPPED], measure=True)
    assert [r.candidate.body() for r in measured.recommended] == [
        "shop.events (created_at) INCLUDE (id, kind, flagged)"]
    reasons = {c.body(): reason for c, reason in measured.left_out}
    assert "slower" in reasons["shop.events (created_at)"]
    assert "made query 2" in reasons["shop.events (created_at)"]
    assert not [c for q in measured.queries for c in q.comparisons if c.slower]


def test_cli_advise_json(shop_dsn, capsys, tmp_path):
    from workbench.cli import main

    path = tmp_path / "queries.sql"
    path.write_text(WORKLOAD)
    assert main(["advise", "--dsn", shop_dsn, "-f", str(path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert [q["query"] for q in data["queries"]] == [1, 2, 3, 4]
    assert all(q["cost_before"] >= q["cost_after"] for q in data["queries"])
    assert data["recommended"] and all(r["create_index"].startswith("CREATE INDEX CONCURRENTLY")
                                       and r["size_bytes"] > 0 for r in data["recommended"])
    assert captured.err == ""  # no progress bar: stderr is not a terminal


@pytest.fixture(scope="module")
def stat_statements_dsn():
    """A PostgreSQL 15 cluster of its own, restarted with pg_stat_statements preloaded."""
    if not (DEBIAN_PG15 / "initdb").exists():
        pytest.skip(f"PostgreSQL 15 tier skipped: no server programs in {DEBIAN_PG15}")
    with throwaway_cluster(DEBIAN_PG15) as admin:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
        restart(admin)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION pg_stat_statements")
        load_sql(admin, SHOP)
        yield admin


def restart(dsn: str) -> None:
    folder = Path(psycopg.conninfo.conninfo_to_dict(dsn)["host"])
    command = [str(DEBIAN_PG15 / "pg_ctl"), "-D", str(folder / "data"), "-w", "-l",
               str(folder / "server.log"), "restart"]
    if subprocess.run(["id", "-u"], capture_output=True, text=True).stdout.strip() == "0":
        command = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)]
    subprocess.run(command, check=True, capture_output=True)


def test_workload_from_pg_stat_statements(stat_statements_dsn):
    with workbench.connect(stat_statements_dsn) as session:
        for number in range(30):
            session.conn.execute("SELECT id FROM shop.orders WHERE status = 'pending' AND customer_id = %s",
                                 [number])
        queries = queries_from_pg_stat_statements(session)
        ours = [q for q in queries if "shop.orders" in q.sql and "customer_id" in q.sql]
        assert len(ours) == 1 and ours[0].calls == 30 and "$1" in ours[0].sql
        assert not any("pg_catalog" in q.sql for q in queries)
        result = advise(session, ours)
    assert result.recommended
    assert any("customer_id" in r.candidate.body() for r in result.recommended)


def test_a_partial_index_is_seen_on_the_table_a_join_reaches(shop):
    """HypoPG ignores a hypothetical partial index on any table but the first of FROM, so
    partial candidates are built for real, with HypoPG too."""
    from workbench.indexes.model import Candidate, KeyPart
    from workbench.indexes.whatif import WhatIf

    pending = Candidate("shop", "orders", (KeyPart("created_at", columns=("created_at",)),),
                        predicate="status = 'pending'")
    joined = ("SELECT c.name FROM shop.customers AS c JOIN shop.orders AS o ON o.customer_id = c.id "
              "WHERE o.status = 'pending' AND o.created_at >= timestamptz '2024-06-01'")
    with WhatIf(shop) as whatif, whatif.trial([pending]) as made:
        assert made[pending].method == "real" and made[pending].ok
        assert made[pending].name in whatif.plan(joined).indexes_used()


def test_an_index_of_the_trial_can_be_hidden_for_a_while(shop):
    """without() drops a built index in a rolled-back savepoint: the planner does not see it
    inside the block, and sees it again after; a HypoPG index cannot be hidden that way."""
    from workbench.errors import WorkbenchError
    from workbench.indexes.model import Candidate, KeyPart
    from workbench.indexes.whatif import WhatIf

    pending = Candidate("shop", "orders", (KeyPart("created_at", columns=("created_at",)),),
                        predicate="status = 'pending'")
    query = "SELECT id FROM shop.orders WHERE status = 'pending' AND created_at >= timestamptz '2024-06-01'"
    with WhatIf(shop) as whatif, whatif.trial([pending], real=True) as made:
        name = made[pending].name
        assert name in whatif.plan(query).indexes_used()
        with whatif.without([made[pending]]):
            assert name not in whatif.plan(query).indexes_used()
        assert name in whatif.plan(query).indexes_used()
        if whatif.method == "hypopg":
            plain = Candidate("shop", "orders", (KeyPart("customer_id", columns=("customer_id",)),))
            with whatif.trial([plain]) as hypothetical, pytest.raises(WorkbenchError, match="real indexes only"):
                with whatif.without([hypothetical[plain]]):
                    pass


def test_a_deduplicated_size_is_close_to_the_built_one(shop):
    """HypoPG sizes a btree as one tuple per row; an index built with deduplicate_items = off
    is that size. Scaled by :mod:`.dedup`, it must come near the deduplicated build."""
    from workbench.indexes.dedup import deduplicated_size
    from workbench.indexes.model import Candidate, KeyPart

    def built(keys, options=""):
        with shop.conn.transaction(force_rollback=True):
            shop.conn.execute(f"CREATE INDEX wb_size ON shop.orders ({keys}) {options}")
            return shop.conn.execute("SELECT pg_relation_size('shop.wb_size')").fetchone()[0]

    for keys in (("org_id",), ("org_id", "customer_id"), ("created_at",)):
        candidate = Candidate("shop", "orders", tuple(KeyPart(k, columns=(k,)) for k in keys))
        plain = built(", ".join(keys), "WITH (deduplicate_items = off)")
        estimated = deduplicated_size(shop.conn, candidate, plain)
        assert built(", ".join(keys)) / 1.5 <= estimated <= built(", ".join(keys)) * 1.5, keys
    assert deduplicated_size(shop.conn, candidate, 1000) == 1000  # a unique key keeps its size


BOARD = """
CREATE SCHEMA board;
CREATE TABLE board.tickets (id bigint PRIMARY KEY, org_id int NOT NULL, status text NOT NULL, note text);
INSERT INTO board.tickets
SELECT g, g % 20, (ARRAY['new', 'open', 'solved'])[1 + g % 3], repeat('x', 60) FROM generate_series(1, 60000) AS g;
CREATE INDEX tickets_org_id_status_idx ON board.tickets (org_id, status);
"""
COUNTS = "SELECT status, count(*) FROM board.tickets WHERE org_id = 3 GROUP BY status"
NIGHTLY = "UPDATE board.tickets SET note = 'closed' WHERE status = 'solved'"


def test_the_tables_a_timed_write_changed_are_vacuumed_inside_the_advice(scratch_dsn):
    """A timed write is rolled back, but the pages it touched stay not all-visible, and an
    index-only scan timed after it visits the table: the advice vacuums those tables from a
    second connection while its own transaction (which has built an index) stays open."""
    from workbench.indexes.measure import time_sample
    from workbench.indexes.model import Candidate, KeyPart
    from workbench.indexes.samples import Sample
    from workbench.indexes.tidy import Tidy, written_tables
    from workbench.indexes.whatif import WhatIf
    from workbench.plans import explain

    load_sql(scratch_dsn, BOARD)
    with workbench.connect(scratch_dsn) as session, WhatIf(session) as whatif:
        conn = whatif.conn
        conn.execute("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)")

        def heap_fetches() -> float:
            plan = explain(conn, COUNTS, analyze=True)
            return next(n for n in plan.nodes if n.node_type == "Index Only Scan").heap_fetches

        with whatif.trial([Candidate("board", "tickets", (KeyPart("note", columns=("note",)),))], real=True):
            pass  # as in the advice: the open transaction now has a transaction id of its own
        assert heap_fetches() == 0
        time_sample(conn, Sample("as written", NIGHTLY), 1)
        assert heap_fetches() > 0
        tidy = Tidy(session, written_tables([explain(conn, NIGHTLY)], {}))
        try:
            tidy()
        finally:
            tidy.close()
        assert tidy.failed is None
        assert heap_fetches() == 0


def test_a_vacuum_the_role_may_not_run_is_reported_not_raised(scratch_dsn):
    """VACUUM skips a table its role does not own with a warning: the advice notes it."""
    from psycopg.conninfo import make_conninfo

    from workbench.indexes.tidy import Tidy

    load_sql(scratch_dsn, BOARD)
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS wb_visitor")
        conn.execute("CREATE ROLE wb_visitor LOGIN")
        conn.execute("GRANT USAGE ON SCHEMA board TO wb_visitor")
        conn.execute("GRANT SELECT, UPDATE ON board.tickets TO wb_visitor")
    try:
        with psycopg.connect(make_conninfo(scratch_dsn, user="wb_visitor"), autocommit=True) as visitor:
            tidy = Tidy(visitor, {("board", "tickets")})
            try:
                tidy()
            finally:
                tidy.close()
        assert tidy.failed is not None and "tickets" in tidy.failed
    finally:
        with psycopg.connect(scratch_dsn, autocommit=True) as conn:
            conn.execute("DROP OWNED BY wb_visitor")
            conn.execute("DROP ROLE wb_visitor")
