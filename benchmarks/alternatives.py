"""The safer alternatives side by side: each risky pattern and its safer form, traced the same way.

    python benchmarks/alternatives.py [--rows 200000] [--dsn ADMIN_DSN]

Creates a scratch database (on the embedded server, or on the server of ``--dsn``) with
``shop.orders`` of ``--rows`` rows and ``shop.customers`` of a tenth of that, then compares
each pattern the workbench knows (``workbench.impact.compare``: both forms traced in
transactions that are rolled back) and prints, as written and safer: the longest lock that
stops reads or writes (mode and time held), the tables read or rewritten while such a lock
is held, the tables rewritten and the total time. The scratch database is dropped at the end.
"""
from __future__ import annotations

import os
import sys

# Run as a script, this folder comes first on sys.path, and benchmarks/inspect.py would hide
# the standard library's ``inspect`` from every module that imports it: take the folder off.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402

import psycopg  # noqa: E402

import workbench  # noqa: E402
from workbench.impact import compare  # noqa: E402
from workbench.impact.comparison import steps  # noqa: E402
from workbench.impact.lockmodes import spoken  # noqa: E402
from workbench.plans.words import ms  # noqa: E402
from workbench.testing import scratch_database  # noqa: E402

SETUP = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id int PRIMARY KEY, name varchar(20) NOT NULL, email text);
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int, qty int NOT NULL DEFAULT 1,
                          code text, note text);
INSERT INTO shop.customers SELECT g, 'c' || g, 'c' || g || '@example.com' FROM generate_series(1, {customers}) g;
INSERT INTO shop.orders SELECT g, 1 + g % {customers}, 1 + g % 9, 'o' || g, NULL FROM generate_series(1, {orders}) g;
ANALYZE;
"""
PATTERNS = {
    "foreign key": "ALTER TABLE shop.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) "
                   "REFERENCES shop.customers (id)",
    "check": "ALTER TABLE shop.orders ADD CHECK (qty > 0)",
    "set not null": "ALTER TABLE shop.orders ALTER COLUMN customer_id SET NOT NULL",
    "create index": "CREATE INDEX ON shop.orders (customer_id)",
    "volatile default": "ALTER TABLE shop.orders ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()",
    "type change": "ALTER TABLE shop.orders ALTER COLUMN qty TYPE bigint",
    "unique": "ALTER TABLE shop.orders ADD CONSTRAINT orders_code_key UNIQUE (code)",
}


def side(measures) -> str:
    """One side's facts on one line."""
    longest = measures.longest
    lock = (f"{spoken(longest.mode)} {ms(longest.held_ms) if longest.held_ms is not None else 'not measured'}"
            if longest else "none")
    under = ", ".join(f"{w.what} of {w.table.split('.')[-1]}" for w in measures.under_lock) or "nothing"
    untraced = f", {len(measures.not_traced)} not traced" if measures.not_traced else ""
    return (f"longest blocking lock {lock}; under it: {under}; rewrites: {len(measures.rewrites)}; "
            f"total {ms(measures.total_ms)}{untraced}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--dsn", help="admin DSN of the server (default: the embedded one)")
    args = parser.parse_args()
    if args.dsn is None:
        from workbench import embedded

        args.dsn = embedded.server_dsn("postgres")
    admin = args.dsn
    with scratch_database(admin, prefix="wb_bench_safer") as dsn:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(SETUP.format(customers=max(1, args.rows // 10), orders=args.rows))
        with workbench.connect(dsn) as session:
            schema = workbench.inspect(session)
            version = session.conn.info.server_version // 10_000
            print(f"PostgreSQL {version}, shop.orders: {args.rows:,} rows")
            for name, sql in PATTERNS.items():
                found = compare(session, sql, schema=schema, lock_timeout="30s")
                print(f"{name}\n  as written: {side(found.as_written)}\n  safer form: "
                      f"{side(found.safer_measures)} ({steps(len(found.safer.steps))})")


if __name__ == "__main__":
    main()
