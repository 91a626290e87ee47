"""The ``workbench`` command as a separate process, on both server tiers: inspect's output
formats and a clear error. Every command in-process: test_cli_main.py."""
import json
import subprocess
import sys

import psycopg


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True)


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
