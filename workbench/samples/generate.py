"""Fill a fresh database with one demo: shim, schema, generated data, indexes, VACUUM ANALYZE.

The data is generated on the server (``INSERT … SELECT … generate_series``) from hashes of
row numbers, so the same scale gives the same rows every time. Secondary indexes are dropped
before the load and built again after it, which is much faster than maintaining them row by
row. As a superuser the load also skips foreign-key triggers (``session_replication_role =
replica``): the generator writes consistent data, and the tests check every foreign key.
"""
from __future__ import annotations

from typing import Callable

import psycopg
from psycopg import sql

from ..session import Session, Settings
from ..vacuum import vacuum_until_all_visible
from .demos import GENERATOR_FILES, Demo
from .shim import install_shim
from .sqlfiles import read_sql, steps

LOAD_SETTINGS = Settings(statement_timeout="10min", lock_timeout="1min")
SESSION_TUNING = "SET maintenance_work_mem = '256MB'; SET work_mem = '64MB'; SET synchronous_commit = off"

Step = Callable[[str], None]


def step_names(demo: Demo) -> list[str]:
    """The steps of :func:`populate`, in order (one progress tick each)."""
    return ["shim", "schema", *(name for name, _ in steps(demo.data_file)), "indexes", "vacuum"]


def populate(dsn: str, demo: Demo, scale: float, on_step: Step = lambda name: None) -> None:
    """Install the shim, the schema and the generated data of ``demo`` into the database at ``dsn``."""
    with Session(dsn, LOAD_SETTINGS) as session:
        conn = session.conn
        prepare_session(conn, scale)
        install_shim(conn)
        on_step("shim")
        run_script(conn, read_sql(demo.schema_file))
        on_step("schema")
        deferred = drop_secondary_indexes(conn, demo.schema)
        for generator in GENERATOR_FILES:
            run_script(conn, read_sql(generator))
        for name, script in steps(demo.data_file):
            run_script(conn, script)
            on_step(name)
        reset_identities(conn, demo.schema)
        for definition in deferred:
            conn.execute(definition)
        on_step("indexes")
        vacuum_until_all_visible(conn)  # as autovacuum leaves a loaded table: index-only scans as in production
        on_step("vacuum")


def prepare_session(conn: psycopg.Connection, scale: float) -> None:
    """Session settings for a bulk load; skip FK triggers when allowed (superuser)."""
    conn.execute(SESSION_TUNING)
    conn.execute("SELECT set_config('workbench.scale', %s, false)", [repr(float(scale))])
    try:
        conn.execute("SET session_replication_role = replica")
    except psycopg.errors.InsufficientPrivilege:
        pass  # not a superuser: foreign keys are checked row by row, the order of steps allows it


def run_script(conn: psycopg.Connection, script: str) -> None:
    """Run a multi-statement SQL script in one transaction."""
    with conn.transaction():
        conn.execute(script)


SECONDARY_INDEXES = """
SELECT n.nspname, ci.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index AS i
JOIN pg_class AS ci ON ci.oid = i.indexrelid
JOIN pg_class AS ct ON ct.oid = i.indrelid
JOIN pg_namespace AS n ON n.oid = ct.relnamespace
WHERE n.nspname = %s AND NOT i.indisunique AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
ORDER BY ct.relname, ci.relname
"""


def drop_secondary_indexes(conn: psycopg.Connection, schema: str) -> list[str]:
    """Drop the plain (non-unique, non-constraint) indexes of ``schema``; return their definitions."""
    rows = conn.execute(SECONDARY_INDEXES, [schema]).fetchall()
    with conn.transaction():
        for nspname, relname, _ in rows:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(nspname, relname)))
    return [definition for _, _, definition in rows]


IDENTITY_COLUMNS = """
SELECT n.nspname, c.relname, a.attname, pg_get_serial_sequence(format('%%I.%%I', n.nspname, c.relname), a.attname)
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND a.attidentity IN ('a', 'd') AND NOT a.attisdropped
ORDER BY c.relname
"""


def reset_identities(conn: psycopg.Connection, schema: str) -> None:
    """Move every identity sequence of ``schema`` past the largest id the generator wrote."""
    for nspname, relname, column, sequence in conn.execute(IDENTITY_COLUMNS, [schema]).fetchall():
        conn.execute(sql.SQL("SELECT setval(%s, coalesce(max({}), 0) + 1, false) FROM {}").format(
            sql.Identifier(column), sql.Identifier(nspname, relname)), [sequence])
