"""The ``workbench`` command: help, inspect output formats, clear errors (real server)."""
import json
import subprocess
import sys

import psycopg

from workbench.cli import build_parser


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True)


def test_help_lists_every_command():
    text = build_parser().format_help()
    for command in ("inspect", "demo", "migrations", "server", "lab"):
        assert command in text


def test_inspect_table_and_json(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA app; CREATE TABLE app.things (id int PRIMARY KEY, name text);")
    text = _cli("inspect", "--dsn", scratch_dsn, "--schema", "app")
    assert text.returncode == 0, text.stderr
    assert "things" in text.stdout and "Row Level Security" in text.stdout
    data = json.loads(_cli("inspect", "--dsn", scratch_dsn, "--format", "json").stdout)
    assert [t["name"] for t in data["tables"]] == ["things"]


def test_unknown_schema_is_a_clear_error(scratch_dsn):
    result = _cli("inspect", "--dsn", scratch_dsn, "--schema", "nope")
    assert result.returncode == 2
    assert "no schema named 'nope'" in result.stderr and "Traceback" not in result.stderr
