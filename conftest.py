"""Test-session set-up shared by tests/ and the notebooks run under nbval.

nbval kernels cannot see pytest fixtures, so what the notebooks need is prepared here, once,
before anything runs, and handed to them through the environment:
- WORKBENCH_DSN: the nursery demo database (built if missing), unless the caller set it;
- WORKBENCH_MIGRATIONS: a temporary copy of migrations/, so exports made by the notebooks
  during a test run add no files to the project. Each test process has a copy of its own
  (with pytest-xdist, each worker), so an export made in one is never seen in another.

Tests run in two processes at once (pytest-xdist, ``-n 2 --dist loadfile`` in pyproject.toml),
each test file whole in one of them, so its module fixtures are made once. Everything that
uses the shared demo databases beyond reading their catalog (the notebooks, the browser tier,
the tests that trace locks, probe, build indexes or time queries there) is one unit of work,
run in order in one process: a lock held in one would otherwise stall or fail another (each
session has a 5 s ``lock_timeout``), or spoil its timings.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
MIGRATIONS_ENV = "WORKBENCH_MIGRATIONS"
COPY_ENV = "WORKBENCH_TEST_MIGRATIONS_COPY"  # the copy a test process made (not one a user set)
SHARED_DEMOS = "shared-demos"
# Test files (or single tests) that lock, probe, build indexes in or time the shared demo
# databases (nursery, agent), besides the notebooks and the browser tier.
SHARED_DEMO_TESTS = {
    "tests/test_cli_main.py",              # locks, rls probe and advise on nursery
    "tests/test_impact_alternatives.py::test_on_the_nursery_data_the_safer_form_holds_its_locks_far_shorter",
    "tests/test_impact_nursery.py",        # lock traces on nursery's tables
    "tests/test_indexes_workload.py",      # builds and times indexes on nursery
    "tests/test_lint_demos.py",            # applies and undoes the planted fixes
    "tests/test_rls_probe_demos.py",       # writes as each role, rolled back
}

_made_here: list[Path] = []


def pytest_sessionstart(session) -> None:
    inherited = os.environ.get(MIGRATIONS_ENV)
    if not inherited or inherited == os.environ.get(COPY_ENV):  # none, or a parent run's copy
        copy = copy_of_migrations()
        _made_here.append(copy)
        os.environ[MIGRATIONS_ENV] = os.environ[COPY_ENV] = str(copy)
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


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile``, with every test on the shared demo databases in one work unit (the
    largest, so it starts first: units go out by their number of tests)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedDemosTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit_of(nodeid)

    return SharedDemosTogether(config, log)


def work_unit_of(nodeid: str) -> str:
    """The file of a test, or SHARED_DEMOS for a test on the shared demo databases."""
    file = nodeid.split("::", 1)[0]
    test = nodeid.split("[", 1)[0]
    if (file.startswith(("notebooks/", "tests/browser/")) or file.endswith(".ipynb")
            or file in SHARED_DEMO_TESTS or test in SHARED_DEMO_TESTS):
        return SHARED_DEMOS
    return file


def pytest_sessionfinish(session, exitstatus) -> None:
    for copy in _made_here:
        shutil.rmtree(copy.parent, ignore_errors=True)
