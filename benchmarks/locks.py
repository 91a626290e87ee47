"""What does tracing a migration's locks cost, next to running the same statements plainly?

    python benchmarks/locks.py [--rows 200000] [--extra-tables 100] [--repeats 7] [--dsn ADMIN_DSN]

Creates a scratch database (on the embedded server, or on the server of ``--dsn``) with two
tables of ``--rows`` and ``--rows / 10`` rows and ``--extra-tables`` small tables with an
index each (every snapshot reads every relation's catalog entry, so schema size counts),
then times one migration of twelve common statements (catalog-only changes, a rewrite, a
validating scan, a foreign key, an index build) three ways, each in a transaction that is
rolled back:

- **plain**: each statement in a savepoint, as the dry run applies them, nothing read;
- **traced**: ``workbench.impact.trace(..., squawk=False)``: two snapshots per statement
  (pg_locks, file nodes, scan counters) and the lock-wait watch;
- **traced + squawk**: the same with squawk's verdicts compared.

A warm-up run each, then the median of ``--repeats`` rounds that run each once. It prints
the medians, the overhead per statement and the ratio traced / plain. The scratch database
is dropped at the end.
"""
from __future__ import annotations

import os
import sys

# Run as a script, this folder comes first on sys.path, and benchmarks/inspect.py would hide
# the standard library's ``inspect`` from every module that imports it: take the folder off.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from typing import Callable  # noqa: E402

import psycopg  # noqa: E402

import workbench  # noqa: E402
from workbench.drafts.sqltext import statements  # noqa: E402
from workbench.impact import trace  # noqa: E402
from workbench.session import rolled_back  # noqa: E402
from workbench.testing import scratch_database  # noqa: E402

SETUP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id int PRIMARY KEY, name text NOT NULL, email text);
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int NOT NULL, qty int NOT NULL,
                          status varchar(20) NOT NULL DEFAULT 'new', note text);
CREATE INDEX orders_status_idx ON shop.orders (status);
INSERT INTO shop.customers SELECT g, 'customer ' || g, 'c' || g || '@example.com'
  FROM generate_series(1, {customers}) g;
INSERT INTO shop.orders SELECT g, 1 + g % {customers}, 1 + g % 9, 'new', NULL
  FROM generate_series(1, {orders}) g;
"""
EXTRA_TABLE = "CREATE TABLE shop.extra_{n} (id int PRIMARY KEY, label text); CREATE INDEX ON shop.extra_{n} (label);"
MIGRATION = """
ALTER TABLE shop.orders ADD COLUMN memo text;
ALTER TABLE shop.orders ADD COLUMN flag int NOT NULL DEFAULT 0;
ALTER TABLE shop.orders ALTER COLUMN status TYPE varchar(40);
ALTER TABLE shop.orders ALTER COLUMN qty SET DEFAULT 1;
ALTER TABLE shop.orders ADD CONSTRAINT orders_qty_positive CHECK (qty > 0);
ALTER TABLE shop.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id)
  REFERENCES shop.customers (id);
ALTER TABLE shop.customers ALTER COLUMN id TYPE bigint;
CREATE INDEX orders_customer_idx ON shop.orders (customer_id);
ALTER TABLE shop.orders RENAME COLUMN note TO remark;
ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_positive ON shop.orders USING (qty > 0);
ALTER TABLE shop.orders SET (fillfactor = 90);
"""


def build(dsn: str, rows: int, extra_tables: int) -> None:
    """The benchmark schema: orders of ``rows`` rows, customers of a tenth, small extras."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(SETUP.format(orders=rows, customers=max(rows // 10, 1)))
        for n in range(extra_tables):
            conn.execute(EXTRA_TABLE.format(n=n))
        conn.execute("VACUUM ANALYZE")


def plain(session, statements: list[str]) -> None:
    """The migration run as the dry run applies it: a savepoint per statement, rolled back."""
    with rolled_back(session.conn) as conn:
        for statement in statements:
            with conn.transaction():
                conn.execute(statement)


def seconds(action: Callable[[], object]) -> float:
    """Wall time of one run of ``action``."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def timed(actions: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall time of each action: a warm-up run each, then ``repeats`` rounds that run
    them in turn, so a change in the machine's load touches all alike."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            times[name].append(seconds(action))
    return {name: statistics.median(values) for name, values in times.items()}


def measure(dsn: str, repeats: int) -> dict[str, float]:
    """Median seconds of the migration run plainly, traced, and traced with squawk."""
    pieces = statements(MIGRATION)
    with workbench.connect(dsn) as session:
        return timed({"plain": lambda: plain(session, pieces),
                      "traced": lambda: trace(session, MIGRATION, squawk=False),
                      "traced + squawk": lambda: trace(session, MIGRATION)}, repeats)


def report(figures: dict[str, float], rows: int, extra_tables: int) -> str:
    """The medians, the overhead per statement and the ratios to the plain run."""
    count = len(statements(MIGRATION))
    base, traced = figures["plain"], figures["traced"]
    return (f"{count} statements on {rows:,} + {rows // 10:,} rows, {extra_tables} more tables\n"
            f"  plain:           {base * 1000:8.1f} ms\n"
            f"  traced:          {traced * 1000:8.1f} ms   overhead {(traced - base) * 1000 / count:.1f} ms "
            f"per statement, ratio {traced / base:.2f}x\n"
            f"  traced + squawk: {figures['traced + squawk'] * 1000:8.1f} ms   ratio "
            f"{figures['traced + squawk'] / base:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the orders table (default 200000)")
    parser.add_argument("--extra-tables", type=int, default=100, help="small tables beside (default 100)")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--dsn", help="admin DSN of the server to use (default: the embedded one)")
    args = parser.parse_args(argv)
    if args.dsn is None:
        from workbench import embedded

        args.dsn = embedded.server_dsn("postgres")
    with scratch_database(args.dsn, prefix="wb_bench_locks") as dsn:
        started = time.perf_counter()
        build(dsn, args.rows, args.extra_tables)
        print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
        print(report(measure(dsn, args.repeats), args.rows, args.extra_tables))
    return 0


if __name__ == "__main__":
    sys.exit(main())
