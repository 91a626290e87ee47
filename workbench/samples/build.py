"""Build demo databases: into a temporary database, renamed into place when complete.

A finished demo carries a marker in its database comment (demo, version, scale); the next
call finds it and does nothing. A half-built demo is never visible under its real name.
"""
from __future__ import annotations

import json
import math
import sys
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Iterable, Iterator

import psycopg
from psycopg import sql

from ..dsn import mask_dsn, with_database
from ..errors import WorkbenchError
from ..session import Session, Settings
from .demos import DEMOS, Demo, get_demo
from .generate import populate, step_names

ADMIN_SETTINGS = Settings(statement_timeout="10min", lock_timeout="1min")
MARKER_PREFIX = "Schema Workbench demo database "
BUILDING_SUFFIX = "__building"
MAX_NAME = 63


@dataclass(frozen=True)
class Marker:
    """What a finished demo database records about itself."""

    demo: str
    version: str
    scale: float

    def comment(self) -> str:
        return MARKER_PREFIX + json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def parse(cls, comment: str | None) -> Marker | None:
        if not comment or not comment.startswith(MARKER_PREFIX):
            return None
        try:
            data = json.loads(comment[len(MARKER_PREFIX):])
            return cls(str(data["demo"]), str(data["version"]), float(data["scale"]))
        except (ValueError, KeyError, TypeError):
            return None


def ensure_demo(admin_dsn: str, name: str, *, scale: float = 1.0, progress: bool = True,
                force: bool = False, database: str | None = None) -> str:
    """Build demo database ``name`` ('nursery' or 'agent') on the server of ``admin_dsn`` if needed.

    The demo is built when missing, when built at another scale or version, or with
    ``force=True``; otherwise nothing is done. ``database`` builds it under another
    database name (default: the demo's name). Returns the DSN of the demo database.
    """
    demo = get_demo(name)
    scale = check_scale(scale)
    database = check_database_name(database or demo.name)
    wanted = Marker(demo.name, demo.version, scale)
    with Session(admin_dsn, ADMIN_SETTINGS) as admin, build_lock(admin, database):
        if read_marker(admin, database) != wanted or force:
            refuse_foreign(admin, database, force)
            build(admin, demo, database, wanted, progress)
    return with_database(admin_dsn, database)


def build_demos(admin_dsn: str, names: Iterable[str] = DEMOS, *, scale: float = 1.0,
                progress: bool = True, force: bool = False) -> dict[str, str]:
    """Ensure several demos (default: all); return {name: DSN}."""
    names = tuple(names)
    for name in names:
        get_demo(name)
    return {name: ensure_demo(admin_dsn, name, scale=scale, progress=progress, force=force)
            for name in names}


def check_scale(scale) -> float:
    """``scale`` as a positive finite float, or a clear error."""
    try:
        value = float(scale)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise WorkbenchError(f"bad demo scale {scale!r}: it must be a number above 0",
                             hint="use 1.0 for the full demo (1M+ rows in the largest tables), "
                             "0.01 for a quick small one")
    return value


def check_database_name(database: str) -> str:
    if not database or len(database) + len(BUILDING_SUFFIX) > MAX_NAME:
        raise WorkbenchError(f"bad database name {database!r}",
                             hint=f"use 1 to {MAX_NAME - len(BUILDING_SUFFIX)} characters")
    return database


@contextmanager
def build_lock(admin: Session, database: str) -> Iterator[None]:
    """A server-side lock, so two sessions never build the same database at once."""
    key = f"workbench.demo:{database}"
    admin.conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [key])
    try:
        yield
    finally:
        if not admin.conn.closed:
            admin.conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [key])


DATABASE_COMMENT = """
SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s
"""


def database_exists(admin: Session, database: str) -> bool:
    return admin.conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone() is not None


def read_marker(admin: Session, database: str) -> Marker | None:
    """The marker of a finished demo in ``database``, or None."""
    row = admin.conn.execute(DATABASE_COMMENT, [database]).fetchone()
    return Marker.parse(row[0]) if row else None


def refuse_foreign(admin: Session, database: str, force: bool) -> None:
    """Never replace a database the workbench did not build, unless forced."""
    if database_exists(admin, database) and read_marker(admin, database) is None and not force:
        raise WorkbenchError(
            f"database {database!r} exists and is not a workbench demo: not replacing it",
            where=mask_dsn(admin.dsn),
            hint="build the demo under another name (database=...) or pass force=True to replace it")


def build(admin: Session, demo: Demo, database: str, marker: Marker, progress: bool) -> None:
    """Build into ``<database>__building``, mark it finished, then rename it into place."""
    building = database + BUILDING_SUFFIX
    drop_database(admin, building)
    create_database(admin, building)
    try:
        with progress_bar(demo, database, marker.scale, progress) as tick:
            populate(with_database(admin.dsn, building), demo, marker.scale, tick)
            admin.conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(building), sql.Literal(marker.comment())))
            drop_database(admin, database)
            admin.conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                sql.Identifier(building), sql.Identifier(database)))
            tick("ready")
    except BaseException:
        drop_database(admin, building)
        raise


def create_database(admin: Session, database: str) -> None:
    try:
        admin.conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    except psycopg.errors.InsufficientPrivilege:
        raise WorkbenchError("this role may not create databases", where=mask_dsn(admin.dsn),
                             hint="connect as a role with CREATEDB (or a superuser) to build the demos") from None


def drop_database(admin: Session, database: str) -> None:
    """Drop ``database`` if it exists, closing any sessions still connected to it."""
    if not admin.conn.closed and database_exists(admin, database):
        admin.conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))


@contextmanager
def progress_bar(demo: Demo, database: str, scale: float, enabled: bool):
    """A tqdm bar on stderr with one tick per build step (none when stderr is not a terminal;
    a widget bar in a notebook); yields the tick function."""
    from tqdm.auto import tqdm

    names = step_names(demo) + ["ready"]
    # disable=None: tqdm leaves the bar out when stderr is not a terminal; notebook bars stay
    with tqdm(total=len(names), desc=f"building {database} (scale {scale:g})", unit="step",
              file=sys.stderr, disable=None if enabled else True, leave=True) as bar:
        def tick(name: str) -> None:
            bar.set_postfix_str(name, refresh=False)
            bar.update(1)
        yield tick
