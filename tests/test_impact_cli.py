"""``workbench locks`` through ``workbench.cli.main()`` on a scratch database of each tier:
text and JSON, exit 1 over --fail-over, exit 2 on a bad file, bad SQL (with its position),
a bad duration or a failing statement, never a traceback."""
from __future__ import annotations

import io
import json

import psycopg
import pytest

from tests.conftest import TIERS
from tests.test_cli_main import workbench
from workbench.testing import scratch_database

SETUP = """
CREATE SCHEMA app;
CREATE TABLE app.items (id int PRIMARY KEY, name varchar(20), qty int);
INSERT INTO app.items SELECT g, 'item ' || g, g % 10 FROM generate_series(1, 5000) g;
ANALYZE app.items;
"""
MIGRATION = """ALTER TABLE app.items ADD COLUMN price numeric;
ALTER TABLE app.items ALTER COLUMN name TYPE varchar(40);
CREATE INDEX CONCURRENTLY items_qty_idx ON app.items (qty);
"""


@pytest.fixture(scope="module", params=TIERS)
def app(request):
    """A scratch database of each tier with one table of 5,000 rows (every trace rolls back)."""
    with scratch_database(request.getfixturevalue(request.param)) as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(SETUP)
        yield dsn


@pytest.fixture
def migration(tmp_path):
    path = tmp_path / "migration.sql"
    path.write_text(MIGRATION)
    return str(path)


def test_text(capsys, app, migration):
    result = workbench(capsys, "locks", "-f", migration, "--dsn", app, "--no-squawk")
    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    assert lines[0].startswith("lock trace on wb_scratch_") and "3 statement(s), 2 traced" in lines[0]
    assert "1. line 1: ALTER TABLE app.items ADD COLUMN price numeric" in lines
    assert any(line.strip().startswith("holds ACCESS EXCLUSIVE on app.items (5,000 rows, ") for line in lines)
    assert "   not traced: CREATE INDEX CONCURRENTLY cannot run inside a transaction block" in lines


def test_json(capsys, app, migration):
    result = workbench(capsys, "locks", "-f", migration, "--dsn", app, "--format", "json", "--no-squawk")
    assert result.code == 0
    data = json.loads(result.out)
    first, second, third = data["statements"]
    assert first["sql"] == "ALTER TABLE app.items ADD COLUMN price numeric" and first["traced"]
    assert [(l["relation"], l["mode"]) for l in first["locks"]] == [("app.items", "AccessExclusiveLock")]
    assert first["held_ms"] == pytest.approx(first["duration_ms"] + second["duration_ms"], abs=0.01)
    assert second["locks"] == [] and second["rewrites"] == []
    assert third == {**third, "traced": False, "duration_ms": None, "held_ms": None, "locks": []}
    assert data["fail_over_ms"] is None and data["failures"] == []


def test_exit_1_when_a_lock_that_stops_reads_or_writes_is_held_too_long(capsys, app, migration):
    result = workbench(capsys, "locks", "-f", migration, "--dsn", app, "--fail-over", "0ms", "--no-squawk")
    assert result.code == 1
    assert "over --fail-over 0ms: statement 1 holds ACCESS EXCLUSIVE on app.items for " in result.out
    relaxed = workbench(capsys, "locks", "-f", migration, "--dsn", app, "--fail-over", "1min",
                        "--format", "json", "--no-squawk")
    assert relaxed.code == 0 and json.loads(relaxed.out)["fail_over_ms"] == 60_000


def test_documented_lock_that_stops_writes_fails_without_a_time(capsys, app, tmp_path):
    (tmp_path / "vacuum.sql").write_text("VACUUM FULL app.items;")
    result = workbench(capsys, "locks", "-f", str(tmp_path / "vacuum.sql"), "--dsn", app, "--fail-over", "1h",
                       "--format", "json")
    assert result.code == 1
    assert json.loads(result.out)["failures"] == [
        "statement 1 holds ACCESS EXCLUSIVE on app.items (documented) for a time the trace could not measure"]


def test_production_rows_make_estimates(capsys, app, tmp_path):
    (tmp_path / "check.sql").write_text("ALTER TABLE app.items ADD CONSTRAINT qty_ok CHECK (qty >= 0);")
    result = workbench(capsys, "locks", "-f", str(tmp_path / "check.sql"), "--dsn", app, "--format", "json",
                       "--production-rows", "app.items=5_000_000", "--no-squawk")
    assert result.code == 0
    (check,) = json.loads(result.out)["statements"]
    assert check["estimated"] and check["duration_ms"] == pytest.approx(check["measured_ms"] * 1000, rel=0.05)


def test_stdin(capsys, app, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("ALTER TABLE app.items ADD COLUMN note text;"))
    result = workbench(capsys, "locks", "-f", "-", "--dsn", app, "--format", "json", "--no-squawk")
    assert result.code == 0 and json.loads(result.out)["statements"][0]["locks"][0]["relation"] == "app.items"


@pytest.mark.parametrize("argv, message", [
    (["--fail-over", "soon"], "bad duration 'soon'"),
    (["--lock-timeout", "5"], "bad duration '5'"),
    (["--production-rows", "app.items"], "bad --production-rows 'app.items'"),
    (["--production-rows", "app.nope=10"], "production_rows names no table of this database: 'app.nope'"),
])
def test_bad_options(capsys, app, migration, argv, message):
    result = workbench(capsys, "locks", "-f", migration, "--dsn", app, *argv)
    assert result.code == 2 and result.err.startswith("workbench locks: error: ") and message in result.err
    assert "Traceback" not in result.err


def test_bad_sql_names_its_line_and_column(capsys, app, tmp_path):
    (tmp_path / "bad.sql").write_text("ALTER TABLE app.items ADD COLUMN note text;\nALTER TABLE app.items DROP;\n")
    result = workbench(capsys, "locks", "-f", str(tmp_path / "bad.sql"), "--dsn", app)
    assert result.code == 2
    assert result.err.startswith(f"workbench locks: error: {tmp_path / 'bad.sql'} does not parse: syntax error")
    assert "where: line 2, column 27" in result.err


def test_a_failing_statement_is_a_user_error(capsys, app, tmp_path):
    (tmp_path / "fails.sql").write_text("ALTER TABLE app.items ADD COLUMN note text;\nALTER TABLE app.nope ADD x int;\n")
    result = workbench(capsys, "locks", "-f", str(tmp_path / "fails.sql"), "--dsn", app)
    assert result.code == 2
    assert 'statement 2 failed: relation "app.nope" does not exist' in result.err
    assert "where: statement 2, line 2: ALTER TABLE app.nope ADD x int" in result.err
