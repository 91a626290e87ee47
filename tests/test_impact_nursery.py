"""Migration impact on the nursery demo's real data (embedded PostgreSQL 18): sizes and times
of real tables, production scaling, squawk's static verdicts next to the trace, and the
notebook views. Each statement stays cheap (customers, locations and a scan of orders);
everything runs in rolled-back transactions, and a long lock_timeout waits out the short
transactions other work holds on the shared demo."""
from __future__ import annotations

import re

import psycopg
import pytest

import workbench
from workbench.drafts import Draft
from workbench.drafts.squawk import squawk_path
from workbench.impact import trace

PATIENT = "30s"
MIGRATION = """
ALTER TABLE nursery.customers ADD COLUMN loyalty_tier varchar(20);
ALTER TABLE nursery.customers ALTER COLUMN loyalty_tier TYPE varchar(40);
ALTER TABLE nursery.customers ALTER COLUMN payment_terms_days TYPE integer;
ALTER TABLE nursery.locations ADD COLUMN seq serial;
ALTER TABLE nursery.orders ADD CONSTRAINT orders_total_nonneg CHECK (total_amount >= 0) NOT VALID;
"""
needs_squawk = pytest.mark.skipif(squawk_path() is None, reason="squawk-cli is not installed")


@pytest.fixture(scope="module")
def traced():
    with workbench.connect() as session:
        assert session.database == "nursery"
        yield trace(session, MIGRATION, lock_timeout=PATIENT)


@pytest.fixture
def session():
    with workbench.connect() as opened:
        yield opened


def test_real_tables_get_their_sizes_and_times(traced):
    first = traced[0]
    assert [(l.relation, l.mode) for l in first.locks] == [("nursery.customers", "AccessExclusiveLock")]
    assert re.search(r"^holds ACCESS EXCLUSIVE on nursery\.customers \(\d+k rows, [\d.]+ MB\) for [\d.]+ m?s, "
                     r"from this statement until the transaction ends after statement 5: every SELECT, "
                     r"INSERT, UPDATE and DELETE on customers waits$", first.words()[1])
    assert first.held_ms == pytest.approx(sum(s.duration_ms for s in traced.statements))
    rewritten = traced[2]
    assert "nursery.customers" in rewritten.rewrites and "nursery.customers_pkey" in rewritten.rewrites
    assert traced[3].rewrites[0] == "nursery.locations" and traced[3].created == ("nursery.locations_seq_seq",)
    assert traced[4].rewrites == () and traced[4].validated == ()


@needs_squawk
def test_squawk_and_the_trace_disagree_and_say_why(traced):
    widened, retyped, serial = traced[1], traced[2], traced[3]
    (warned,) = widened.disagreements
    assert warned.rule == "changing-column-type" and "binary-compatible" in warned.why
    assert warned.text().startswith("squawk warns changing-column-type (a table rewrite); the trace saw no "
                                    "relation rewritten")
    assert "changing-column-type" in retyped.squawk_rules and retyped.disagreements == ()  # they agree
    (silent,) = serial.disagreements
    assert silent.rule is None and silent.squawk == "is silent"
    assert silent.trace.startswith("saw nursery.locations rewritten under ACCESS EXCLUSIVE for ")
    assert "serial" in silent.why
    assert traced.disagreements == (warned, silent)
    assert any(w.startswith("squawk and the trace disagree: squawk is silent") for w in serial.words())


def test_validation_under_share_update_exclusive_scaled_to_production(session):
    sql = ("ALTER TABLE nursery.orders ADD CONSTRAINT orders_total_nonneg CHECK (total_amount >= 0) NOT VALID;\n"
           "ALTER TABLE nursery.orders VALIDATE CONSTRAINT orders_total_nonneg;")
    found = trace(session, sql, production_rows={"nursery.orders": 12_000_000}, lock_timeout=PATIENT)
    added, validated = found.statements
    assert added.validated == () and not added.estimated
    assert validated.validated == ("nursery.orders",) and validated.scanned["nursery.orders"][0] >= 1
    assert ("nursery.orders", "ShareUpdateExclusiveLock") in {(l.relation, l.mode) for l in validated.locks}
    assert validated.estimated and validated.duration_ms > validated.measured_ms * 20
    assert re.search(r"≈ [\d.]+ m?s at 12,000,000 rows \(an estimate", validated.words()[0])
    assert found.disagreements == ()  # NOT VALID then VALIDATE: the safe way, and squawk agrees


def test_a_draft_is_traced_by_its_up_sql(session):
    draft = Draft("Add a tier", "ALTER TABLE nursery.customers ADD COLUMN tier text;",
                  "ALTER TABLE nursery.customers DROP COLUMN tier;")
    (found,) = trace(session, draft, squawk=False, lock_timeout=PATIENT).statements
    assert found.sql == "ALTER TABLE nursery.customers ADD COLUMN tier text"
    with session.read_only() as conn:
        assert conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'nursery.customers'::regclass "
                            "AND attname = 'tier'").fetchone() == (0,)


def test_the_trace_agrees_with_pg_locks_read_directly(session, traced):
    with psycopg.connect(session.dsn) as conn:
        conn.execute(f"SET lock_timeout = '{PATIENT}'")
        conn.execute("ALTER TABLE nursery.customers ADD COLUMN loyalty_tier varchar(20)")
        direct = set(conn.execute("SELECT relation::regclass::text, mode FROM pg_locks WHERE pid = pg_backend_pid() "
                                  "AND locktype = 'relation' AND relation::regclass::text LIKE 'nursery.%'"))
        conn.rollback()
    assert direct == {(l.relation, l.mode) for l in traced[0].locks}


def test_frame_and_html(traced):
    frame = traced.frame()
    assert list(frame.columns[:5]) == ["statement", "line", "sql", "traced", "relation"]
    row = frame[(frame.statement == 1) & (frame.relation == "nursery.customers")].iloc[0]
    assert row["mode"] == "AccessExclusiveLock" and row["blocks"].startswith("SELECT, SELECT FOR UPDATE, INSERT")
    assert frame[frame.statement == 3].rewritten.any()
    page = traced._repr_html_()
    assert page.count("<table>") == 5 and "ACCESS EXCLUSIVE" in page and "pg_locks" in page
    assert "every SELECT, INSERT, UPDATE and DELETE on customers waits" in page


def test_json_shape(traced):
    data = traced.to_dict()
    assert data["database"] == "nursery" and data["rolled_back"] is True
    first = data["statements"][0]
    assert {"sql", "locks", "rewrites", "validated", "duration_ms", "held_ms", "blocks", "traced"} <= set(first)
    assert first["locks"] == [{"relation": "nursery.customers", "mode": "AccessExclusiveLock", "kind": "table",
                               "new": False, "documented": False, "alone": False}]
    assert first["blocks"][:5] == ["SELECT", "SELECT FOR UPDATE", "INSERT", "UPDATE", "DELETE"]
    assert {"relation": "nursery.customers", "mode": "AccessExclusiveLock", "from": 1, "until": 5} .items() \
        <= data["holds"][0].items()
