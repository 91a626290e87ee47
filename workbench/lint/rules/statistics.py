"""Rules that read the server's live statistics (they need a connection)."""
from __future__ import annotations

from ...catalog import Index, Table
from ...session import read_only
from ..partition_fixes import drop_index_of
from ..registry import rule

UNUSED_INDEXES = """
SELECT s.schemaname, s.relname, s.indexrelname
FROM pg_catalog.pg_stat_user_indexes AS s
JOIN pg_catalog.pg_stat_user_tables AS t ON t.relid = s.relid
WHERE s.idx_scan = 0
  AND coalesce(t.seq_scan, 0) + coalesce(t.idx_scan, 0) > 0
"""


def unused_index_keys(conn) -> set[tuple[str, str, str]]:
    """``(schema, table, index)`` of indexes never scanned on tables that have been read."""
    with read_only(conn) as ro:
        return {tuple(row) for row in ro.execute(UNUSED_INDEXES).fetchall()}


def _supports_key(table: Table, index: Index) -> bool:
    return any(fk.covering_index([index]) is not None for fk in table.foreign_keys)


@rule("unused_index", level="info", categories=("performance",), needs_connection=True,
      summary="An index has never been scanned since statistics were reset",
      why="Every index slows every write and takes disk and cache. One that no query has used "
          "(`pg_stat_user_indexes.idx_scan = 0` while the table itself has been read) may not "
          "be needed. Statistics are per server and since the last reset: check replicas and "
          "a full business cycle before dropping. Indexes that enforce a constraint or "
          "support a foreign key are never reported.",
      fix="`DROP INDEX CONCURRENTLY …` once you are sure; the down migration re-creates it.",
      partitions="Statistics count scans of partitions' indexes only. An index of a "
                 "partitioned table is reported on the parent when the indexes attached to it "
                 "on every partition are unscanned (the draft drops it, and with it their "
                 "copies); an attached index is never reported on its own partition, a "
                 "partition's own index is. Inheritance children have their own indexes and "
                 "statistics.")
def unused_index(ctx):
    unused = unused_index_keys(ctx.conn)
    for table in ctx.all_tables:
        for index in table.indexes:
            if index.partition_of is not None or not _unscanned(ctx, table, index, unused):
                continue
            if index.unique or index.primary or index.constraint or _supports_key(table, index):
                continue
            yield ctx.finding(f"index {index.name} has not been scanned since statistics were "
                              "reset", table=table, name=index.name, kind="index",
                              remediation=drop_index_of(table, index, "An unused index only "
                                                        "costs writes."))


def _unscanned(ctx, table: Table, index: Index, unused: set) -> bool:
    """Never scanned: the index itself or, on a partitioned table, every index attached to
    it on its partitions (a partitioned table without partitions is left out)."""
    if table.kind != "partitioned":
        return (index.schema, index.table, index.name) in unused
    attached = ctx.scope.attached_to(index)
    return bool(attached) and all(_unscanned(ctx, t, i, unused) for t, i in attached)
