"""Every workbench connection is safe by default (real server, both tiers)."""
import psycopg
import pytest

from workbench import Settings, connect


def test_timeouts_and_application_name_are_set(scratch_dsn):
    with connect(scratch_dsn, settings=Settings(statement_timeout="7s", lock_timeout="3s")) as s:
        show = lambda name: s.conn.execute(f"SHOW {name}").fetchone()[0]  # noqa: E731
        assert show("statement_timeout") == "7s"
        assert show("lock_timeout") == "3s"
        assert show("application_name") == "schema-workbench"


def test_read_only_transaction_refuses_writes(scratch_dsn):
    with connect(scratch_dsn) as session:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            with session.read_only() as conn:
                conn.execute("CREATE TABLE t (id int)")
        assert session.conn.execute("SELECT to_regclass('t')").fetchone()[0] is None


def test_rolled_back_transaction_leaves_nothing(scratch_dsn):
    with connect(scratch_dsn) as session:
        with session.rolled_back() as conn:
            conn.execute("CREATE TABLE t (id int)")
            assert conn.execute("SELECT to_regclass('t')").fetchone()[0] == "t"
        assert session.conn.execute("SELECT to_regclass('t')").fetchone()[0] is None


def test_reconnect_after_close(scratch_dsn):
    session = connect(scratch_dsn)
    session.close()
    session.reconnect()
    assert session.conn.execute("SELECT 1").fetchone()[0] == 1
    session.close()
