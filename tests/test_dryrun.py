"""Dry run: the change is shown, then rolled back; the database is unchanged (both tiers)."""
import psycopg
import pytest

from workbench import connect, inspect
from workbench.drafts import Draft
from workbench.drafts.dryrun import DryRunError, dry_run
from workbench.samples import install_shim

SETUP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES shop.customers,
                          status text NOT NULL DEFAULT 'new');
INSERT INTO shop.customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 50) g;
INSERT INTO shop.orders SELECT g, 1 + g % 50, 'new' FROM generate_series(1, 500) g;
"""
HOSTILE = 'we"ird ü select'


@pytest.fixture
def shop(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        install_shim(conn)
        conn.execute(SETUP)
    with connect(scratch_dsn) as session:
        yield session


def _row_counts(session) -> dict:
    rows = session.conn.execute("SELECT (SELECT count(*) FROM shop.customers), (SELECT count(*) FROM shop.orders)")
    return rows.fetchone()


def _state(session):
    return inspect(session), _row_counts(session)


CHANGE = Draft(
    "Index orders.customer_id and add a notes table with a policy",
    """CREATE INDEX CONCURRENTLY orders_customer_id_idx ON shop.orders (customer_id);
       ALTER TABLE shop.orders ADD COLUMN note text;
       CREATE TABLE shop.notes (id bigint PRIMARY KEY, body text);
       ALTER TABLE shop.notes ENABLE ROW LEVEL SECURITY;
       ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
       CREATE POLICY orders_read ON shop.orders FOR SELECT TO authenticated USING (true);
       DELETE FROM shop.orders WHERE id > 100;""",
    """DROP POLICY orders_read ON shop.orders;
       ALTER TABLE shop.orders DISABLE ROW LEVEL SECURITY;
       DROP TABLE shop.notes;
       ALTER TABLE shop.orders DROP COLUMN note;
       DROP INDEX CONCURRENTLY shop.orders_customer_id_idx;""",
)


def test_dry_run_shows_the_changes(shop):
    result = dry_run(shop, CHANGE)
    found = {(c.action, c.kind, c.name) for c in result.diff}
    assert ("added", "index", "shop.orders.orders_customer_id_idx") in found
    assert ("added", "column", "shop.orders.note") in found
    assert ("added", "table", "shop.notes") in found
    assert ("added", "policy", "shop.orders.orders_read") in found
    assert result.restores is True
    assert any("CONCURRENTLY" in note for note in result.notes)


def test_dry_run_leaves_the_database_unchanged(shop):
    before = _state(shop)
    dry_run(shop, CHANGE)
    assert _state(shop) == before
    assert before[1] == (50, 500)


def test_down_that_does_not_restore_is_flagged(shop):
    leaky = Draft("Leaky", "CREATE TABLE shop.extra (id int); CREATE INDEX ON shop.orders (status);",
                  "DROP TABLE shop.extra;")
    result = dry_run(shop, leaky)
    assert result.restores is False
    assert [c.kind for c in result.restore_diff] == ["index"]
    assert "does NOT restore" in result.summary_text()


def test_failing_statement_is_named_and_nothing_changes(shop):
    before = _state(shop)
    bad = Draft("Bad", "CREATE TABLE shop.ok (id int); ALTER TABLE shop.missing ADD COLUMN x int;",
                "DROP TABLE shop.ok;")
    with pytest.raises(DryRunError) as info:
        dry_run(shop, bad)
    assert "statement 2" in str(info.value) and "shop.missing" in str(info.value)
    assert _state(shop) == before


@pytest.mark.parametrize("end", ["COMMIT", "END", "ROLLBACK", "PREPARE TRANSACTION 'x'"])
def test_a_statement_ending_the_transaction_is_refused_before_anything_runs(shop, end):
    before = _state(shop)
    sneaky = Draft("Commit half way", f"CREATE TABLE shop.kept (id int); {end}; DELETE FROM shop.orders;",
                   "DROP TABLE shop.kept;")
    with pytest.raises(DryRunError, match="statement 2 ends the transaction") as caught:
        dry_run(shop, sneaky)
    assert "leave out COMMIT, ROLLBACK" in caught.value.message
    assert _state(shop) == before


def test_hostile_identifiers_survive_a_dry_run(shop):
    name = HOSTILE.replace('"', '""')
    draft = Draft("Hostile", f'CREATE TABLE shop."{name}" ("select" int, "{"x" * 63}" text);',
                  f'DROP TABLE shop."{name}";')
    result = dry_run(shop, draft)
    assert [c.name for c in result.diff] == [f"shop.{HOSTILE}"]
    assert result.restores is True


def test_the_impact_is_traced_on_request_and_shown(shop):
    from workbench.drafts import review

    memo = Draft("Orders get a memo", "ALTER TABLE shop.orders ADD COLUMN memo text;",
                 "ALTER TABLE shop.orders DROP COLUMN memo;")
    quick = dry_run(shop, memo)
    assert quick.impact is None and "impact:" not in quick.summary_text()
    result = dry_run(shop, memo, impact=True)
    (added,) = result.impact.statements
    assert ("shop.orders", "AccessExclusiveLock") in {(lock.relation, lock.mode) for lock in added.locks}
    text = result.summary_text()
    assert "\nimpact:\n  lock trace on " in text and "holds ACCESS EXCLUSIVE on shop.orders" in text
    page = result._repr_html_()
    assert "<b>impact</b>" in page and "ACCESS EXCLUSIVE" in page
    assert review(shop, memo, impact=True).impact.statements[0].locks == added.locks
    assert _state(shop)[1] == (50, 500)


# --- applying for real, and the verdict a dry run gives -------------------------------------

def test_apply_draft_commits_the_change(shop):
    from workbench.drafts.apply import apply_draft

    applied = apply_draft(shop, Draft("Index orders.status",
                                      "CREATE INDEX CONCURRENTLY orders_status_idx ON shop.orders (status);",
                                      "DROP INDEX shop.orders_status_idx;"))
    assert [(c.action, c.name) for c in applied.diff] == [("added", "shop.orders.orders_status_idx")]
    assert applied.notes == ("statement 1 ran without CONCURRENTLY inside the transaction",)
    with connect(shop.dsn) as other:  # committed: another session sees it
        assert "orders_status_idx" in {i.name for i in inspect(other).indexes_of("shop.orders")}


def test_apply_draft_rolls_back_every_statement_on_a_failure(shop):
    from workbench.drafts.apply import ApplyError, apply_draft

    before = _state(shop)
    with pytest.raises(ApplyError, match="failed at statement 2") as caught:
        apply_draft(shop, Draft("Half", "CREATE TABLE shop.kept (id int); ALTER TABLE shop.missing ADD x int;",
                                "DROP TABLE shop.kept;"))
    assert "the whole Draft was rolled back" in caught.value.hint
    assert _state(shop) == before


def test_a_verdict_passes_a_restoring_draft_and_names_the_problems_of_others(shop):
    from workbench.drafts.verdict import judge

    good = judge(shop, Draft("Note", "ALTER TABLE shop.orders ADD COLUMN note text;",
                             "ALTER TABLE shop.orders DROP COLUMN note;"))
    assert good.passed and good.to_dict()["dry_run"]["restores"] is True
    assert good.rls.tables == ("shop.orders",) and good.rls.leaks == ()
    bad = judge(shop, Draft("Note", "ALTER TABLE shop.orders ADD COLUMN note text;", "SELECT 1;"))
    assert not bad.passed and bad.problems == ("the down SQL does not restore the schema",)
    assert bad.summary_text().startswith("dry run FAILED: the down SQL does not restore the schema")
