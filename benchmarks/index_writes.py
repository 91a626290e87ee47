"""What one index entry costs a write, in the planner's cost units: the calibration of
``workbench.indexes.writes.ENTRY_COST``.

    python benchmarks/index_writes.py [--admin-dsn DSN] [--rows 200000] [--written 40000] [--runs 5]

Method, in a throwaway database (dropped at the end):

1. A table of ``--rows`` rows with a primary key, ``VACUUM ANALYZE``-d.
2. **Scan speed**: the planner's estimated cost of a sequential ``count(*)`` over it, divided
   by its measured time (median of ``--runs``): cost units per millisecond on this machine.
3. **Entry cost**: an ``UPDATE`` of ``--written`` rows, timed (median of ``--runs``, each in a
   rolled-back transaction) with the primary key only (the baseline), then with one and with
   three more btree indexes on (org_id, touched_at), a tenant-led key the update moves
   within each tenant. The extra time per written row and index is
   what one index entry costs; times the scan speed, in cost units.

It prints both figures, the measured entry cost and the constant the advisor uses, and their ratio.
"""
from __future__ import annotations

import os
import sys

if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from workbench import embedded  # noqa: E402
from workbench.dsn import with_database  # noqa: E402
from workbench.indexes.writes import ENTRY_COST  # noqa: E402

TABLE = """
CREATE TABLE bench (id bigint PRIMARY KEY, org_id bigint NOT NULL, status text NOT NULL,
                    touched_at timestamptz NOT NULL, payload text NOT NULL);
INSERT INTO bench SELECT g, g % 97, CASE WHEN g % 9 = 0 THEN 'open' ELSE 'done' END,
       timestamptz '2024-01-01' + g * interval '1 minute', repeat('x', 80)
FROM generate_series(1, {rows}) AS g;
"""


def median_ms(conn, statement: str, runs: int) -> float:
    """The median time of ``statement`` over ``runs`` rolled-back runs (savepoints inside an open
    transaction), after one warm-up."""
    times = []
    for attempt in range(runs + 1):
        with conn.transaction(force_rollback=True):
            start = time.perf_counter()
            conn.execute(statement)
            if attempt:
                times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(dsn: str, rows: int, written: int, runs: int) -> dict:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(TABLE.format(rows=int(rows)))
        conn.execute("VACUUM ANALYZE bench")
        plan = conn.execute("EXPLAIN (FORMAT JSON) SELECT count(*) FROM bench").fetchone()[0]
        scan_cost = plan[0]["Plan"]["Total Cost"]
        scan_ms = median_ms(conn, "SELECT count(*) FROM bench", runs)
        update = f"UPDATE bench SET touched_at = touched_at + interval '1 second' WHERE id <= {int(written)}"
        times = {0: median_ms(conn, update, runs)}
        for count in (1, 3):
            with conn.transaction(force_rollback=True):
                for number in range(count):
                    conn.execute(f"CREATE INDEX bench_touched_{number} ON bench (org_id, touched_at)")
                times[count] = median_ms(conn, update, runs)
    per_entry_ms = statistics.mean((times[n] - times[0]) / n / written for n in (1, 3))
    units_per_ms = scan_cost / scan_ms
    return {"scan_cost": scan_cost, "scan_ms": scan_ms, "units_per_ms": units_per_ms, "times": times,
            "per_entry_us": per_entry_ms * 1000, "entry_cost": per_entry_ms * units_per_ms}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--admin-dsn", help="a server to use (default: the embedded one)")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--written", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    admin = args.admin_dsn or embedded.server_dsn("postgres")
    name = f"wb_bench_writes_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        found = measure(with_database(admin, name), args.rows, args.written, args.runs)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    times = found["times"]
    print(f"sequential scan of {args.rows:,} rows: cost {found['scan_cost']:.0f}, {found['scan_ms']:.1f} ms "
          f"-> {found['units_per_ms']:.0f} cost units per ms")
    print(f"UPDATE of {args.written:,} rows: primary key only {times[0]:.1f} ms, +1 index {times[1]:.1f} ms, "
          f"+3 indexes {times[3]:.1f} ms")
    print(f"one index entry: {found['per_entry_us']:.2f} us = {found['entry_cost']:.2f} cost units "
          f"(the advisor's ENTRY_COST: {ENTRY_COST}; measured / constant = {found['entry_cost'] / ENTRY_COST:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
