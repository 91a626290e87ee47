"""Facts from the server that steer the advice: column statistics, extensions, write activity."""
from __future__ import annotations

from dataclasses import dataclass

from ..catalog.names import qualified
from ..errors import WorkbenchError
from ..plans import explain
from ..session import connection_of, read_only

COLUMN_STATS = """
SELECT schemaname, tablename, attname, n_distinct, avg_width, null_frac, c.reltuples
FROM pg_stats AS s
JOIN pg_namespace AS n ON n.nspname = s.schemaname
JOIN pg_class AS c ON c.relnamespace = n.oid AND c.relname = s.tablename
WHERE (schemaname, tablename) IN (SELECT * FROM unnest(%s::text[], %s::text[]))
  AND NOT s.inherited
"""

EXTENSIONS = """
SELECT name, installed_version IS NOT NULL AS installed
FROM pg_available_extensions WHERE name = ANY(%s)
"""

TABLE_ACTIVITY = """
SELECT n_tup_ins + n_tup_upd + n_tup_del AS writes, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS reads,
       n_tup_hot_upd, n_tup_upd
FROM pg_stat_user_tables WHERE schemaname = %s AND relname = %s
"""


@dataclass(frozen=True)
class ColumnStats:
    """What ANALYZE knows about a column: distinct values, average width in bytes, NULL share."""

    n_distinct: float
    avg_width: int
    null_frac: float
    rows: float

    @property
    def distinct(self) -> float:
        """Distinct values as a count (pg_stats gives a negative fraction for growing columns)."""
        return self.n_distinct if self.n_distinct >= 0 else -self.n_distinct * max(self.rows, 0.0)


def column_stats(target, tables) -> dict[tuple[str, str, str], ColumnStats]:
    """Statistics of every column of ``tables`` ((schema, table) pairs), keyed by (schema, table, column)."""
    tables = list(dict.fromkeys(tables))
    if not tables:
        return {}
    conn = connection_of(target)
    with read_only(conn):
        rows = conn.execute(COLUMN_STATS, [[t[0] for t in tables], [t[1] for t in tables]]).fetchall()
    return {(s, t, a): ColumnStats(float(nd or 0), int(w or 0), float(nf or 0), float(rt or 0))
            for s, t, a, nd, w, nf, rt in rows}


def extensions(target, names=("pg_trgm", "hypopg")) -> dict[str, bool]:
    """For each named extension the server can provide: whether it is installed in this database."""
    conn = connection_of(target)
    with read_only(conn):
        rows = conn.execute(EXTENSIONS, [list(names)]).fetchall()
    return {name: bool(installed) for name, installed in rows}


@dataclass(frozen=True)
class Activity:
    """Rows written and rows read, counted since the statistics were last reset."""

    writes: int
    reads: int
    hot_updates: int
    updates: int


def table_activity(target, schema: str, table: str) -> Activity | None:
    """The table's counters from ``pg_stat_user_tables`` (None when unknown)."""
    conn = connection_of(target)
    with read_only(conn):
        row = conn.execute(TABLE_ACTIVITY, [schema, table]).fetchone()
    return Activity(*(int(v or 0) for v in row)) if row else None


def predicate_shares(target, candidates) -> dict:
    """{partial candidate: the share of its table's rows its predicate holds}, as the planner
    estimates it (a partial index is written only for those rows). Each estimate runs in a
    savepoint, so one that fails leaves the caller's transaction usable."""
    conn = connection_of(target)
    found, totals = {}, {}
    for candidate in candidates:
        if not candidate.predicate:
            continue
        table = qualified(candidate.schema, candidate.table)
        try:
            if table not in totals:
                totals[table] = estimated_rows(conn, f"SELECT 1 FROM {table}")
            held = estimated_rows(conn, f"SELECT 1 FROM {table} WHERE {candidate.predicate}")
        except WorkbenchError:
            continue
        if totals[table]:
            found[candidate] = min(1.0, held / totals[table])
    return found


def estimated_rows(conn, sql: str) -> float:
    """The rows the planner expects ``sql`` to return."""
    with conn.transaction():
        return explain(conn, sql, buffers=False).root.plan_rows
