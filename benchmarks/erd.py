"""How fast are ER diagrams of large schemas, with the system ``dot`` and with graphviz-pure?

    python benchmarks/erd.py [--tables 1000] [--repeats 3] [--dsn ADMIN_DSN] [--memory-only]

Two schemas of ``--tables`` tables: one built in memory (``workbench.erd.synthetic``), and
one created in a scratch database (on the embedded server, or the server of ``--dsn``) and
read back with ``workbench.inspect()``. For each, and for each graphviz program found, it
times ``erd()`` plus the SVG drawing of (a) one table's neighbourhood at depth 2 and (b) the
whole schema with the default readable settings; the median of ``--repeats`` runs after a
warm-up. Targets: focus at most 0.5 s, whole schema at most 20 s.
"""
from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path, where benchmarks/inspect.py
# would hide the standard library's ``inspect``: take the folder off.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from typing import Callable  # noqa: E402

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

import workbench  # noqa: E402
from workbench import graphviz_setup  # noqa: E402
from workbench.erd import erd  # noqa: E402
from workbench.erd.synthetic import synthetic_schema  # noqa: E402
from workbench.testing import scratch_database  # noqa: E402

FOCUS_TARGET = 0.5
WHOLE_TARGET = 20.0
FOCUS = "t0010"

SETUP = """
CREATE SCHEMA bench;
CREATE TABLE bench.tenants (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
"""

TABLE = """
CREATE TABLE {table} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id bigint NOT NULL REFERENCES bench.tenants (id),
    parent_id bigint REFERENCES {parent} (id) ON DELETE CASCADE,
    code text NOT NULL,
    amount numeric(12, 2),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz,
    UNIQUE (tenant_id, code)
);
CREATE INDEX ON {table} (parent_id);
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON {table} USING (tenant_id = current_setting('app.tenant', true)::bigint);
"""


def build(dsn: str, tables: int) -> None:
    """``tables`` tables in schema ``bench``: each references the tenants and its tree parent."""
    with psycopg.connect(dsn) as conn:
        conn.execute(SETUP)
        for number in range(tables):
            table = sql.Identifier("bench", f"t{number:04d}")
            parent = sql.Identifier("bench", f"t{max(number - 1, 0) // 2:04d}")
            conn.execute(sql.SQL(TABLE).format(table=table, parent=parent))


def timed(action: Callable[[], object], repeats: int) -> float:
    """The median wall time of ``repeats`` runs of ``action``, after one warm-up run."""
    action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(schema, repeats: int) -> dict[str, float]:
    """Seconds for a depth-2 focus diagram and a whole-schema diagram, each drawn to SVG."""
    return {"focus": timed(lambda: erd(schema, FOCUS, depth=2).svg(), repeats),
            "whole": timed(lambda: erd(schema).svg(), repeats)}


def renderers() -> dict[str, bool]:
    """The graphviz programs on this machine: label → prefer_system flag for configure()."""
    found = {}
    system = graphviz_setup.dot_binary(prefer_system=True)
    if system.name != graphviz_setup.PURE_NAME:
        found[f"system dot {version(system)}"] = True
    found[f"graphviz-pure {version(graphviz_setup.dot_binary(prefer_system=False))}"] = False
    return found


def version(binary) -> str:
    result = subprocess.run([str(binary), "-V"], capture_output=True, text=True)
    words = (result.stderr or result.stdout).split()
    return words[words.index("version") + 1] if "version" in words else "?"


def compare(label: str, schema, repeats: int) -> list[str]:
    """One block of report lines: each renderer's times, the ratio, the verdict."""
    figures = {}
    for name, prefer_system in renderers().items():
        graphviz_setup.configure(prefer_system=prefer_system)
        figures[name] = measure(schema, repeats)
    graphviz_setup.configure()
    tables = len(schema.objects.tables)
    lines = [f"{label}: {tables} tables", f"  {'renderer':<26}{'focus (depth 2)':>16}{'whole':>10}"]
    lines += [f"  {name:<26}{f['focus']:>14.3f} s{f['whole']:>8.2f} s"
              for name, f in figures.items()]
    if len(figures) == 2:
        system, pure = figures.values()
        lines.append(f"  {'pure / system':<26}{pure['focus'] / system['focus']:>15.2f}x"
                     f"{pure['whole'] / system['whole']:>9.2f}x")
    worst_focus = max(f["focus"] for f in figures.values())
    worst_whole = max(f["whole"] for f in figures.values())
    met = worst_focus <= FOCUS_TARGET and worst_whole <= WHOLE_TARGET
    lines.append(f"  targets (focus <= {FOCUS_TARGET} s, whole <= {WHOLE_TARGET:.0f} s): "
                 f"{'met' if met else 'MISSED'}")
    return lines


def real_schema(admin_dsn: str, tables: int, repeats: int) -> list[str]:
    """Build the schema in a scratch database, inspect it, compare renderers; drop it after."""
    with scratch_database(admin_dsn, prefix="wb_bench_erd") as dsn:
        started = time.perf_counter()
        build(dsn, tables)
        print(f"built {tables} tables in {time.perf_counter() - started:.1f} s", flush=True)
        with workbench.connect(dsn) as session:
            schema = workbench.inspect(session)
        return compare("real server schema", schema, repeats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=1000, help="tables per schema (default 1000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--dsn", help="admin DSN of the server to use (default: the embedded one)")
    parser.add_argument("--memory-only", action="store_true", help="skip the real-server schema")
    args = parser.parse_args(argv)
    print("\n".join(compare("in-memory schema", synthetic_schema(args.tables), args.repeats)))
    if not args.memory_only:
        if args.dsn is None:
            from workbench import embedded

            args.dsn = embedded.server_dsn("postgres")
        print("\n".join(real_schema(args.dsn, args.tables, args.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
