"""How fast is ``workbench.inspect()`` next to SQLAlchemy's reflection, on a large schema?

    python benchmarks/inspect.py [--tables 1000] [--repeats 7] [--dsn ADMIN_DSN]

Creates a scratch database (on the embedded server, or on the server of ``--dsn``), builds
a schema of ``--tables`` tables with foreign keys, indexes, RLS policies, triggers and grants,
then times both on it: a warm-up run each, then the median of ``--repeats`` rounds that run
each once. The scratch database is dropped at the end. ``inspect()`` also reads RLS flags,
policies, triggers, grants, functions, views and size estimates, which
``MetaData.reflect()`` does not.
"""
from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path, and its name would hide the
# standard library's ``inspect`` from every module that imports it: take the folder off.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from typing import Callable  # noqa: E402

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402
from psycopg.conninfo import conninfo_to_dict  # noqa: E402

import workbench  # noqa: E402
from workbench.testing import scratch_database  # noqa: E402

SCHEMA = "bench"
TARGET_SPEED_UP = 6.0
BATCH = 100

SETUP = """
CREATE SCHEMA bench;
CREATE TYPE bench.state AS ENUM ('new', 'active', 'archived');
CREATE FUNCTION bench.touch() RETURNS trigger LANGUAGE plpgsql
    SET search_path = bench, pg_temp
    AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
GRANT USAGE ON SCHEMA bench TO {reader};
"""

TABLE = """
CREATE TABLE {table} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id integer NOT NULL,
    parent_id bigint REFERENCES {parent} (id) ON DELETE CASCADE,
    code text NOT NULL,
    state bench.state NOT NULL DEFAULT 'new',
    amount numeric(12, 2) CHECK (amount >= 0),
    payload jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz,
    UNIQUE (tenant_id, code)
);
COMMENT ON TABLE {table} IS 'benchmark table';
CREATE INDEX ON {table} (parent_id);
CREATE INDEX ON {table} (tenant_id, created_at) WHERE state <> 'archived';
CREATE INDEX ON {table} (lower(code));
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON {table}
    USING (tenant_id = current_setting('app.tenant_id', true)::integer);
CREATE POLICY readers ON {table} FOR SELECT TO {reader} USING (state <> 'archived');
CREATE TRIGGER touch BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION bench.touch();
GRANT SELECT ON {table} TO {reader};
GRANT SELECT, INSERT, UPDATE ON {table} TO PUBLIC;
"""


def build(dsn: str, tables: int, reader: str) -> None:
    """Create the benchmark schema: ``tables`` tables, each with its parts, then ANALYZE.

    A commit every ``BATCH`` tables keeps the locks one transaction holds within the
    server's lock table."""
    role = sql.Identifier(reader)
    with psycopg.connect(dsn) as conn:
        conn.execute(sql.SQL(SETUP).format(reader=role))
        for n in range(tables):
            table = sql.Identifier(SCHEMA, f"t{n:04d}")
            parent = sql.Identifier(SCHEMA, f"t{n // 2:04d}")
            conn.execute(sql.SQL(TABLE).format(table=table, parent=parent, reader=role))
            if n % BATCH == BATCH - 1:
                conn.commit()
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")


def sqlalchemy_url(dsn: str):
    """The SQLAlchemy URL (``postgresql+psycopg``) for a libpq DSN."""
    from sqlalchemy.engine import URL

    params = conninfo_to_dict(dsn)
    return URL.create("postgresql+psycopg", username=params.pop("user", None),
                      password=params.pop("password", None), database=params.pop("dbname", None),
                      query={key: str(value) for key, value in params.items()})


def seconds(action: Callable[[], object]) -> float:
    """Wall time of one run of ``action``."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def timed(actions: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall time of each action: one warm-up run each, then ``repeats`` rounds that
    run them in turn, so a change in the machine's load touches both alike."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            times[name].append(seconds(action))
    return {name: statistics.median(values) for name, values in times.items()}


def measure(dsn: str, repeats: int) -> dict[str, float]:
    """Median seconds for ``workbench.inspect()`` and ``MetaData().reflect()`` on one database."""
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(sqlalchemy_url(dsn))
    try:
        with workbench.connect(dsn) as session:
            return timed({"inspect": lambda: workbench.inspect(session),
                          "reflect": lambda: MetaData().reflect(engine, schema=SCHEMA)}, repeats)
    finally:
        engine.dispose()


def create_role(admin_dsn: str) -> str:
    """A role of the benchmark's own (roles belong to the whole server)."""
    name = f"wb_bench_reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(name)))
    return name


def drop_role(admin_dsn: str, name: str) -> None:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def report(figures: dict[str, float], tables: int) -> str:
    """``inspect: 0.41 s  reflect: 3.02 s  speed-up: 7.3x`` and the verdict."""
    speed_up = figures["reflect"] / figures["inspect"]
    verdict = "meets" if speed_up >= TARGET_SPEED_UP else "MISSES"
    return (f"{tables} tables  inspect: {figures['inspect']:.2f} s  reflect: {figures['reflect']:.2f} s"
            f"  speed-up: {speed_up:.1f}x  ({verdict} the {TARGET_SPEED_UP:.0f}x target; inspect also "
            "reads RLS, policies, triggers, grants, functions and sizes)")


def run(admin_dsn: str, tables: int, repeats: int) -> str:
    """Build, measure, clean up; the report line."""
    reader = create_role(admin_dsn)
    try:
        with scratch_database(admin_dsn, prefix="wb_bench") as dsn:
            started = time.perf_counter()
            build(dsn, tables, reader)
            print(f"built {tables} tables in {time.perf_counter() - started:.1f} s", flush=True)
            return report(measure(dsn, repeats), tables)
    finally:
        drop_role(admin_dsn, reader)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=1000, help="tables to build (default 1000)")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--dsn", help="admin DSN of the server to use (default: the embedded one)")
    args = parser.parse_args(argv)
    if args.dsn is None:
        from workbench import embedded

        args.dsn = embedded.server_dsn("postgres")
    print(run(args.dsn, args.tables, args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
