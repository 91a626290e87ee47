"""``workbench migrations verify --impact DEV_DSN`` through ``workbench.cli.main()``: after the
usual checks, the revisions the development database has not applied are traced there
(rolled back), printed as text or included in JSON, and a lock that blocks reads or writes
longer than --fail-over exits 1. A database that records no revision gets every revision
traced, and the output says so; a trace that fails is never a pass."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import psycopg
import pytest

from tests.test_cli_main import workbench
from workbench import embedded, embedded_dsn, export_draft
from workbench.drafts import Draft
from workbench.migrations import ScriptHistory, default_migrations_dir
from workbench.testing import migrated_database, scratch_database
from workbench.verify.impact import trace_pending

ROOT = Path(__file__).resolve().parents[1]
QUICK = ("--quiet", "--skip", "convergence", "--skip", "data", "--skip", "rls", "--skip", "advisors")
TIER = Draft("Customers get a tier", "ALTER TABLE nursery.customers ADD COLUMN tier text;",
             "ALTER TABLE nursery.customers DROP COLUMN tier;").approve(by="tests")
TIER_INDEX = Draft("Index customers by tier", "CREATE INDEX customers_tier_idx ON nursery.customers (tier);",
                   "DROP INDEX nursery.customers_tier_idx;").approve(by="tests")


@pytest.fixture
def history_copy(tmp_path):
    shutil.copytree(ROOT / "migrations", tmp_path / "migrations", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "alembic.ini", tmp_path / "alembic.ini")
    return tmp_path / "migrations"


@pytest.fixture
def behind(history_copy):
    """A development database at the project's head, and two new revisions it has not applied."""
    head = ScriptHistory(history_copy).single_head()
    with migrated_database(embedded.server_dsn("postgres"), history_copy) as dsn:
        paths = [export_draft(TIER, history_copy), export_draft(TIER_INDEX, history_copy)]
        yield dsn, history_copy, paths, head


def revision_id(path: Path) -> str:
    return next(line.split("'")[1] for line in path.read_text().splitlines() if line.startswith("revision = "))


def test_the_pending_revisions_are_traced_in_json_and_a_long_lock_exits_1(capsys, behind):
    dev, history, paths, head = behind
    tier, index = (revision_id(p) for p in paths)
    result = workbench(capsys, "migrations", "verify", "--dir", str(history), *QUICK, "--format", "json",
                       "--impact", dev, "--fail-over", "0ms")
    assert result.code == 1, result.out
    report = json.loads(result.out)
    assert all(r["ok"] for r in report["revisions"]) and not report["ok"]
    impact = report["impact"]
    assert impact["revisions_traced"] == "pending" and impact["fail_over_ms"] == 0
    assert impact["why"] == f"the 2 revision(s) the database has not applied (it is at {head})"
    added, indexed = impact["revisions"]
    assert (added["revision"], indexed["revision"]) == (tier, index) and added["file"] == paths[0].name
    (alter,) = added["trace"]["statements"]
    assert alter["sql"] == "ALTER TABLE nursery.customers ADD COLUMN tier text" and alter["number"] == 1
    assert {"relation": "nursery.customers", "mode": "AccessExclusiveLock", "kind": "table", "new": False,
            "documented": False, "alone": False} in alter["locks"]
    (create,) = indexed["trace"]["statements"]
    assert ("nursery.customers", "ShareLock") in {(l["relation"], l["mode"]) for l in create["locks"]}
    assert impact["failures"][0].startswith(
        f"revision {tier}: statement 1 holds ACCESS EXCLUSIVE on nursery.customers for ")
    assert any(f.startswith(f"revision {index}: statement 1 holds SHARE on nursery.customers for ")
               for f in impact["failures"])


def test_text_says_which_revisions_and_passes_under_the_limit(capsys, behind):
    dev, history, paths, head = behind
    result = workbench(capsys, "migrations", "verify", "--dir", str(history), *QUICK, "--impact", dev,
                       "--fail-over", "1min")
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    assert any(line.startswith("impact on ") and line.endswith(
        f"the 2 revision(s) the database has not applied (it is at {head})") for line in lines)
    assert f"revision {revision_id(paths[1])}  {paths[1].name}" in lines
    assert "     1. line 1: CREATE INDEX customers_tier_idx ON nursery.customers (tier)" in lines
    assert "ok   impact: no lock that blocks reads or writes is held over 60.00 s" in lines
    assert lines[-1] == f"{len(ScriptHistory(history).revisions())} revisions, all passed"


def test_a_database_without_alembic_version_gets_every_revision_traced(capsys):
    """The nursery demo was built without Alembic: every revision is traced, the baseline
    fails there (its objects exist), and that failure is no pass."""
    revisions = ScriptHistory(default_migrations_dir()).revisions()
    baseline, after = revisions[1].id, revisions[2].id
    result = workbench(capsys, "migrations", "verify", *QUICK, "--impact", embedded_dsn("nursery"))
    assert result.code == 1
    assert (f"every revision ({len(revisions)}): the database records none in alembic_version "
            "(if it already holds some") in result.out
    assert (f'FAIL impact: revision {baseline}: not traced: statement 1 failed: schema "nursery" already '
            "exists (statement 1, line 12: CREATE SCHEMA nursery)") in result.out
    assert f"FAIL impact: revision {after}: not traced: the trace stopped at {baseline}" in result.out
    assert result.out.splitlines()[-1] == f"{len(revisions)} revisions, verification failed"


def test_an_empty_database_traces_the_whole_history(history_copy):
    with scratch_database(embedded.server_dsn("postgres")) as dsn:
        impact = trace_pending(dsn, history_copy, 1000)
    assert impact.which == "all" and impact.ok, impact.failures()
    assert [r.revision for r in impact.revisions] == ScriptHistory(history_copy).revisions()
    assert all(r.part.traced for r in impact.revisions)


def test_an_unknown_revision_or_an_unreachable_database_fails(history_copy):
    with scratch_database(embedded.server_dsn("postgres")) as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);"
                         "INSERT INTO alembic_version VALUES ('0123456789ab')")
        stranger = trace_pending(dsn, history_copy, 1000)
    assert not stranger.ok and stranger.which == "unknown" and stranger.revisions == ()
    assert stranger.failures() == ["the impact could not be traced: the database is at revision 0123456789ab, "
                                   "which this history does not have, so which revisions are pending is not known"]
    gone = trace_pending("postgresql://nobody:s3cret@127.0.0.1:1/none", history_copy, 1000)
    assert not gone.ok and gone.failures()[0].startswith("the impact could not be traced: ")
    assert "s3cret" not in gone.text() and "s3cret" not in json.dumps(gone.to_dict())


@pytest.mark.parametrize("argv, message", [
    (["--impact", "dbname=x", "--fail-over", "soon"], "bad duration 'soon'"),
    (["--fail-over", "1s"], "--fail-over needs --impact DEV_DSN"),
])
def test_bad_options_are_user_errors(capsys, argv, message):
    result = workbench(capsys, "migrations", "verify", *QUICK, *argv)
    assert result.code == 2 and result.err.startswith("workbench migrations verify: error: ")
    assert message in result.err and "Traceback" not in result.err
