"""A pytest plugin for teams testing their own migrations the way the workbench does.

Enable it in the root ``conftest.py`` (``pytest_plugins = ["workbench.pytest_plugin"]``) or
with ``-p workbench.pytest_plugin``. It gives:

- fixtures: ``workbench_server`` (admin DSN of a PostgreSQL), ``workbench_database`` (a fresh
  empty database per test), ``workbench_migrations`` (the migrations folder) and
  ``workbench_migrated_database`` (a fresh database upgraded to head);
- a ready-made test, ``workbench_verify_migrations``, that runs ``workbench.verify`` on the
  history: set the ini option ``workbench_migrations = migrations`` to enable it. It is
  collected with the file named by ``workbench_verify_with`` (default ``tests/conftest.py``),
  so it runs when that folder's tests run.

The server is ``--workbench-server``, else ``WORKBENCH_TEST_SERVER``, else the ini option
``workbench_server``: ``embedded`` (default: the project's embedded PostgreSQL, each test
in a scratch database), ``temporary`` (a private embedded PostgreSQL in a temporary folder,
removed at the end), or the admin DSN of any server where databases may be created.
"""
from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

import pytest

SERVER_ENV = "WORKBENCH_TEST_SERVER"
VERIFY_TEST = "workbench_verify_migrations"
_STACK = pytest.StashKey[ExitStack]()
_SERVER = pytest.StashKey[str]()


def pytest_addoption(parser) -> None:
    group = parser.getgroup("workbench", "Schema Workbench")
    group.addoption("--workbench-server", dest="workbench_server", default=None,
                    help="PostgreSQL for the workbench fixtures: embedded, temporary or an admin DSN")
    parser.addini("workbench_server", "embedded (default), temporary, or an admin DSN",
                  default="embedded")
    parser.addini("workbench_migrations", "the migrations folder; setting it enables the "
                  "ready-made verify test", default="")
    parser.addini("workbench_verify_with", "the file the verify test is collected with",
                  default="tests/conftest.py")


def pytest_configure(config) -> None:
    config.stash[_STACK] = ExitStack()
    anchor = verify_anchor(config)
    if migrations_dir(config) and not anchor.exists():
        config.issue_config_time_warning(pytest.PytestConfigWarning(
            f"workbench_verify_with: {anchor} does not exist, so the verify test is not collected; "
            "point it at a file of your tests folder"), stacklevel=2)


def pytest_unconfigure(config) -> None:
    if _STACK in config.stash:
        config.stash[_STACK].close()


def server_setting(config) -> str:
    """Which server: the command line, the environment, then the ini file."""
    return (config.getoption("workbench_server") or os.environ.get(SERVER_ENV)
            or config.getini("workbench_server") or "embedded").strip()


def admin_dsn(config) -> str:
    """The admin DSN of the session's server, started on first use."""
    if _SERVER not in config.stash:
        config.stash[_SERVER] = start_server(config, server_setting(config))
    return config.stash[_SERVER]


def start_server(config, setting: str) -> str:
    """Start (or reuse) the server ``setting`` names; a temporary one stops with the session."""
    from . import embedded
    from .testing import temporary_server

    if setting == "embedded":
        return embedded.server_dsn("postgres")
    if setting == "temporary":
        return config.stash[_STACK].enter_context(temporary_server())
    return setting


def migrations_dir(config) -> Path | None:
    """The ini option ``workbench_migrations`` as a path under the root folder, if set."""
    value = config.getini("workbench_migrations").strip()
    return Path(config.rootpath, value) if value else None


def verify_anchor(config) -> Path:
    """The file the ready-made verify test is collected with."""
    return Path(config.rootpath, config.getini("workbench_verify_with").strip())


@pytest.fixture(scope="session")
def workbench_server(pytestconfig) -> str:
    """Admin DSN of the PostgreSQL the workbench fixtures use."""
    return admin_dsn(pytestconfig)


@pytest.fixture
def workbench_database(workbench_server):
    """A fresh, empty database for one test, dropped after it."""
    from .testing import scratch_database

    with scratch_database(workbench_server, prefix="wb_test") as dsn:
        yield dsn


@pytest.fixture(scope="session")
def workbench_migrations(pytestconfig) -> Path:
    """The migrations folder (ini ``workbench_migrations``, default ``migrations``)."""
    return migrations_dir(pytestconfig) or Path(pytestconfig.rootpath, "migrations")


@pytest.fixture
def workbench_migrated_database(workbench_server, workbench_migrations):
    """A fresh database upgraded to the head of the history, dropped after the test."""
    from .testing import migrated_database

    with migrated_database(workbench_server, workbench_migrations) as dsn:
        yield dsn


def pytest_collect_file(file_path: Path, parent):
    """Collect the ready-made verify test with the anchor file, when it is enabled."""
    config = parent.config
    if migrations_dir(config) is None:
        return None
    if file_path.resolve() == verify_anchor(config).resolve():
        return VerifyFile.from_parent(parent, path=file_path)
    return None


class VerifyFile(pytest.File):
    """The collector holding the ready-made verify test."""

    def collect(self):
        yield VerifyItem.from_parent(self, name=VERIFY_TEST)


class VerifyFailed(Exception):
    """The history did not verify; carries the report."""

    def __init__(self, report):
        super().__init__(report.text())
        self.report = report


class VerifyItem(pytest.Item):
    """Verify the migration history on fresh databases of the session's server."""

    def runtest(self) -> None:
        """Run :func:`workbench.verify.verify`; fail with its report when it does not pass."""
        from .verify import verify

        report = verify(admin_dsn(self.config), migrations_dir(self.config))
        if not report.ok:
            raise VerifyFailed(report)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, VerifyFailed):
            return "migration history failed verification:\n" + excinfo.value.report.text(detail=True)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"{VERIFY_TEST}: {migrations_dir(self.config)}"
