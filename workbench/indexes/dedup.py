"""HypoPG's size of a btree, corrected for deduplication.

HypoPG sizes a hypothetical btree as one index tuple per row. Since PostgreSQL 13 a btree
stores each run of equal keys once, with a 6-byte heap pointer per row (a posting list), so an
index on a tenant and a foreign key builds far smaller than that: ``transactions (org_id,
account_id)`` of 500,000 rows is estimated at 26.1 MB and builds at 3.8 MB. The choice weighs
benefit per byte, so it needs the smaller figure.

The rows per key come from ``pg_stats``: the key's distinct values are taken as the largest
``n_distinct`` of its columns (a tenant and a key that belongs to one tenant have as many
values as the key). Deduplication does not apply with INCLUDE, to expressions, to types
without it (numeric, floats, jsonb, arrays…) or to nondeterministic collations; partial
candidates are built for real anyway (:mod:`.whatif`).
"""
from __future__ import annotations

from .model import Candidate
from .stats import ColumnStats

POSTING_BYTES = 6
TUPLE_HEADER = 8
LINE_POINTER = 4
MAX_POSTING_TUPLE = 2704  # BTMaxItemSize of an 8 kB page: a third of it
DEDUPLICATING_TYPES = frozenset({"int2", "int4", "int8", "oid", "bool", "char", "text", "varchar", "bpchar",
                                 "name", "date", "time", "timestamp", "timestamptz", "uuid"})

KEY_STATS = """
SELECT a.attname, t.typname, coalesce(co.collisdeterministic, true), s.n_distinct, s.avg_width, c.reltuples
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
JOIN pg_type AS t ON t.oid = a.atttypid
LEFT JOIN pg_collation AS co ON co.oid = a.attcollation
LEFT JOIN pg_stats AS s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
                       AND NOT s.inherited
WHERE n.nspname = %s AND c.relname = %s AND a.attname = ANY(%s)
"""


def deduplicated_size(conn, candidate: Candidate, estimated: int) -> int:
    """``estimated`` (HypoPG's bytes for ``candidate``) scaled by what deduplication saves."""
    columns = [key.plain_column for key in candidate.keys]
    if (candidate.include or candidate.predicate or candidate.method != "btree" or None in columns
            or conn.info.server_version < 130000):
        return estimated
    rows = conn.execute(KEY_STATS, [candidate.schema, candidate.table, columns]).fetchall()
    if len(rows) != len(set(columns)) or any(not deterministic or kind not in DEDUPLICATING_TYPES
                                             or distinct is None for _, kind, deterministic, distinct, _, _ in rows):
        return estimated
    table_rows = max(float(rows[0][5] or 0.0), 1.0)
    distinct = max(ColumnStats(float(nd), int(w or 0), 0.0, table_rows).distinct for _, _, _, nd, w, _ in rows)
    width = sum(int(w or 0) for _, _, _, _, w, _ in rows)
    return round(estimated * share_kept(table_rows / max(distinct, 1.0), width))


def share_kept(rows_per_key: float, key_width: int) -> float:
    """The part of a one-tuple-per-row btree's size left after deduplication, for keys of
    ``key_width`` bytes repeated ``rows_per_key`` times."""
    if rows_per_key < 2:
        return 1.0
    per_row = maxalign(TUPLE_HEADER + key_width) + LINE_POINTER
    run = min(rows_per_key, (MAX_POSTING_TUPLE - TUPLE_HEADER - key_width) // POSTING_BYTES)
    per_row_deduplicated = (maxalign(TUPLE_HEADER + key_width + POSTING_BYTES * run) + LINE_POINTER) / run
    return min(1.0, per_row_deduplicated / per_row)


def maxalign(size: float) -> float:
    return -(-size // 8) * 8
