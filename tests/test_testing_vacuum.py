"""vacuum_until_all_visible(): freshly loaded tables end with every page all-visible, even when
another transaction of the database was open during the load."""
from __future__ import annotations

import threading

import psycopg
import pytest

from workbench.errors import WorkbenchError
from workbench.testing import vacuum_until_all_visible

LOAD = """
CREATE TABLE public.moves (id bigint PRIMARY KEY, account_id bigint NOT NULL, amount numeric NOT NULL);
INSERT INTO public.moves SELECT g, g % 200, g % 1000 FROM generate_series(1, 50000) g;
"""


def pages(conn) -> tuple[int, int]:
    return conn.execute("SELECT relpages, relallvisible FROM pg_class WHERE oid = 'public.moves'::regclass").fetchone()


def test_the_pages_are_all_visible_once_the_open_transaction_ends(scratch_dsn):
    with psycopg.connect(scratch_dsn, application_name="open during the load") as other, \
            psycopg.connect(scratch_dsn, autocommit=True) as conn:
        other.execute("SELECT txid_current()")
        conn.execute(LOAD)
        conn.execute("VACUUM public.moves")
        assert pages(conn)[1] == 0  # what a single VACUUM leaves while the other is open
        threading.Timer(1.0, other.rollback).start()
        vacuum_until_all_visible(conn, ["public.moves"])
        total, visible = pages(conn)
    assert total > 0 and visible == total


def test_a_transaction_that_stays_open_is_named_in_the_error(scratch_dsn):
    with psycopg.connect(scratch_dsn, application_name="left open") as other, \
            psycopg.connect(scratch_dsn, autocommit=True) as conn:
        other.execute("SELECT txid_current()")
        conn.execute(LOAD)
        with pytest.raises(WorkbenchError) as caught:
            vacuum_until_all_visible(conn, timeout=0.5)
        other.rollback()
    message = str(caught.value)
    assert "public.moves not all-visible" in message and "left open, idle in transaction" in message
