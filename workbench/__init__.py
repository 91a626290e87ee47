"""Schema Workbench: inspect, draw, explain, review and change PostgreSQL schemas from notebooks."""
from __future__ import annotations

from .dsn import dsn_from_env, mask_dsn
from .errors import WorkbenchError
from .session import Session, Settings
from .catalog import Schema, diff
# imported eagerly so that ``workbench.erd`` is the function, not its package
from .erd import central_tables, erd, implied_relationships, path

__version__ = "0.1.0"
DEFAULT_DEMO = "nursery"

__all__ = ["connect", "inspect", "Schema", "diff", "erd", "central_tables", "path", "implied_relationships",
           "Draft", "explain", "dry_run", "export_draft", "verify_history", "Session", "Settings",
           "WorkbenchError", "mask_dsn", "sandbox", "diff_sql", "desired_from_metadata"]


def connect(dsn: str | None = None, *, database: str | None = None,
            settings: Settings | None = None) -> Session:
    """Open a workbench :class:`Session`.

    With a DSN (the argument, else ``WORKBENCH_DSN``) connect to that server, to ``database``
    when given (another database on the same server). Without one, start or reuse the
    embedded PostgreSQL under the project's ``.workbench/`` and connect to ``database``
    (default ``nursery``); a demo database (``nursery``, ``agent``) is built on first use.
    """
    from .dsn import with_database

    dsn = dsn or dsn_from_env()
    if dsn is None:
        dsn = embedded_dsn(database or DEFAULT_DEMO)
    elif database:
        dsn = with_database(dsn, database)
    return Session(dsn, settings)


def embedded_dsn(database: str) -> str:
    """The DSN of ``database`` on the embedded server; demo databases are built if missing."""
    from . import embedded
    from .samples import DEMOS

    if database in DEMOS:
        return demo_dsn(database)
    return embedded.server_dsn(database)


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


def __getattr__(name: str):
    """The pipeline's objects, imported on first use so ``import workbench`` stays quick."""
    if name == "Draft":
        from .drafts import Draft

        return Draft
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")


def sandbox(session, **options):
    """A throwaway copy of ``session``'s database to design in (a context manager); its
    ``draft("title")`` is the proven migration from the original to the copy."""
    from .diff.sandbox import sandbox as _sandbox

    return _sandbox(session, **options)


def diff_sql(before, after, **options):
    """The migration (up and down SQL) from snapshot ``before`` to snapshot ``after``."""
    from .diff import diff_sql as _diff_sql

    return _diff_sql(before, after, **options)


def desired_from_metadata(metadata, **options):
    """The schema SQLAlchemy ``metadata`` describes (``create_all`` on a throwaway database),
    plus ``extra_sql`` for RLS, policies and grants the models cannot say."""
    from .diff.desired import from_metadata

    return from_metadata(metadata, **options)


def explain(target, sql: str, **options):
    """EXPLAIN ``sql`` (ANALYZE in a rolled-back transaction on request) as a ``Plan``."""
    from .plans import explain as _explain

    return _explain(target, sql, **options)


def dry_run(target, draft, **options):
    """Apply ``draft`` in a rolled-back transaction and show what it changes (a ``DryRun``)."""
    from .drafts.dryrun import dry_run as _dry_run

    return _dry_run(target, draft, **options)


def export_draft(draft, migrations_dir=None, **options):
    """Write ``draft`` as an Alembic revision in ``migrations/versions`` (idempotent)."""
    from .export import export as _export

    return _export(draft, migrations_dir, **options)


def verify_history(admin_dsn=None, migrations_dir=None, **options):
    """Upgrade, downgrade and upgrade every revision on a fresh scratch database."""
    from .verify import stairway

    return stairway.verify_history(admin_dsn, migrations_dir, **options)
