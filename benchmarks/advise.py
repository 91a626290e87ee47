"""Does the index advice pay off? The nursery app's workload, with primary keys only vs advised.

    python benchmarks/advise.py [--admin-dsn DSN] [--runs 5] [--max-indexes 15] [--max-size 420MB]

Method (sound and repeatable, and the demo database is never touched):

1. **A copy.** ``CREATE DATABASE <copy> TEMPLATE nursery`` (the same data, file for file;
   when another session holds ``nursery`` open the copy is built afresh by the demo
   generator instead, which is deterministic). Everything below happens in the copy, which
   is dropped at the end; ``nursery``'s indexes are compared before and after.
2. **Primary keys only.** In the copy every index that does not back a primary key is
   dropped (unique constraints included), then ``VACUUM ANALYZE``. This is the baseline
   schema.
3. **Baseline.** Each query of the nursery demo's workload
   (``workbench/samples/sql/nursery_workload.sql``, 15 realistic app queries:
   tenant + date range, top-N by date, rare statuses, case-insensitive e-mail lookup,
   substring search, foreign-key joins, soft-delete filters) runs once to warm the cache,
   then ``--runs`` times under EXPLAIN ANALYZE (each in a rolled-back transaction); the
   median execution time counts.
4. **Advice.** ``workbench.indexes.advise()`` on the copy (real indexes in rolled-back
   transactions for the what-if, since HypoPG is not available for PostgreSQL 18 here).
5. **With the advice.** The recommended indexes are built inside one transaction, each
   query is timed the same way, and the transaction is rolled back. A query whose plan is
   the same with and without the indexes counts as unchanged (ratio 1.0).

It prints the workload's total time (each query once, and weighted by its ``calls``), the
number and size of the recommended indexes, the budget when one is given (``--max-size``:
the primary keys, which stay, count against it), and the worst per-query ratio; targets: at
least 10x faster overall and no query slower than the baseline (with a budget, only the
latter: a budget may buy less).
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
from pathlib import Path  # noqa: E402

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

import workbench  # noqa: E402
from workbench.dsn import with_database  # noqa: E402
from workbench.indexes import Limits, advise, queries_from_file  # noqa: E402
from workbench.indexes.measure import same_plan  # noqa: E402
from workbench.plans import explain  # noqa: E402
from workbench.plans.words import size  # noqa: E402
from workbench.samples import demo_workload  # noqa: E402

WORKLOAD = demo_workload("nursery")
SOURCE = "nursery"
TARGET = 10.0

SECONDARY_INDEXES = """
SELECT n.nspname, c.relname, i.relname, con.conname
FROM pg_index AS x
JOIN pg_class AS i ON i.oid = x.indexrelid
JOIN pg_class AS c ON c.oid = x.indrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_constraint AS con ON con.conindid = x.indexrelid AND con.contype IN ('u', 'x')
WHERE n.nspname = 'nursery' AND NOT x.indisprimary
ORDER BY 1, 2, 3
"""


def copy_database(admin: str, name: str, tries: int = 12) -> str:
    """``name`` as a copy of the nursery demo: a template copy, else a fresh build."""
    with psycopg.connect(admin, autocommit=True) as conn:
        for _ in range(tries):
            try:
                conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(SOURCE)))
                return with_database(admin, name)
            except psycopg.errors.ObjectInUse:
                time.sleep(5)
    print(f"{SOURCE} stays busy: building the copy with the demo generator", file=sys.stderr)
    from workbench.samples import ensure_demo

    return ensure_demo(admin, SOURCE, database=name, progress=True)


def drop_database(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def primary_keys_only(dsn: str) -> int:
    """Drop every secondary index (and unique constraint) of the copy; returns how many."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute(SECONDARY_INDEXES).fetchall()
        for schema, table, index, constraint in rows:
            if constraint:
                conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.Identifier(schema, table), sql.Identifier(constraint)))
            else:
                conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(schema, index)))
        conn.execute("VACUUM ANALYZE")
    return len(rows)


def timed(session, query, runs: int):
    """(median ms, last plan) of ``runs`` warm EXPLAIN ANALYZE executions."""
    explain(session, query.sql, analyze=True)
    plans = [explain(session, query.sql, analyze=True) for _ in range(runs)]
    return statistics.median(p.execution_ms for p in plans), plans[-1]


def measure(session, queries, runs: int) -> list[tuple[float, object]]:
    return [timed(session, query, runs) for query in queries]


def with_indexes(session, recommended, queries, runs: int):
    """Build the recommended indexes in a transaction, time the workload, roll back."""
    with session.rolled_back() as conn:
        for rec in recommended:
            if rec.candidate.extension:
                conn.execute(sql.SQL("CREATE EXTENSION IF NOT EXISTS {}").format(
                    sql.Identifier(rec.candidate.extension)))
            conn.execute(rec.candidate.create_sql(rec.name))
        if any(rec.candidate.expression for rec in recommended):
            conn.execute("ANALYZE")
        return measure(session, queries, runs)


def report(queries, before, after, recommended, seconds: float, budget=None) -> bool:
    print(f"{'query':<72} {'PK only':>10} {'advised':>10} {'ratio':>8}")
    ratios = []
    for query, (ms_before, plan_before), (ms_after, plan_after) in zip(queries, before, after):
        ratio = 1.0 if same_plan(plan_before, plan_after) else ms_before / max(ms_after, 1e-3)
        ratios.append(ratio)
        print(f"{query.title[:72]:<72} {ms_before:>8.2f}ms {ms_after:>8.2f}ms {ratio:>7.1f}x")
    total_before = sum(ms for ms, _ in before)
    total_after = sum(ms if r != 1.0 else b for (ms, _), (b, _), r in zip(after, before, ratios))
    weighted_before = sum(q.calls * ms for q, (ms, _) in zip(queries, before))
    weighted_after = sum(q.calls * ms for q, (ms, _) in zip(queries, after))
    speed_up = total_before / total_after
    print()
    print(f"workload, each query once:  {total_before:9.1f} ms -> {total_after:8.1f} ms  ({speed_up:.1f}x faster)")
    print(f"workload, weighted by calls: {weighted_before / 1000:8.1f} s  -> {weighted_after / 1000:8.2f} s  "
          f"({weighted_before / weighted_after:.1f}x faster)")
    total_size = sum(rec.size_bytes or 0 for rec in recommended)
    print(f"recommended: {len(recommended)} indexes, {size(total_size)} in all; advice took {seconds:.0f} s")
    if budget is not None:
        print(f"budget {size(budget.total)}: primary keys kept {size(budget.kept)} + new {size(total_size)} "
              f"= {size(budget.kept + total_size)} ({'within' if budget.kept + total_size <= budget.total else 'OVER'})")
    print(f"worst per-query ratio: {min(ratios):.2f}x (1.0 = unchanged plan)")
    for rec in recommended:
        print(f"  {rec.create_sql};  -- {size(rec.size_bytes)}")
    ok = (speed_up >= TARGET or budget is not None) and min(ratios) >= 1.0
    target = "no query slower" if budget is not None else f">= {TARGET:.0f}x overall, no query slower"
    print(f"target ({target}): {'met' if ok else 'NOT met'}")
    return ok


def nursery_indexes(admin: str):
    with psycopg.connect(with_database(admin, SOURCE)) as conn:
        return conn.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = 'nursery' ORDER BY 1").fetchall()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--admin-dsn", help="a server holding the nursery demo (default: the embedded one)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (median; default 5)")
    parser.add_argument("--max-indexes", type=int, default=15)
    parser.add_argument("--max-size", help="a storage budget for the workload's indexes (e.g. 420MB)")
    args = parser.parse_args(argv)
    if args.admin_dsn:
        admin = args.admin_dsn
    else:
        from workbench import embedded

        workbench.demo_dsn(SOURCE)
        admin = embedded.server_dsn("postgres")
    untouched = nursery_indexes(admin)
    name = f"nursery_bench_{os.getpid()}"
    queries = queries_from_file(WORKLOAD)
    try:
        dsn = copy_database(admin, name)
        dropped = primary_keys_only(dsn)
        print(f"copy {name}: {dropped} secondary indexes dropped, primary keys only; "
              f"{len(queries)} queries, median of {args.runs} warm runs\n")
        with workbench.connect(dsn) as session:
            before = measure(session, queries, args.runs)
            started = time.perf_counter()
            advice = advise(session, queries, limits=Limits(max_indexes=args.max_indexes), progress=True,
                            max_size=args.max_size)
            seconds = time.perf_counter() - started
            after = with_indexes(session, advice.recommended, queries, args.runs)
        ok = report(queries, before, after, advice.recommended, seconds, advice.budget)
    finally:
        drop_database(admin, name)
    print(f"nursery unchanged: {nursery_indexes(admin) == untouched}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
