"""Test-session set-up shared by tests/ and the notebooks run under nbval.

nbval kernels cannot see pytest fixtures, so the demo databases are built here, once, before
anything runs, and handed to the notebooks through WORKBENCH_DSN (unless the caller set it).
"""
from __future__ import annotations

import os


def pytest_sessionstart(session) -> None:
    if os.environ.get("WORKBENCH_DSN"):
        return
    from workbench import embedded
    from workbench.samples import build_demos

    admin = embedded.server_dsn("postgres")
    with embedded.build_lock("demos"):
        dsns = build_demos(admin, progress=False)
    os.environ["WORKBENCH_DSN"] = dsns["nursery"]
