"""The project's own migration history: it matches the demo's schema files, and verifies on
both tiers with every step: stairway with convergence, seed, invariants, advisors."""
from pathlib import Path

from workbench.export import module_constant
from workbench.migrations import ScriptHistory
from workbench.samples.sqlfiles import read_sql
from workbench.testing import migrated_database
from workbench.verify import verify_history
from workbench.verify.invariants import invariant_check, invariant_files
from workbench.verify.snapshots import differences, snapshot
from workbench.session import Session

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def _revision(title_start: str) -> Path:
    history = ScriptHistory(MIGRATIONS)
    return next(r.path for r in history.revisions() if r.title.startswith(title_start))


def test_history_starts_with_shim_then_nursery_baseline():
    titles = [r.title.splitlines()[0] for r in ScriptHistory(MIGRATIONS).revisions()]
    assert titles[:2] == ["Supabase-compatible auth shim", "Baseline: the nursery schema"]


def test_baseline_carries_exactly_the_demo_schema():
    source = _revision("Baseline").read_text()
    assert module_constant(source, "UP_SQL").strip() == read_sql("nursery_schema.sql").strip()
    assert module_constant(source, "DOWN_SQL").strip() == read_sql("nursery_drop.sql").strip()
    shim = _revision("Supabase").read_text()
    assert module_constant(shim, "UP_SQL").strip() == read_sql("supabase_shim.sql").strip()


def test_project_history_verifies_on_a_fresh_database(server):
    report = verify_history(server, MIGRATIONS)
    assert report.ok, report.text(detail=True)
    assert len(report.results) == len(ScriptHistory(MIGRATIONS).revisions())
    for result in report.results:
        assert {"downgrade restores schema", "upgrade again matches"} <= set(result.passed)
    assert report.check("seed").verdict == "passed"
    invariants = [c for c in report.head if c.name.startswith("invariant ")]
    assert len(invariants) == len(invariant_files(MIGRATIONS)) >= 2
    assert all(c.verdict == "passed" for c in invariants)


def test_the_invariants_catch_a_cross_tenant_row(pg18):
    """The seed holds the invariants; one order line pointed at another tenant's batch breaks one."""
    with migrated_database(pg18, MIGRATIONS) as dsn, Session(dsn) as session:
        session.conn.execute((MIGRATIONS / "seed.sql").read_text())
        session.conn.execute("UPDATE nursery.order_items SET batch_id = 3 WHERE id = 1")
        checks = {p.name: invariant_check(session, p) for p in invariant_files(MIGRATIONS)}
    assert checks["every_business_row_has_an_org.sql"].verdict == "failed"
    assert "order_items, 1, 1, batches, 2" in checks["every_business_row_has_an_org.sql"].items


def test_the_nursery_demo_is_the_history_at_the_baseline(pg18):
    """The demo database (built by ``workbench demo``) has exactly the schema the history
    builds up to the baseline: no drift."""
    import os

    baseline = module_constant(_revision("Baseline").read_text(), "revision")
    with migrated_database(pg18, MIGRATIONS, target=baseline) as dsn, Session(dsn) as built:
        expected = snapshot(built)
    with Session(os.environ["WORKBENCH_DSN"]) as demo:
        actual = snapshot(demo)
    assert differences(expected, actual) == ()
