"""VACUUM until every page is all-visible, as autovacuum leaves a table on a live server.

Freshly loaded tables (a demo, a test fixture, a benchmark copy) are vacuumed by this before
anything is timed on them: index-only scans then run as they will in production.
"""
from __future__ import annotations

import time

import psycopg
from psycopg import sql

from .errors import WorkbenchError

ALL_VISIBLE_TIMEOUT = 120.0
LAGGING = """
SELECT format('%%I.%%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm') AND c.relpersistence = 'p' AND c.relallvisible < c.relpages
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%%'
  AND (%(tables)s::regclass[] IS NULL OR c.oid = ANY (%(tables)s::regclass[]))
ORDER BY 1"""
HOLDERS = """
SELECT pid, coalesce(nullif(application_name, ''), backend_type), state, left(query, 80)
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND (backend_xmin IS NOT NULL OR backend_xid IS NOT NULL)"""


def vacuum_until_all_visible(conn: psycopg.Connection, tables: list[str] | None = None, *, analyze: bool = True,
                             timeout: float = ALL_VISIBLE_TIMEOUT) -> None:
    """VACUUM (ANALYZE, unless ``analyze`` is false) ``tables`` (names as SQL, e.g.
    ``"app.items"``; every table of the database when None) on ``conn`` (autocommit), again
    until every page is marked all-visible.

    VACUUM leaves a page's bit unset while another open transaction of the database might not
    see its rows: an autovacuum ANALYZE that began before the load is enough. An index-only scan
    then visits the table for every row, and a covering index times no faster than its twin
    without INCLUDE: with a transaction left open during the load and VACUUM, ``(account_id)
    INCLUDE (amount)`` summed 20 of 200 accounts' movements (400,000 rows) in 22.7 ms instead of
    5.4 ms on PostgreSQL 15, and its twin took 18.8 ms. Raises
    :class:`.errors.WorkbenchError` naming the transactions still open after ``timeout`` seconds."""
    statement = [sql.SQL("VACUUM (ANALYZE, INDEX_CLEANUP ON)" if analyze else "VACUUM (INDEX_CLEANUP ON)")]
    if tables:
        statement.append(sql.SQL(", ").join(sql.SQL(t) for t in tables))
    conn.execute(sql.SQL(" ").join(statement))
    deadline = time.monotonic() + timeout
    while lagging := [row[0] for row in conn.execute(LAGGING, {"tables": tables}).fetchall()]:
        if time.monotonic() > deadline:
            holders = "; ".join(f"pid {pid} ({who}, {state}): {query}"
                                for pid, who, state, query in conn.execute(HOLDERS).fetchall())
            raise WorkbenchError(
                f"VACUUM left pages of {', '.join(lagging)} not all-visible after {timeout:g} s",
                hint=f"end the transactions still open in this database ({holders or 'none seen now'}), then try again")
        time.sleep(0.2)
        conn.execute(sql.SQL("VACUUM (INDEX_CLEANUP ON) {}").format(
            sql.SQL(", ").join(sql.SQL(name) for name in lagging)))
