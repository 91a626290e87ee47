"""Verify on real PostgreSQL: convergence names what a downgrade leaves behind, drift finds
objects made by hand, invariants that return rows fail naming their file; the report's
shapes; ``workbench migrations verify|status``."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from workbench.drafts import Draft
from workbench.export import export, module_constant
from workbench.samples.sqlfiles import read_sql
from workbench.testing import migrated_database
from workbench.verify import migration_status, verify

ROOT = Path(__file__).resolve().parents[1]
PLANTS = Draft("Create plants", "CREATE TABLE plants (id int PRIMARY KEY, stock int NOT NULL);",
               "DROP TABLE plants;").approve(by="tests")
MOOD = Draft("Plants have a mood",
             "CREATE TYPE mood AS ENUM ('happy', 'thirsty'); ALTER TABLE plants ADD COLUMN mood mood;",
             "ALTER TABLE plants DROP COLUMN mood;").approve(by="tests")  # forgets DROP TYPE


@pytest.fixture
def history(tmp_path) -> Path:
    """An empty history in the project's Alembic environment."""
    target = tmp_path / "migrations"
    (target / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(ROOT / "migrations" / name, target / name)
    return target


def test_a_downgrade_leaving_an_enum_behind_fails_convergence_naming_it(server, history):
    export(PLANTS, history)
    bad = export(MOOD, history)
    report = verify(server, history, data=False, rls=False, advisors=False)
    assert not report.ok
    failure = report.failure
    assert failure.revision.path == bad
    assert failure.failed_step == "downgrade restores schema"
    assert failure.passed == ("upgrade", "downgrade")
    assert "left behind: enum public.mood" in failure.error
    assert "downgrade restores schema failed: " in report.text()
    assert report.check("same schema as the stairway") is None  # the stairway did not reach head


def test_a_failing_downgrade_stops_the_stairway_and_head_checks_still_run(pg18, history):
    broken = export(Draft("Broken", "CREATE TABLE b (id int);", "DROP TABLE nope;").approve(), history)
    export(PLANTS, history)
    report = verify(pg18, history, rls=False, advisors=False)
    assert [r.revision.path for r in report.results] == [broken]
    assert "nope" in report.failure.error
    assert report.check("upgrade to head").verdict == "passed"
    assert report.text().endswith("1 of 2 revisions, verification failed")


def test_drift_lists_objects_created_by_hand_in_the_development_database(pg18, history):
    export(PLANTS, history)
    with migrated_database(pg18, history) as dev:
        with psycopg.connect(dev, autocommit=True) as conn:
            conn.execute('CREATE TABLE "hand made" (id int); CREATE INDEX plants_stock_idx ON plants (stock)')
        report = verify(pg18, history, drift=dev, data=False, rls=False, advisors=False)
    drift = report.check("drift")
    assert not report.ok and drift.verdict == "failed"
    assert set(drift.items) == {"only in the development database: index public.plants.plants_stock_idx",
                                "only in the development database: table public.hand made"}


def test_no_drift_when_the_development_database_is_at_head(pg18, history):
    export(PLANTS, history)
    with migrated_database(pg18, history) as dev:
        report = verify(pg18, history, drift=dev, data=False, rls=False, advisors=False)
    assert report.ok and report.check("drift").verdict == "passed"


def test_invariants_returning_rows_fail_naming_the_file(server, history):
    export(PLANTS, history)
    (history / "seed.sql").write_text("INSERT INTO plants VALUES (1, 5), (2, -3), (3, -1);")
    (history / "invariants").mkdir()
    (history / "invariants" / "stock_is_never_negative.sql").write_text(
        "-- stock cannot go below zero\nSELECT id, stock FROM plants WHERE stock < 0 ORDER BY id;")
    (history / "invariants" / "every_plant_counted.sql").write_text("SELECT id FROM plants WHERE stock IS NULL")
    report = verify(server, history, rls=False, advisors=False)
    assert not report.ok and report.failure is None  # every revision passed; an invariant did not
    failed = report.head_failures
    assert [c.name for c in failed] == ["invariant stock_is_never_negative.sql"]
    assert failed[0].detail == "stock_is_never_negative.sql returned 2 row(s)"
    assert failed[0].items == ("2, -3", "3, -1")
    assert report.check("invariant every_plant_counted.sql").verdict == "passed"
    assert "stock_is_never_negative.sql returned 2 row(s)" in report.text()


def test_a_seed_that_does_not_load_fails_and_skips_the_invariants(pg18, history):
    export(PLANTS, history)
    (history / "seed.sql").write_text("INSERT INTO plants (id, colour) VALUES (1, 'red');")
    (history / "invariants").mkdir()
    (history / "invariants" / "anything.sql").write_text("SELECT 1 WHERE false")
    report = verify(pg18, history, rls=False, advisors=False)
    assert report.check("seed").verdict == "failed" and "colour" in report.check("seed").detail
    assert report.check("invariant anything.sql").verdict == "skipped"


def test_report_shapes_list_every_step(pg18, history):
    export(Draft('Create "<b>odd</b>"', 'CREATE TABLE "<b>odd</b>" (id int);', 'DROP TABLE "<b>odd</b>";')
           .approve(), history)
    report = verify(pg18, history)
    data = json.loads(json.dumps(report.to_dict()))
    steps = [s["name"] for s in data["revisions"][0]["steps"]]
    assert steps == ["upgrade", "downgrade", "downgrade restores schema", "upgrade again",
                     "upgrade again matches", "advisors"]
    assert [c["name"] for c in data["head"]][:2] == ["upgrade to head", "same schema as the stairway"]
    assert report.check("seed").verdict == "skipped"
    html = report._repr_html_()
    assert "&lt;b&gt;odd&lt;/b&gt;" in html and "<b>odd</b>" not in html
    assert "downgrade restores schema" in report.text(detail=True)


def test_status_shows_current_pending_and_drift(pg18, history):
    first = export(PLANTS, history)
    export(Draft("Add plant names", "ALTER TABLE plants ADD COLUMN name text;",
                 "ALTER TABLE plants DROP COLUMN name;").approve(), history)
    first_id = module_constant(first.read_text(), "revision")
    with migrated_database(pg18, history, target=first_id) as db:
        status = migration_status(db, history)
        assert status.current == (first_id,) and [r.title for r in status.pending] == ["Add plant names"]
        assert status.drift is None and not status.up_to_date
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute("ALTER TABLE plants ADD COLUMN colour text")
        drifted = migration_status(db, history, drift=True, scratch_dsn=pg18)
        assert drifted.drift.items == ("only in the development database: column public.plants.colour",)
        assert f"revision {first_id}" in drifted.drift.detail


def test_cli_verify_drift_and_status(pg18, history):
    export(PLANTS, history)
    cli = [sys.executable, "-m", "workbench", "migrations"]
    with migrated_database(pg18, history) as dev:
        ok = subprocess.run(cli + ["verify", "--dir", str(history), "--dsn", pg18, "--drift", dev, "--quiet",
                                   "--skip", "rls"], capture_output=True, text=True)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        assert "ok   drift" in ok.stdout and "downgrade restores schema" in ok.stdout
        with psycopg.connect(dev, autocommit=True) as conn:
            conn.execute("CREATE TABLE extra (id int)")
        drifted = subprocess.run(cli + ["verify", "--dir", str(history), "--dsn", pg18, "--drift", dev,
                                        "--format", "json"], capture_output=True, text=True)
        assert drifted.returncode == 1
        drift = next(c for c in json.loads(drifted.stdout)["head"] if c["name"] == "drift")
        assert drift["items"] == ["only in the development database: table public.extra"]
        status = subprocess.run(cli + ["status", "--dir", str(history), "--dsn", dev], capture_output=True,
                                text=True)
        assert status.returncode == 0 and "pending   none" in status.stdout


SHIM = Draft("Auth shim", read_sql("supabase_shim.sql"), "DROP SCHEMA auth CASCADE;").approve()
NOTES = Draft("Notes anyone can read", """
CREATE TABLE public.notes (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                           user_id uuid NOT NULL REFERENCES auth.users (id), body text);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_select ON public.notes FOR SELECT TO authenticated USING (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON public.notes TO authenticated;
""", "DROP TABLE public.notes;").approve()


def test_the_rls_probe_fails_on_a_leak_unless_the_project_accepts_it(pg18, history):
    export(SHIM, history)
    export(NOTES, history)
    probe = verify(pg18, history, advisors=False).check("rls probe")
    assert probe.verdict == "failed" and probe.items[0].startswith("public.notes SELECT: LEAK")
    (history / "invariants").mkdir()
    (history / "invariants" / "accepted_leaks.toml").write_text(
        '[[leak]]\ntable = "public.notes"\ncommand = "select"\nreason = "notes are public"\n'
        '[[leak]]\ntable = "public.gone"\ncommand = "DELETE"\nreason = "fixed since"\n')
    accepted = verify(pg18, history, advisors=False).check("rls probe")
    assert accepted.verdict == "passed" and "1 accepted in accepted_leaks.toml" in accepted.detail
    assert accepted.items[0].startswith("accepted: public.notes SELECT: LEAK")
    assert accepted.items[0].endswith("(notes are public)")
    assert accepted.items[1] == ("accepted but no longer found: public.gone DELETE "
                                 "(remove it from accepted_leaks.toml)")


def test_the_rls_probe_with_nobody_to_impersonate_is_skipped_not_passed(pg18, history):
    export(Draft("Private things", "CREATE TABLE things (id int PRIMARY KEY); "
                 "ALTER TABLE things ENABLE ROW LEVEL SECURITY;", "DROP TABLE things;").approve(), history)
    probe = verify(pg18, history, data=False, advisors=False).check("rls probe")
    assert probe.verdict == "skipped"
    assert probe.detail.startswith("tenant isolation was not probed: no role authenticated"), probe.detail
