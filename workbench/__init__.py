"""Schema Workbench: inspect, draw, explain, review and change PostgreSQL schemas from notebooks."""
from __future__ import annotations

from .dsn import dsn_from_env, mask_dsn
from .errors import WorkbenchError
from .session import Session, Settings

__version__ = "0.1.0"
DEFAULT_DEMO = "nursery"

__all__ = ["connect", "inspect", "Session", "Settings", "WorkbenchError", "mask_dsn"]


def connect(dsn: str | None = None, *, demo: str = DEFAULT_DEMO, settings: Settings | None = None) -> Session:
    """Open a workbench :class:`Session`.

    With a DSN (the argument, else ``WORKBENCH_DSN``) connect to that server. Without one,
    start or reuse the embedded PostgreSQL under the project's ``.workbench/`` and connect
    to the demo database ``demo`` (``nursery`` or ``agent``), building it first if missing.
    """
    dsn = dsn or dsn_from_env()
    if dsn is None:
        dsn = demo_dsn(demo)
    return Session(dsn, settings)


def demo_dsn(name: str = DEFAULT_DEMO, *, scale: float = 1.0, progress: bool = True) -> str:
    """The DSN of a demo database on the embedded server, built on first use."""
    from . import embedded
    from .samples import ensure_demo

    admin = embedded.server_dsn("postgres")
    with embedded.build_lock(name):
        return ensure_demo(admin, name, scale=scale, progress=progress)


def inspect(target, **options):
    """Snapshot the schema behind ``target`` (a Session or psycopg connection)."""
    from .catalog import inspect as _inspect

    return _inspect(target, **options)
