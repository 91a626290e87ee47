"""Several migrations traced in order, each its own transaction, on a scratch database: each
one's trace is numbered as its own SQL, its locks last until its own end, a later one sees
what an earlier one made, and a failing statement is the error of its migration only."""
from __future__ import annotations

import psycopg
import pytest

import workbench
from workbench.drafts.sqltext import SqlSyntaxError
from workbench.impact.series import PartTrace, trace_series
from workbench.testing import scratch_database

SETUP = """
CREATE SCHEMA app;
CREATE TABLE app.items (id int PRIMARY KEY, qty int);
INSERT INTO app.items SELECT g, g % 10 FROM generate_series(1, 2000) g;
ANALYZE app.items;
"""
FIRST = ("first", "ALTER TABLE app.items ADD COLUMN note text;\nCREATE TABLE app.tags (id int);")
SECOND = ("second", "\n-- tags get a name\nALTER TABLE app.tags ADD COLUMN name text;\n"
                    "ALTER TABLE app.items ALTER COLUMN qty SET NOT NULL;")
FAILING = ("failing", "SELECT 1;\nALTER TABLE app.nope ADD COLUMN x int;")


@pytest.fixture(scope="module")
def session(pg18):
    with scratch_database(pg18, prefix="wb_series") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(SETUP)
        with workbench.connect(dsn) as session:
            yield session


def modes(statement) -> set[tuple[str, str]]:
    return {(lock.relation, lock.mode) for lock in statement.locks if not lock.new}


def test_each_migration_is_numbered_as_its_own_sql_and_holds_its_locks_until_its_end(session):
    first, second = trace_series(session, [FIRST, SECOND], squawk=False)
    assert (first.label, second.label) == ("first", "second") and first.traced and second.traced
    assert [(s.number, s.line) for s in first.trace] == [(1, 1), (2, 2)]
    assert [(s.number, s.line) for s in second.trace] == [(1, 3), (2, 4)]
    added, _ = first.trace.statements
    assert ("app.items", "AccessExclusiveLock") in modes(added)
    assert added.held_until == 2  # the end of its own migration, not of the whole series
    assert added.held_ms == pytest.approx(sum(s.duration_ms for s in first.trace), abs=0.01)
    named, not_null = second.trace.statements
    assert named.sql == "ALTER TABLE app.tags ADD COLUMN name text"
    assert ("app.items", "AccessExclusiveLock") in modes(not_null) and "app.items" in not_null.validated
    assert not_null.held_until == 2
    numbers = {int(word) for note in second.trace.notes for word in note.split() if word.isdigit()}
    assert numbers <= {1, 2}, second.trace.notes  # notes name its statements as it numbers them


def test_a_failing_statement_is_the_error_of_its_migration(session):
    first, failing, later = trace_series(session, [FIRST, FAILING, SECOND], squawk=False)
    assert first.traced and [s.number for s in first.trace] == [1, 2]
    assert not failing.traced and failing.trace is None
    assert failing.error == ('statement 2 failed: relation "app.nope" does not exist '
                             "(statement 2, line 2: ALTER TABLE app.nope ADD COLUMN x int)")
    assert later.error == "the trace stopped at failing, which comes first"
    assert failing.failures(60_000) == [f"not traced: {failing.error}"]
    assert failing.to_dict() == {"label": "failing", "traced": False, "error": failing.error, "trace": None}


def test_sql_that_does_not_parse_names_its_migration(session):
    with pytest.raises(SqlSyntaxError, match="SQL of broken does not parse"):
        trace_series(session, [FIRST, ("broken", "ALTER TABLE app.items DROP;")])


def test_no_migrations_no_traces(session):
    assert trace_series(session, []) == ()
    assert PartTrace("x", error="e").failures(0) == ["not traced: e"]
