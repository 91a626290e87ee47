"""Passwords never show: masking, reprs, errors and CLI output (SQL-free and real-server tests)."""
import subprocess
import sys

import pytest

from workbench import WorkbenchError, connect
from workbench.dsn import mask_dsn, password_of, scrub, with_database

SECRET = "hunter2-Sup3rSecret"


@pytest.mark.parametrize("dsn", [
    f"postgresql://alice:{SECRET}@db.example.com:5432/app",
    f"postgresql+psycopg://alice:{SECRET}@db/app?sslmode=require",
    f"postgresql://db/app?password={SECRET}",
    f"host=db user=alice password={SECRET} dbname=app",
    f"host=db user=alice password='{SECRET}' dbname=app",
])
def test_mask_hides_the_password(dsn):
    masked = mask_dsn(dsn)
    assert SECRET not in masked
    assert "***" in masked


def test_mask_keeps_a_dsn_without_password_readable():
    assert mask_dsn("postgresql://alice@db/app") == "postgresql://alice@db/app"


def test_scrub_removes_password_from_any_text():
    dsn = f"host=db password={SECRET}"
    assert password_of(dsn) == SECRET
    assert SECRET not in scrub(f"failed for {SECRET}!", dsn)


def test_with_database_points_elsewhere():
    assert "dbname=nursery" in with_database("host=/tmp user=postgres dbname=postgres", "nursery")


def _dsn_with_password(admin_dsn: str) -> str:
    return f"{admin_dsn} password={SECRET}"


def test_session_repr_hides_password(pg18):
    with connect(_dsn_with_password(pg18)) as session:
        assert SECRET not in repr(session)
        assert "***" in repr(session)


def test_connection_error_is_clear_and_hides_password():
    dsn = f"postgresql://alice:{SECRET}@127.0.0.1:1/app"
    with pytest.raises(WorkbenchError) as info:
        connect(dsn)
    message = str(info.value)
    assert SECRET not in message
    assert "could not connect" in message and "what to do" in message


def test_cli_never_prints_password():
    dsn = f"postgresql://alice:{SECRET}@127.0.0.1:1/app"
    result = subprocess.run([sys.executable, "-m", "workbench.cli", "inspect", "--dsn", dsn],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert SECRET not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
