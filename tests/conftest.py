"""Real PostgreSQL for every test: the embedded PostgreSQL 18, and Debian's PostgreSQL 15.

``server`` is parametrized over both tiers and yields an admin DSN; ``scratch_dsn`` gives a
fresh empty database on it. The PostgreSQL 15 tier is skipped, with a message, only where
the server programs are not installed.
"""
from __future__ import annotations

import pytest

from workbench import embedded
from workbench.testing import DEBIAN_PG15, scratch_database, throwaway_cluster

TIERS = ["pg18", "pg15"]


@pytest.fixture(scope="session")
def pg18() -> str:
    """Admin DSN of the embedded PostgreSQL 18 (the project's own, shared with notebooks)."""
    return embedded.server_dsn("postgres")


@pytest.fixture(scope="session")
def pg15():
    """Admin DSN of a throwaway Debian PostgreSQL 15 cluster, started for this test run."""
    if not (DEBIAN_PG15 / "initdb").exists():
        pytest.skip(f"PostgreSQL 15 tier skipped: no server programs in {DEBIAN_PG15} "
                    "(apt-get install postgresql-15)")
    with throwaway_cluster(DEBIAN_PG15) as dsn:
        yield dsn


@pytest.fixture(params=TIERS)
def server(request) -> str:
    """Admin DSN of each PostgreSQL tier in turn."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def scratch_dsn(server):
    """A fresh, empty database on the current tier, dropped afterwards."""
    with scratch_database(server) as dsn:
        yield dsn
