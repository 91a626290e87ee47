"""The advice names the workload's tables whose visibility map is mostly unset (a bulk load
not yet vacuumed): there index-only scans visit the table, and covering indexes look less
worth than they will be."""
from __future__ import annotations

import psycopg
import pytest

import workbench
from workbench.indexes import advise
from workbench.indexes.visibility import MIN_PAGES, unvacuumed
from workbench.testing import vacuum_until_all_visible

LOAD = """
CREATE SCHEMA books;
CREATE TABLE books.moves (id bigint PRIMARY KEY, account_id bigint NOT NULL, amount numeric(10,2) NOT NULL)
  WITH (autovacuum_enabled = off);
INSERT INTO books.moves SELECT g, 1 + (g * 7919) % 200, g % 1000 FROM generate_series(1, 100000) g;
CREATE TABLE books.accounts (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO books.accounts SELECT g, 'account ' || g FROM generate_series(1, 200) g;
"""
BALANCES = "SELECT account_id, sum(amount) FROM books.moves WHERE account_id < 20 GROUP BY account_id"


@pytest.fixture
def loaded_dsn(scratch_dsn):
    """moves: loaded and ANALYZEd, never vacuumed (autovacuum off for it); accounts: vacuumed."""
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(LOAD)
        conn.execute("ANALYZE books.moves")
        vacuum_until_all_visible(conn, ["books.accounts"])
    return scratch_dsn


def test_a_loaded_table_not_yet_vacuumed_is_found_and_a_vacuumed_one_is_not(loaded_dsn):
    tables = [("books", "moves"), ("books", "accounts")]
    with psycopg.connect(loaded_dsn, autocommit=True) as conn:
        found = unvacuumed(conn, tables)
        assert [(t.table, t.all_visible) for t in found] == [("moves", 0)] and found[0].pages >= MIN_PAGES
        vacuum_until_all_visible(conn, ["books.moves"])
        assert unvacuumed(conn, tables) == []


def test_the_advice_says_which_table_to_vacuum_in_text_json_and_html(loaded_dsn):
    with workbench.connect(loaded_dsn) as session:
        found = advise(session, BALANCES, measure=False)
    text, html = found.summary_text(), found._repr_html_()
    assert "note: books.moves: 0% of its" in text and "VACUUM books.moves, then advise again" in text
    assert "VACUUM books.moves, then advise again" in html
    [table] = found.to_dict()["unvacuumed"]
    assert table["table"] == "books.moves" and table["all_visible_share"] == 0 and table["pages"] >= MIN_PAGES
