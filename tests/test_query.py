"""Read-only queries (``workbench.query``): one statement that writes nothing, checked by the
parser and run in a READ ONLY transaction (both tiers)."""
from __future__ import annotations

import psycopg
import pytest

from workbench import WorkbenchError, connect
from workbench.query import check_read_statement, read_query

SETUP = """
CREATE TABLE things (id int PRIMARY KEY, name text);
INSERT INTO things SELECT g, 'thing ' || g FROM generate_series(1, 5) g;
CREATE FUNCTION tidy() RETURNS bigint LANGUAGE sql AS 'DELETE FROM things RETURNING 1';
"""


@pytest.fixture
def things(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(SETUP)
    with connect(scratch_dsn) as session:
        yield session


def rows_left(session) -> int:
    return session.conn.execute("SELECT count(*) FROM things").fetchone()[0]


def test_rows_come_back_capped(things):
    rows = read_query(things, "SELECT id, name FROM things ORDER BY id;", max_rows=3)
    assert rows.columns == ("id", "name") and rows.truncated
    assert rows.records() == [{"id": n, "name": f"thing {n}"} for n in (1, 2, 3)]
    assert rows.summary_text() == "3 row(s), more left out (id, name)"
    assert not read_query(things, "VALUES (1)").truncated


@pytest.mark.parametrize("sql, why", [
    ("DELETE FROM things", "DELETE is not a query"),
    ("insert into things values (9, 'x')", "INSERT is not a query"),
    ("DROP TABLE things", "DROP is not a query"),
    ("SELECT * INTO copied FROM things", "SELECT … INTO creates a table"),
    ("SELECT * FROM things FOR UPDATE", "FOR UPDATE / FOR SHARE locks rows"),
    ("WITH gone AS (DELETE FROM things RETURNING *) SELECT * FROM gone", "DELETE removes rows"),
])
def test_writing_statements_are_refused_by_the_parser(sql, why):
    with pytest.raises(WorkbenchError, match="not read-only") as caught:
        check_read_statement(sql)
    assert why in caught.value.what and "propose a change as a Draft" in caught.value.hint


def test_one_statement_only():
    with pytest.raises(WorkbenchError, match="expected one statement, found 2"):
        check_read_statement("SELECT 1; DELETE FROM things")


def test_what_the_parser_cannot_see_the_transaction_refuses(things):
    with pytest.raises(WorkbenchError, match="cannot execute DELETE in a read-only transaction"):
        read_query(things, "SELECT tidy()")
    assert rows_left(things) == 5


def test_a_failing_query_is_a_clear_error_and_the_session_goes_on(things):
    with pytest.raises(WorkbenchError, match='relation "nothing" does not exist'):
        read_query(things, "SELECT * FROM nothing")
    assert read_query(things, "SELECT count(*) FROM things").rows == ((5,),)
