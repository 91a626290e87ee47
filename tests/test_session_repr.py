"""A Session's repr says which database and server it is on, and nothing of the machine: no data
directory, socket folder, home or temporary folder (it is kept in notebooks' stored outputs).
The notebooks' sanitize file, a second guard, is the one ``workbench.testing`` writes."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from workbench import connect, embedded
from workbench.session import describe_dsn
from workbench.testing import NBVAL_SANITIZE, write_nbval_sanitize

ROOT = Path(__file__).resolve().parents[1]
ABSOLUTE_PATH = re.compile(r"(?<![\w.])/[^\s/'\"]+/")


def local_folders() -> list[str]:
    """Folders of this machine a repr must not show."""
    return [str(Path.home()), tempfile.gettempdir(), str(embedded.project_home()), str(ROOT)]


def assert_no_local_path(text: str) -> None:
    assert not ABSOLUTE_PATH.search(text), text
    for folder in local_folders():
        assert folder not in text, (folder, text)


def test_a_session_on_the_embedded_server_names_it_without_its_folder(pg18):
    with connect(pg18) as session:
        text = repr(session)
    assert_no_local_path(text)
    assert text == "<Session database postgres · user postgres · embedded PostgreSQL 18>"


def test_a_session_on_any_tier_shows_no_local_path(server):
    with connect(server) as session:
        assert_no_local_path(repr(session))
        assert f"PostgreSQL {session.server_version // 10000}" in repr(session)
    assert repr(session).endswith("(closed)>")
    assert_no_local_path(repr(session))


def test_the_default_session_is_on_the_nursery_database():
    with connect() as session:
        assert_no_local_path(repr(session))
        assert "database nursery" in repr(session)


def test_a_password_stays_masked(pg18):
    with connect(f"{pg18} password=hunter2") as session:
        text = repr(session)
    assert "hunter2" not in text and "password ***" in text
    assert_no_local_path(text)


@pytest.mark.parametrize("dsn, described", [
    ("postgresql://alice:s3cret@db.example.com:6432/app",
     "database app · user alice · password *** · PostgreSQL at db.example.com:6432"),
    ("host=db user=bob dbname=shop sslkey=/home/bob/.ssl/key.pem", "database shop · user bob · PostgreSQL at db"),
    ("host=/var/run/postgresql port=5433 dbname=app", "database app · PostgreSQL on a local socket, port 5433"),
    ("dbname=app", "database app · PostgreSQL on a local socket"),
    ("host=/tmp/x,db2 port=5432,5433 dbname=app", "database app · PostgreSQL at a local socket,db2:5433"),
    ("host='unterminated", "<unparsable DSN hidden>"),
], ids=["URI with password", "path of an SSL key", "socket with a port", "default socket",
        "socket and TCP host", "unparsable"])
def test_describe_dsn(dsn, described):
    assert describe_dsn(dsn) == described


def test_describe_dsn_names_the_major_version():
    assert describe_dsn("host=db dbname=app", 150014) == "database app · PostgreSQL 15 at db"


def test_the_notebooks_sanitize_file_is_the_one_workbench_writes(tmp_path):
    written = write_nbval_sanitize(tmp_path / "sanitize.cfg").read_text(encoding="utf-8")
    assert (ROOT / "notebooks" / "sanitize.cfg").read_text(encoding="utf-8") == written


@pytest.mark.parametrize("text", [
    "<Session user=postgres dbname=nursery host=/work/main/.workbench/pgdata db='nursery'>",
    "exported to /home/ann/project/.workbench/exports/0007.sql",
    "migrations in /tmp/workbench-migrations-k2j3h4/migrations",
])
def test_the_sanitizer_hides_local_folders_left_in_outputs(text):
    for regex, replacement in NBVAL_SANITIZE.values():
        text = re.sub(regex, replacement, text)
    assert_no_local_path(text)
    assert "/" not in text


def test_the_workbench_line_magic_shows_no_local_path():
    from IPython.core.interactiveshell import InteractiveShell

    import workbench

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "workbench.magics")
    with workbench.connect() as session:
        shell.user_ns["session"] = session
        line = shell.run_line_magic("workbench", "")
    assert "nursery" in str(line) and "/" not in str(line)
