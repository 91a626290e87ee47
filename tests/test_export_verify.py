"""Export writes Alembic revisions; verify walks them up/down/up on a fresh database (both tiers)."""
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from workbench.drafts import Draft
from workbench.export import export
from workbench.migrations import ScriptHistory
from workbench.verify import verify_history
from workbench.verify.stairway import require_ok
from workbench import WorkbenchError

ROOT = Path(__file__).resolve().parents[1]
LONG = "l" * 63
HOSTILE_TABLE = 'we"ird table ü select'
CREATE_HOSTILE = Draft(
    "Create a table with hostile names",
    f'CREATE TABLE "we""ird table ü select" ("select" int PRIMARY KEY, "{LONG}" text DEFAULT \'50% :x::text\');',
    'DROP TABLE "we""ird table ü select";',
).approve(by="tests")
INDEX_HOSTILE = Draft(
    "Index the long column",
    f'CREATE INDEX "idx ""q"" ü" ON "we""ird table ü select" ("{LONG}");',
    'DROP INDEX "idx ""q"" ü";',
).approve(by="tests")


@pytest.fixture
def migrations_copy(tmp_path) -> Path:
    """The project's Alembic environment with an empty history (no seed, no invariants)."""
    target = tmp_path / "migrations"
    (target / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(ROOT / "migrations" / name, target / name)
    shutil.copy(ROOT / "alembic.ini", tmp_path / "alembic.ini")
    return target


def test_export_chains_revisions_and_names_files(migrations_copy):
    first = export(CREATE_HOSTILE, migrations_copy)
    second = export(INDEX_HOSTILE, migrations_copy)
    assert first.name.endswith("_create_a_table_with_hostile_names.py")
    assert len(first.name.split("_")[0]) == 14 and first.name.split("_")[0].isdigit()
    revisions = ScriptHistory(migrations_copy).revisions()
    assert [r.path for r in revisions] == [first, second]
    assert revisions[1].down == revisions[0].id


def test_exporting_twice_gives_one_file(migrations_copy):
    first = export(CREATE_HOSTILE, migrations_copy)
    again = export(CREATE_HOSTILE, migrations_copy)
    assert first == again
    assert len(list((migrations_copy / "versions").glob("*.py"))) == 1


def test_export_refuses_a_second_head(migrations_copy):
    export(CREATE_HOSTILE, migrations_copy)
    base = export(INDEX_HOSTILE, migrations_copy)
    text = base.read_text()
    fork = migrations_copy / "versions" / "fork.py"
    fork.write_text(text.replace("DRAFT_FINGERPRINT = '", "DRAFT_FINGERPRINT = 'x").replace(
        f"revision = '{text.split(chr(39))[1]}'", "revision = 'forked000001'", 1))
    other = Draft("another", "SELECT 1", "SELECT 1").approve()
    # the fork shares a parent with INDEX_HOSTILE: two heads
    with pytest.raises(WorkbenchError, match="heads"):
        export(other, migrations_copy)


def test_export_then_verify_round_trips_hostile_names(server, migrations_copy):
    export(CREATE_HOSTILE, migrations_copy)
    export(INDEX_HOSTILE, migrations_copy)
    report = verify_history(server, migrations_copy)
    assert report.ok, report.text()
    steps = ("upgrade", "downgrade", "downgrade restores schema", "upgrade again", "upgrade again matches")
    assert [r.passed for r in report.results] == [steps] * 2
    assert report.check("same schema as the stairway").verdict == "passed"


def test_a_failing_downgrade_names_the_revision(server, migrations_copy):
    export(CREATE_HOSTILE, migrations_copy)
    bad = export(Draft("Broken downgrade", "CREATE TABLE fine (id int);", "DROP TABLE not_there;").approve(),
                 migrations_copy)
    report = verify_history(server, migrations_copy)
    assert not report.ok
    failure = report.failure
    assert failure.revision.path == bad and failure.failed_step == "downgrade"
    assert "not_there" in failure.error
    with pytest.raises(WorkbenchError, match=failure.revision.id):
        require_ok(report)


def test_verify_leaves_no_scratch_database(server, migrations_copy):
    export(CREATE_HOSTILE, migrations_copy)
    verify_history(server, migrations_copy)
    with psycopg.connect(server) as conn:
        left = conn.execute("select count(*) from pg_database where datname like 'wb_verify%'").fetchone()[0]
    assert left == 0


def test_plain_alembic_upgrades_head(scratch_dsn, migrations_copy):
    export(CREATE_HOSTILE, migrations_copy)
    alembic = Path(sys.executable).parent / "alembic"
    subprocess.run([str(alembic), "-c", str(migrations_copy.parent / "alembic.ini"),
                    "-x", f"dsn={scratch_dsn}", "upgrade", "head"], check=True, capture_output=True)
    with psycopg.connect(scratch_dsn) as conn:
        assert conn.execute("select to_regclass(%s)", ['"we""ird table ü select"']).fetchone()[0]


def test_cli_verify_exit_codes(server, migrations_copy):
    export(CREATE_HOSTILE, migrations_copy)
    cli = [sys.executable, "-m", "workbench", "migrations", "verify", "--dir", str(migrations_copy),
           "--dsn", server, "--quiet"]
    assert subprocess.run(cli, capture_output=True).returncode == 0
    export(Draft("Broken", "CREATE TABLE b (id int);", "DROP TABLE nope;").approve(), migrations_copy)
    result = subprocess.run(cli + ["--format", "json"], capture_output=True, text=True)
    assert result.returncode == 1 and '"failed_step": "downgrade"' in result.stdout


def test_several_drafts_in_one_revision_downgrade_in_reverse_order(server, migrations_copy):
    # the index must be dropped before its table: a downgrade in the wrong order fails
    table = Draft("Create plants", "CREATE TABLE plants (id int PRIMARY KEY, name text);",
                  "DROP TABLE plants;").approve(by="tests")
    index = Draft("Index plant names", "CREATE INDEX CONCURRENTLY plants_name_idx ON plants (name);",
                  "DROP INDEX CONCURRENTLY plants_name_idx;").approve(by="tests")
    path = export([table, index], migrations_copy, title="Plants, indexed")
    report = verify_history(server, migrations_copy)
    assert report.ok, report.text(detail=True)
    assert [r.revision.path for r in report.results] == [path]


def test_export_refuses_an_unapproved_draft(migrations_copy):
    with pytest.raises(WorkbenchError, match="not approved"):
        export(Draft("unreviewed", "SELECT 1", "SELECT 1"), migrations_copy)
    assert not list((migrations_copy / "versions").glob("*.py"))
