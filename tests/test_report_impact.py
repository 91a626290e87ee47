"""The report's Impact section and its checklist item on a real database: each Draft's locks
traced in order (rolled back), a lock that blocks reads or writes longer than the limit
fails the item naming the statement, a trace that fails is a failed item showing its error,
and an applied change says why it was not traced."""
from __future__ import annotations

import psycopg
import pytest

import workbench
from workbench.drafts import Draft
from workbench.report import ReportConfig, review_report
from workbench.testing import scratch_database

ITEM = "no_long_blocking_locks"
SETUP = """
CREATE SCHEMA app;
CREATE TABLE app.items (id int PRIMARY KEY, qty int);
INSERT INTO app.items SELECT g, g % 10 FROM generate_series(1, 1000) g;
ANALYZE app.items;
"""
MEMO = Draft("Items get a memo", "ALTER TABLE app.items ADD COLUMN memo text;",
             "ALTER TABLE app.items DROP COLUMN memo;").approve(by="tests")
TAGS = Draft("Memos get tags", "CREATE TABLE app.tags (id int PRIMARY KEY, memo text);\n"
             "CREATE INDEX items_memo_idx ON app.items (memo);",
             "DROP INDEX app.items_memo_idx;\nDROP TABLE app.tags;").approve(by="tests")
BROKEN = Draft("Alter a missing table", "SELECT 1;\nALTER TABLE app.nope ADD COLUMN x int;",
               "ALTER TABLE app.nope DROP COLUMN x;")


@pytest.fixture(scope="module")
def session(pg18):
    with scratch_database(pg18, prefix="wb_report_impact") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(SETUP)
        with workbench.connect(dsn) as session:
            yield session


def item(data):
    return next(i for i in data.checklist if i.id == ITEM)


def test_each_draft_is_traced_and_a_long_blocking_lock_fails_the_item(session, tmp_path):
    strict = ReportConfig(blocking_lock_limit="0ms")
    data = review_report(session, [MEMO, TAGS], tmp_path / "review.html", config=strict)
    memo, tags = data.impact
    assert (memo.draft, tags.draft) == ("Items get a memo", "Memos get tags") and not memo.error
    assert memo.statements.rows[0][:3] == ("1", "1", "ALTER TABLE app.items ADD COLUMN memo text")
    assert memo.statements.rows[0][4].startswith("ACCESS EXCLUSIVE on app.items, held ")
    assert "every SELECT, INSERT, UPDATE and DELETE on items waits" in memo.statements.rows[0][5]
    index_row = tags.statements.rows[1]
    assert index_row[:3] == ("2", "2", "CREATE INDEX items_memo_idx ON app.items (memo)")
    assert "SHARE on app.items" in index_row[4] and "reads app.items" in index_row[6]
    found = item(data)
    assert found.status == "failed" and found.detail == "2 lock(s) block reads or writes longer than 0.00 ms"
    assert found.items[0].startswith("Items get a memo: statement 1 holds ACCESS EXCLUSIVE on app.items for ")
    assert any(line.startswith("Memos get tags: statement 2 holds SHARE on app.items") for line in found.items)
    page = (tmp_path / "review.html").read_text()
    assert '<section id="impact">' in page and "CREATE INDEX items_memo_idx ON app.items (memo)" in page
    assert "## Impact: locks, rewrites, time, who waits" in data.markdown()
    relaxed = review_report(session, [MEMO], config=ReportConfig(blocking_lock_limit="1min"))
    assert item(relaxed).status == "passed", item(relaxed)
    assert item(relaxed).detail == "1 statement(s) traced; no lock that blocks reads or writes held over 60.00 s"


def test_a_trace_that_fails_is_a_failed_item_showing_its_error(session):
    data = review_report(session, [MEMO, BROKEN], config=ReportConfig())
    found = item(data)
    assert found.status == "failed" and found.detail == "the lock trace failed"
    assert found.items == ('Alter a missing table: statement 2 failed: relation "app.nope" does not exist '
                           "(statement 2, line 2: ALTER TABLE app.nope ADD COLUMN x int)",)
    assert [entry.error for entry in data.impact][0] == ""
    assert 'relation "app.nope" does not exist' in data.markdown().split("## Impact")[1]
    assert "NOT traced: Alter a missing table" in data.summary_text()


def test_an_applied_change_is_not_traced_and_says_why(pg18):
    with scratch_database(pg18, prefix="wb_report_impact") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(SETUP)
            conn.execute(MEMO.up)
        with workbench.connect(dsn) as session:
            data = review_report(session, [MEMO], config=ReportConfig(), applied=None)
    assert data.applied and data.impact == ()
    found = item(data)
    assert found.status == "not available" and found.detail.startswith("the change is already applied")
    assert "Not available: the change is already applied" in data.html().split('<section id="impact">')[1]
