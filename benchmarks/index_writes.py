"""What one index entry costs a write, in the planner's cost units: the calibration of
``workbench.indexes.writes.ENTRY_COST``.

    python benchmarks/index_writes.py [--admin-dsn DSN] [--rows 200000] [--written 40000] [--runs 5]

Method, in a throwaway database (dropped at the end):

1. A table of ``--rows`` rows with a primary key, ``VACUUM ANALYZE``-d.
2. **Scan speed**: the planner's estimated cost of a sequential ``count(*)`` over it, divided
   by its measured time (median of ``--runs``): cost units per millisecond on this machine.
3. **Entry cost**: an ``UPDATE`` of ``--written`` rows, timed (the fastest of a warm-up and
   ``--runs`` runs, each rolled back: later runs write past the index entries the earlier
   ones left behind, so they measure the rollbacks too; the median is printed beside it) with the primary key only (the baseline), then with one and with
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


def runs_ms(conn, statement: str, runs: int) -> list[float]:
    """The times of a warm-up and ``runs`` rolled-back runs of ``statement`` (savepoints inside
    an open transaction), in order."""
    times = []
    for _ in range(runs + 1):
        with conn.transaction(force_rollback=True):
            start = time.perf_counter()
            conn.execute(statement)
            times.append((time.perf_counter() - start) * 1000)
    return times


def median_ms(conn, statement: str, runs: int) -> float:
    """The median time of ``statement``'s warm runs (:func:`runs_ms`)."""
    return statistics.median(runs_ms(conn, statement, runs)[1:])


def measure(dsn: str, rows: int, written: int, runs: int) -> dict:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(TABLE.format(rows=int(rows)))
        conn.execute("VACUUM ANALYZE bench")
        plan = conn.execute("EXPLAIN (FORMAT JSON) SELECT count(*) FROM bench").fetchone()[0]
        scan_cost = plan[0]["Plan"]["Total Cost"]
        scan_ms = median_ms(conn, "SELECT count(*) FROM bench", runs)
        update = f"UPDATE bench SET touched_at = touched_at + interval '1 second' WHERE id <= {int(written)}"
        series = {0: runs_ms(conn, update, runs)}
        for count in (1, 3):
            with conn.transaction(force_rollback=True):
                for number in range(count):
                    conn.execute(f"CREATE INDEX bench_touched_{number} ON bench (org_id, touched_at)")
                series[count] = runs_ms(conn, update, runs)
    times = {n: min(found) for n, found in series.items()}
    medians = {n: statistics.median(found[1:]) for n, found in series.items()}
    per_entry_ms = statistics.mean((times[n] - times[0]) / n / written for n in (1, 3))
    median_entry_ms = statistics.mean((medians[n] - medians[0]) / n / written for n in (1, 3))
    units_per_ms = scan_cost / scan_ms
    return {"scan_cost": scan_cost, "scan_ms": scan_ms, "units_per_ms": units_per_ms, "times": times,
            "series": series, "per_entry_us": per_entry_ms * 1000, "entry_cost": per_entry_ms * units_per_ms,
            "median_entry_cost": median_entry_ms * units_per_ms}


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
    print(f"UPDATE of {args.written:,} rows, fastest run: primary key only {times[0]:.1f} ms, "
          f"+1 index {times[1]:.1f} ms, +3 indexes {times[3]:.1f} ms")
    print("  each run in turn (rolled back; later runs write past the index entries of earlier ones):")
    for count, series in found["series"].items():
        print(f"  +{count} {'index' if count == 1 else 'indexes'}: " + ", ".join(f"{ms:.1f}" for ms in series) + " ms")
    print(f"one index entry: {found['per_entry_us']:.2f} us = {found['entry_cost']:.2f} cost units "
          f"(the advisor's ENTRY_COST: {ENTRY_COST}; measured / constant = {found['entry_cost'] / ENTRY_COST:.2f}x)")
    print(f"  from the median of the warm runs instead: {found['median_entry_cost']:.2f} cost units "
          f"({found['median_entry_cost'] / found['entry_cost']:.2f}x the fastest runs' figure)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
