"""The project's own migration history: it matches the demo's schema files and verifies (both tiers)."""
from pathlib import Path

from workbench.export import module_constant
from workbench.migrations import ScriptHistory
from workbench.samples.sqlfiles import read_sql
from workbench.verify import verify_history

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
    assert report.ok, report.text()
    assert len(report.results) == len(ScriptHistory(MIGRATIONS).revisions())
