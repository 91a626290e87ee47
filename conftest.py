"""Test-session set-up shared by tests/ and the notebooks run under nbval.

nbval kernels cannot see pytest fixtures, so what the notebooks need is prepared here, once,
before anything runs, and handed to them through the environment:
- WORKBENCH_DSN: the nursery demo database (built if missing), unless the caller set it;
- WORKBENCH_MIGRATIONS: a temporary copy of migrations/, so exports made by the notebooks
  during a test run add no files to the project.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def pytest_sessionstart(session) -> None:
    os.environ.setdefault("WORKBENCH_MIGRATIONS", str(copy_of_migrations()))
    if not os.environ.get("WORKBENCH_DSN"):
        os.environ["WORKBENCH_DSN"] = demo_databases()["nursery"]


def copy_of_migrations() -> Path:
    """A throwaway copy of migrations/ (with alembic.ini beside it)."""
    folder = Path(tempfile.mkdtemp(prefix="workbench-migrations-"))
    shutil.copytree(ROOT / "migrations", folder / "migrations",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "alembic.ini", folder / "alembic.ini")
    return folder / "migrations"


def demo_databases() -> dict[str, str]:
    """Build (or reuse) the demo databases on the embedded server; return their DSNs."""
    from workbench import embedded
    from workbench.samples import build_demos

    admin = embedded.server_dsn("postgres")
    with embedded.build_lock("demos"):
        return build_demos(admin, progress=False)


def pytest_sessionfinish(session, exitstatus) -> None:
    copy = os.environ.get("WORKBENCH_MIGRATIONS", "")
    if copy.startswith(tempfile.gettempdir()):
        shutil.rmtree(Path(copy).parent, ignore_errors=True)
