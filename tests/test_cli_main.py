"""Every ``workbench`` command through its real entry point, ``workbench.cli.main()``: its
--help, one success with the output read back, one user error (exit 2, a clear message, no
traceback). Also: a crash exits 3 with one line naming the saved traceback, and stderr
carries no noise (progress bars off a terminal, Jupyter and platformdirs warnings).

The commands run on the nursery demo (WORKBENCH_DSN, set by the root conftest)."""
from __future__ import annotations

import argparse
import io
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import workbench as workbench_package
from workbench.cli import build_parser, lab, main
from workbench.migrations import ScriptHistory, default_migrations_dir
from workbench.testing import free_port

COMMAND_PATHS = [
    "inspect", "erd", "lint", "explain", "advise", "diff", "locks", "rls probe", "types", "report", "demo",
    "migrations list", "migrations verify", "migrations status", "migrations generate", "mcp", "server",
    "lab",
]
WORKLOAD = "-- pending orders\nSELECT * FROM nursery.orders WHERE status = 'pending';\n"


@dataclass
class Result:
    code: int
    out: str
    err: str


def workbench(capsys, *argv: str) -> Result:
    """Run ``workbench ARGV`` in this process; argparse's exits (--help, usage) included."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def command_paths(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    """Every command and subcommand the parser knows, as typed: ``migrations verify``."""
    paths = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths |= command_paths(sub, f"{prefix}{name} ") or {f"{prefix}{name}"}
    return paths


def newest_revision() -> str:
    return ScriptHistory(default_migrations_dir()).revisions()[-1].path.name


@pytest.fixture
def empty_home(monkeypatch):
    """A project home with nothing in it (no notebooks/, no embedded server)."""
    folder = Path(tempfile.mkdtemp(prefix="workbench-home-"))
    monkeypatch.setenv("WORKBENCH_HOME", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --- help ----------------------------------------------------------------------------------

def test_every_command_is_tested_here():
    assert command_paths(build_parser()) == set(COMMAND_PATHS)


@pytest.mark.parametrize("path", COMMAND_PATHS)
def test_help(capsys, path):
    result = workbench(capsys, *path.split(), "--help")
    assert result.code == 0
    assert result.out.startswith(f"usage: workbench {path}") and "options:" in result.out


def test_help_names_the_exit_codes(capsys):
    result = workbench(capsys, "--help")
    assert result.code == 0
    codes = result.out.split("exit codes:")[1]
    for line in ("0  success", "1  the check failed", "2  usage or user error", "3  crash"):
        assert line in codes


# --- one success each --------------------------------------------------------------------

def test_inspect(capsys):
    result = workbench(capsys, "inspect", "--schema", "nursery", "--format", "json")
    assert result.code == 0
    tables = json.loads(result.out)["tables"]
    assert "orders" in {t["name"] for t in tables} and {t["schema"] for t in tables} == {"nursery"}


def test_erd(capsys, tmp_path):
    result = workbench(capsys, "erd", "--focus", "nursery.orders", "-o", str(tmp_path / "orders.mmd"))
    assert result.code == 0 and result.out.startswith(f"wrote {tmp_path / 'orders.mmd'}")
    assert "erDiagram" in (tmp_path / "orders.mmd").read_text()


def test_lint_exits_1_exactly_when_errors_remain(capsys):
    result = workbench(capsys, "lint", "--schema", "nursery", "--format", "json")
    data = json.loads(result.out)
    assert data["database"] == "nursery" and data["findings"]
    assert result.code == (1 if data["counts"]["error"] else 0)


def test_explain(capsys):
    result = workbench(capsys, "explain", "--format", "json", "--param", "7",
                       "SELECT * FROM nursery.orders WHERE id = $1")
    assert result.code == 0
    plan = json.loads(result.out)
    assert plan["params"] == ["7"] and plan["sql"].startswith("SELECT * FROM nursery.orders")


def test_advise_without_a_progress_bar_off_a_terminal(capsys, tmp_path):
    (tmp_path / "queries.sql").write_text(WORKLOAD)
    result = workbench(capsys, "advise", "-f", str(tmp_path / "queries.sql"), "--no-measure",
                       "--format", "json")
    assert result.code == 0
    advice = json.loads(result.out)
    assert [q["label"] for q in advice["queries"]] == ["pending orders"]
    assert advice["recommended"][0]["table"] == "nursery.orders"
    assert result.err == ""  # stderr is captured, not a terminal: no bar


def test_diff_proves_the_migration_between_two_sql_files(capsys, tmp_path):
    (tmp_path / "before.sql").write_text("CREATE SCHEMA app; CREATE TABLE app.things (id bigint PRIMARY KEY);")
    (tmp_path / "after.sql").write_text("CREATE SCHEMA app; "
                                        "CREATE TABLE app.things (id bigint PRIMARY KEY, name text);")
    result = workbench(capsys, "diff", "--from", str(tmp_path / "before.sql"),
                       "--to", str(tmp_path / "after.sql"), "--format", "json")
    assert result.code == 0
    migration = json.loads(result.out)
    assert migration["up"] == ["ALTER TABLE app.things ADD COLUMN name text;"]
    assert migration["down"] == ["ALTER TABLE app.things DROP COLUMN name;"]
    assert migration["proof"]["ok"]


def test_locks_traces_a_migration_on_the_demo(capsys, tmp_path):
    (tmp_path / "migration.sql").write_text("ALTER TABLE nursery.customers ADD COLUMN tier text;\n"
                                            "CREATE INDEX CONCURRENTLY ON nursery.customers (tier);\n")
    result = workbench(capsys, "locks", "-f", str(tmp_path / "migration.sql"), "--format", "json",
                       "--lock-timeout", "30s", "--no-squawk")
    assert result.code == 0 and result.err == ""
    added, indexed = json.loads(result.out)["statements"]
    assert added["locks"][0] == {"relation": "nursery.customers", "mode": "AccessExclusiveLock", "kind": "table",
                                 "new": False, "documented": False, "alone": False}
    assert added["traced"] and added["rewrites"] == [] and "SELECT" in added["blocks"]
    assert not indexed["traced"] and indexed["locks"] == []
    assert indexed["documented_locks"][0]["mode"] == "ShareUpdateExclusiveLock"


def test_rls_probe(capsys):
    isolated = workbench(capsys, "rls", "probe", "--table", "nursery.orders", "--format", "json")
    assert isolated.code == 0 and json.loads(isolated.out)["ok"]
    everything = workbench(capsys, "rls", "probe", "--format", "json")
    report = json.loads(everything.out)
    assert everything.code == (0 if report["ok"] else 1)
    assert "nursery.tasks" in {f["table"] for f in report["failures"]}  # the demo's planted leak


def test_types(capsys, tmp_path):
    printed = workbench(capsys, "types", "--schema", "nursery")
    assert printed.code == 0 and printed.out.startswith("// Types of the database")
    path = tmp_path / "database.ts"
    path.write_text(printed.out)
    checked = workbench(capsys, "types", "--schema", "nursery", "-o", str(path), "--check")
    assert checked.code == 0 and "matches" in checked.out


def test_report_says_which_revision_it_reviews(capsys, tmp_path):
    result = workbench(capsys, "report", "--no-verify", "-o", str(tmp_path / "review.md"))
    assert result.code == 0 and result.out.startswith(f"wrote {tmp_path / 'review.md'}")
    assert (tmp_path / "review.md").read_text().startswith("# Schema change:")
    # the nursery demo has no alembic_version table: only the newest revision, and why
    assert result.err.startswith(f"workbench report: reviewing only the newest revision, {newest_revision()} ")
    assert "no alembic_version table" in result.err and "--revision" in result.err


def test_report_names_the_files_given(capsys, tmp_path):
    (tmp_path / "add_notes.sql").write_text("CREATE TABLE nursery.notes (id bigint PRIMARY KEY);")
    result = workbench(capsys, "report", "--no-verify", "--draft-file", str(tmp_path / "add_notes.sql"),
                       "-o", str(tmp_path / "review.md"))
    assert result.code == 0
    assert result.err == "workbench report: reviewing add_notes.sql\n"


def test_demo(capsys):
    result = workbench(capsys, "demo", "--only", "nursery", "--json")
    assert result.code == 0
    assert "dbname=nursery" in json.loads(result.out)["nursery"]


def test_migrations_list(capsys):
    result = workbench(capsys, "migrations", "list", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out)[-1]["file"] == newest_revision()


def test_migrations_status(capsys):
    result = workbench(capsys, "migrations", "status", "--format", "json")
    assert result.code == 0
    status = json.loads(result.out)
    assert status["current"] == [] and status["pending"][-1]["file"] == newest_revision()


def test_migrations_verify_without_a_progress_bar_off_a_terminal(capsys):
    result = workbench(capsys, "migrations", "verify", "--skip", "convergence", "--skip", "data",
                       "--skip", "rls", "--skip", "advisors")
    assert result.code == 0, result.out
    assert newest_revision() in result.out
    assert result.err == ""  # no "verifying revisions" bar on a captured stderr


def test_server_status(capsys, empty_home):
    stopped = workbench(capsys, "server", "status")
    assert stopped.code == 1 and stopped.out == f"stopped  data: {empty_home / '.workbench' / 'pgdata'}\n"


def test_server_start_status_stop_print_nothing_on_stderr(empty_home):
    """On a server of its own (the shared one keeps running), in fresh processes, as users
    run it: without XDG_RUNTIME_DIR, platformdirs would warn when the server is stopped."""
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    env["PYTHONPATH"] = str(Path(workbench_package.__file__).parents[1])  # this checkout's code
    empty_home.chmod(0o755)  # the server may run as another system user (when started by root)

    def server(action: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "workbench", "server", action],
                              capture_output=True, text=True, env=env, cwd=empty_home)

    try:
        started = server("start")
        assert (started.returncode, started.stderr) == (0, "")
        assert started.stdout.startswith("running ")
        status = server("status")
        assert (status.returncode, status.stdout.split()[0]) == (0, "running")
        stopped = server("stop")
        assert (stopped.returncode, stopped.stdout, stopped.stderr) == (0, "stopped\n", "")
    finally:
        server("stop")


def test_mcp_serves_with_its_options(capsys, monkeypatch, tmp_path):
    """The server itself is driven over stdio in test_mcp.py; here: main() hands it the options."""
    from workbench import mcp as mcp_package

    served = []
    monkeypatch.setattr(mcp_package, "serve", lambda dsn, **options: served.append((dsn, options)))
    result = workbench(capsys, "mcp", "--allow-apply", "--dir", str(tmp_path))
    assert (result.code, result.out, result.err) == (0, "", "")
    assert served == [(None, {"allow_apply": True, "migrations_dir": str(tmp_path)})]


@pytest.fixture
def jupyter_started(monkeypatch) -> list[list[str]]:
    """The command lines ``workbench lab`` would start JupyterLab with (it is not started)."""
    started = []
    monkeypatch.setattr(lab.os, "execv", lambda program, argv: started.append(argv))
    return started


def test_lab_starts_jupyterlab_on_the_notebooks(capsys, jupyter_started):
    port = str(free_port())
    result = workbench(capsys, "lab", "--port", port)
    assert result.code == 0
    token = re.search(rf"open http://127\.0\.0\.1:{port}/lab\?token=(\w+)", result.out).group(1)
    argv, = jupyter_started
    assert argv[1:3] == ["-m", "jupyterlab"]
    assert f"--IdentityProvider.token={token}" in argv and f"--port={port}" in argv
    assert any(a.startswith("--ServerApp.root_dir=") and a.endswith("notebooks") for a in argv)


# --- one user error each: exit 2, the message on stderr, no traceback ---------------------

MISSING = "/nonexistent/workbench"
USER_ERRORS = {
    "inspect": (["inspect", "--schema", "nope"], "no schema named 'nope'"),
    "erd": (["erd", "-o", "diagram.pdf"], "no renderer for .pdf files"),
    "lint": (["lint", "--config", MISSING], "no lint configuration file"),
    "explain": (["explain", "-f", f"{MISSING}.sql"], "cannot read"),
    "advise": (["advise", "--demo", "nope"], "unknown demo database 'nope'"),
    "diff": (["diff", "--to", "after.sql", "--rename", "customers"], "cannot read --rename 'customers'"),
    "locks": (["locks", "-f", f"{MISSING}.sql"], "cannot read /nonexistent/workbench.sql"),
    "rls probe": (["rls", "probe", "--table", "nope"], "no table 'nope'"),
    "types": (["types", "--check"], "--check needs the file to compare"),
    "report": (["report", "--draft-file", f"{MISSING}.sql"], "cannot read the SQL file"),
    "demo": (["demo", "--only", "nursery", "--scale", "-1"], "bad demo scale"),
    "migrations list": (["migrations", "list", "--dir", MISSING], "not an Alembic migrations folder"),
    "migrations verify": (["migrations", "verify", "--dir", MISSING], "not an Alembic migrations folder"),
    "migrations status": (["migrations", "status", "--dir", MISSING], "not an Alembic migrations folder"),
    "migrations generate": (["migrations", "generate", "-m", "x", "--to", "x.sql", "--dir", MISSING],
                            "no migrations folder at /nonexistent/workbench"),
    "mcp": (["mcp", "--dsn", f"host={MISSING} dbname=nursery"], "could not connect to PostgreSQL"),
}


def test_every_command_has_a_user_error_here():
    assert set(USER_ERRORS) | {"server", "lab"} == set(COMMAND_PATHS)


@pytest.mark.parametrize("path", USER_ERRORS)
def test_user_error(capsys, path):
    argv, message = USER_ERRORS[path]
    result = workbench(capsys, *argv)
    assert result.code == 2
    assert result.err.startswith(f"workbench {path}: error: ") and message in result.err
    assert "Traceback" not in result.err


def test_server_usage_error(capsys):
    result = workbench(capsys, "server", "restart")
    assert result.code == 2 and "invalid choice: 'restart'" in result.err


def test_lab_without_notebooks_folder(capsys, empty_home, jupyter_started):
    result = workbench(capsys, "lab", "--no-demo", "--port", str(free_port()))
    assert result.code == 2 and not jupyter_started
    assert result.err.startswith("workbench lab: error: no notebooks folder to open")
    assert str(empty_home / "notebooks") in result.err


def test_lab_on_a_port_in_use(capsys, jupyter_started):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = workbench(capsys, "lab", "--no-demo", "--port", str(port))
    assert result.code == 2 and not jupyter_started
    assert result.err.startswith(f"workbench lab: error: cannot listen on 127.0.0.1:{port}")


# --- crashes: exit 3, one line, the traceback in a file -----------------------------------

def crash(message: str):
    def run(args):
        raise RuntimeError(message)
    return run


def saved_traceback(line: str) -> Path:
    return Path(re.search(r"full traceback in (\S+);", line).group(1))


def test_a_crash_exits_3_with_one_line_naming_the_traceback_file(capsys, monkeypatch):
    from workbench.cli import inspect

    monkeypatch.setattr(inspect, "run", crash("the catalog query returned nothing"))
    result = workbench(capsys, "inspect", "--schema", "nursery")
    assert result.code == 3
    assert result.err.count("\n") == 1
    assert result.err.startswith(
        "workbench inspect: crashed: RuntimeError: the catalog query returned nothing (full traceback in ")
    path = saved_traceback(result.err)
    try:
        text = path.read_text()
        assert "command: workbench inspect --schema nursery" in text
        assert "Traceback (most recent call last)" in text and "the catalog query returned nothing" in text
    finally:
        path.unlink()


def test_a_crash_names_the_subcommand_and_hides_passwords(capsys, monkeypatch):
    from workbench.cli import migrations

    monkeypatch.setattr(migrations, "run_status", crash("cannot reach host=db password=hunter2"))
    result = workbench(capsys, "migrations", "status", "--dsn", "host=db password=hunter2")
    assert result.code == 3 and result.err.startswith("workbench migrations status: crashed: ")
    path = saved_traceback(result.err)
    try:
        assert "hunter2" not in result.err and "hunter2" not in path.read_text()
    finally:
        path.unlink()


# --- stderr stays quiet --------------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_still_shows_the_progress_bar(capsys, monkeypatch, tmp_path):
    (tmp_path / "queries.sql").write_text(WORKLOAD)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code = main(["advise", "-f", str(tmp_path / "queries.sql"), "--no-measure", "--format", "json"])
    assert code == 0 and "advising" in terminal.getvalue()


def test_the_demo_build_bar_stays_off_a_captured_stderr(capsys):
    from workbench.samples.build import progress_bar
    from workbench.samples.demos import get_demo

    with progress_bar(get_demo("nursery"), "nursery", 1.0, enabled=True) as tick:
        tick("schema")
    assert capsys.readouterr().err == ""


def test_lab_gives_jupyter_no_deprecated_options():
    """JupyterLab warns on ServerApp.token (deprecated in jupyter-server 2); parse the
    options as Jupyter does, without starting it."""
    from jupyter_server.serverapp import ServerApp

    argv = lab.jupyter_argv(Path("notebooks"), "abc123", "127.0.0.1", 8888)
    app = ServerApp()
    warnings = io.StringIO()
    handler = logging.StreamHandler(warnings)
    handler.setLevel(logging.WARNING)
    app.log.addHandler(handler)
    try:
        app.parse_command_line(argv[3:])
    finally:
        app.log.removeHandler(handler)
    assert warnings.getvalue() == ""
    assert app.config.IdentityProvider.token == "abc123"
