"""Performance rules about keys and indexes read from the snapshot."""
from __future__ import annotations

from collections import defaultdict

from ...catalog import ForeignKey, Index, Table
from ..fixes import add_primary_key
from ..index_shape import is_prefix, same_shape
from ..partition_fixes import drop_index_of, index_on, repair_index, unattached_partitions
from ..registry import rule

@rule("unindexed_foreign_key", level="warn", categories=("performance",),
      summary="A foreign key has no index on its columns",
      why="Without an index whose leading columns are the key's columns, every delete or key "
          "update in the referenced table scans the referencing table (under a lock), and "
          "joins from parent to children cannot use an index.",
      fix="`CREATE INDEX CONCURRENTLY … ON child (key columns)`; on a partitioned table, "
          "`CREATE INDEX … ON ONLY` it, then `CONCURRENTLY` on each partition, attached.",
      partitions="A key declared on a partitioned table (and inherited by its partitions) is "
                 "reported once, on the parent, unless the parent or every partition has an "
                 "index for it. A key declared on the partitions themselves (as public sample "
                 "schemas do, one per partition) is reported once on the parent when every "
                 "partition declares it and none has an index: the draft indexes the parent, "
                 "which builds and attaches an index on every partition (and on partitions "
                 "added later). Otherwise each partition whose key has no index is reported, "
                 "with an index on that partition. Inheritance children inherit neither keys "
                 "nor indexes: their own keys are checked against their own indexes.")
def unindexed_foreign_key(ctx):
    unindexed = [(table, fk) for table in ctx.all_tables for fk in table.foreign_keys
                 if not fk.inherited and not _indexed(ctx, table, fk)]
    shared = _on_every_partition(ctx, unindexed)
    reported = set()
    for table, fk in unindexed:
        group = shared.get((table.partition_of, _signature(fk)))
        if group is None:
            yield _unindexed(ctx, table, fk)
        elif group[0] not in reported:
            reported.add(group[0])
            yield _unindexed_on_partitions(ctx, *group)


def _indexed(ctx, table: Table, fk: ForeignKey) -> bool:
    return ctx.scope.throughout(table, lambda t: fk.covering_index(t.indexes) is not None)


def _signature(fk: ForeignKey) -> tuple:
    """What makes keys on several partitions the same key."""
    return (fk.columns, fk.ref_key, fk.ref_columns)


def _on_every_partition(ctx, unindexed) -> dict[tuple, tuple[Table, list[ForeignKey]]]:
    """``{(parent key, signature): (parent, keys)}`` for the unindexed keys that every
    partition of a partitioned table declares."""
    declared: dict[tuple, list[tuple[Table, ForeignKey]]] = defaultdict(list)
    for table, fk in unindexed:
        if table.partition_of is not None:
            declared[(table.partition_of, _signature(fk))].append((table, fk))
    shared = {}
    for (parent_key, signature), members in declared.items():
        parent = ctx.scope.table(parent_key)
        partitions = {p.key for p in ctx.scope.partitions_of(parent)} if parent else None
        if partitions and partitions == {t.key for t, _ in members}:
            shared[(parent_key, signature)] = (parent, [fk for _, fk in members])
    return shared


def _unindexed(ctx, table: Table, fk: ForeignKey):
    target = f"{fk.ref_schema}.{fk.ref_table}"
    return ctx.finding(
        f"foreign key {fk.name} ({', '.join(fk.columns)}) → {target} has no index: "
        f"deletes in {fk.ref_table} and joins from it scan {table.name}",
        table=table, column=fk.columns[0], name=fk.name, kind="column",
        remediation=index_on(ctx.scope, table, fk.columns, f"Support foreign key {fk.name}."))


def _unindexed_on_partitions(ctx, parent: Table, fks: list[ForeignKey]):
    fk, names = fks[0], ", ".join(sorted(f.name for f in fks))
    target = f"{fk.ref_schema}.{fk.ref_table}"
    return ctx.finding(
        f"foreign key ({', '.join(fk.columns)}) → {target}, declared on each of the {len(fks)} "
        f"partitions of {parent.name}, has no index: deletes in {fk.ref_table} and joins "
        "from it scan every partition", table=parent, column=fk.columns[0], kind="column",
        detail=names,
        remediation=index_on(ctx.scope, parent, fk.columns, f"Support the foreign keys {names} "
                             "of the partitions with one index on their parent."))


def _keep_first(indexes: list[Index]) -> list[Index]:
    """The index to keep first: primary key, then constraint-backed, then attached to the
    parent's index, then unique, then by name."""
    return sorted(indexes, key=lambda i: (not i.primary, i.constraint is None,
                                          i.partition_of is None, not i.unique, i.name))


def _constraint(table: Table, index: Index):
    return next((c for c in table.constraints if c.name == index.constraint), None)


@rule("duplicate_index", level="warn", categories=("performance",),
      summary="Two indexes on a table are the same",
      why="Identical indexes (same method, keys, operator classes, INCLUDE columns and "
          "predicate) double the write cost, the disk, the vacuum and backup work, and give "
          "no read benefit.",
      fix="Drop all but one (the draft keeps the primary key, constraint or unique index, "
          "else the first by name) with `DROP INDEX CONCURRENTLY` (a partitioned table's "
          "index cannot be dropped concurrently).",
      partitions="Indexes are compared within one table: a parent's index and the copy "
                 "attached to it on a partition are never duplicates of each other. Two "
                 "duplicate indexes of a partitioned table are reported on the parent (the "
                 "draft drops the parent's index, which drops its partitions' copies); on a "
                 "partition only an index of its own can be reported, since an attached copy "
                 "goes only with its parent's index. Inheritance children have their own "
                 "indexes, compared among themselves.")
def duplicate_index(ctx):
    for table in ctx.all_tables:
        seen: list[Index] = []
        for index in _keep_first(list(table.indexes)):
            kept = next((k for k in seen if same_shape(k, index)), None)
            if kept is None:
                seen.append(index)
            elif not index.primary and index.partition_of is None:
                yield ctx.finding(f"index {index.name} duplicates {kept.name}", table=table,
                                  name=index.name, kind="index", detail=kept.name,
                                  remediation=drop_index_of(table, index, f"Same as {kept.name}.",
                                                            _constraint(table, index)))


@rule("redundant_index", level="warn", categories=("performance",),
      summary="A btree index's keys are the leading keys of another index",
      why="A btree on `(a)` is redundant next to one on `(a, b)`: the wider index serves the "
          "same lookups and sorts on `a`, so the narrow one only costs writes and disk.",
      fix="Drop the narrower index with `DROP INDEX CONCURRENTLY` (kept when it enforces "
          "uniqueness or a constraint; a partitioned table's index cannot be dropped "
          "concurrently).",
      partitions="Indexes are compared within one table. A partitioned table's narrow index "
                 "is reported on the parent (dropping it drops its partitions' copies); on a "
                 "partition only an index of its own can be reported (the wider index may be "
                 "its own or attached). Inheritance children have their own indexes.")
def redundant_index(ctx):
    for table in ctx.all_tables:
        for index in table.indexes:
            if index.unique or index.primary or index.constraint or not index.valid \
                    or index.partition_of is not None:
                continue
            wider = next((o for o in table.indexes if o.valid and is_prefix(index, o)), None)
            if wider is not None:
                yield ctx.finding(f"index {index.name} is a prefix of {wider.name}", table=table,
                                  name=index.name, kind="index", detail=wider.name,
                                  remediation=drop_index_of(table, index, f"{wider.name} serves "
                                                            "the same lookups."))


@rule("invalid_index", level="warn", categories=("performance",),
      summary="An index is invalid",
      why="A failed `CREATE INDEX CONCURRENTLY` (or `REINDEX CONCURRENTLY`) leaves an invalid "
          "index: writes still maintain it, queries never use it. (An index being built "
          "concurrently right now is invalid too, until it finishes.) An index of a "
          "partitioned table is invalid until every partition has one attached to it "
          "(`CREATE INDEX … ON ONLY` leaves it so).",
      fix="Find why the build failed (a unique violation, a deadlock, a timeout), fix it, and "
          "rebuild with `REINDEX INDEX CONCURRENTLY`, or drop the index. On a partitioned "
          "table, build the missing partitions' indexes and `ALTER INDEX … ATTACH PARTITION` "
          "them (REINDEX does not make it valid).",
      partitions="Every table is checked, partitions included. A partitioned table's invalid "
                 "index is reported on the parent, and the draft builds (`CONCURRENTLY`) and "
                 "attaches the index of each partition that lacks one; an invalid index of a "
                 "partition is rebuilt there. Inheritance children have their own indexes.")
def invalid_index(ctx):
    for table in ctx.all_tables:
        for index in table.indexes:
            if not index.valid:
                yield _invalid(ctx, table, index)


def _invalid(ctx, table: Table, index: Index):
    missing = [p.name for p in unattached_partitions(ctx.scope, table, index)]
    if table.kind != "partitioned":
        why = "maintained on every write, never used"
    elif missing:
        why = f"partitions {', '.join(missing)} have no index attached to it, so it is never used"
    else:
        why = "an index attached to it on a partition is invalid, so it is never used"
    return ctx.finding(f"index {index.name} is invalid: {why}", table=table, name=index.name,
                       kind="index", remediation=repair_index(ctx.scope, table, index,
                                                              "Make the index usable again."))


@rule("no_primary_key", level="warn", categories=("performance", "convention"),
      summary="A table has no primary key",
      why="Without a primary key rows cannot be addressed reliably (duplicates creep in), "
          "logical replication cannot replicate updates and deletes, and tools and ORMs that "
          "need a row identity break.",
      fix="Add a primary key: on `id` when the table has one, else a new identity column.",
      partitions="A partitioned table is reported on the parent without a draft (its key must "
                 "include the partition key columns: choose it by hand); partitions are never "
                 "reported, since they take the parent's key. Inheritance children do not "
                 "inherit keys and are reported on their own.")
def no_primary_key(ctx):
    for table in ctx.tables:
        if table.primary_key is None:
            draft = None if table.kind == "partitioned" else \
                add_primary_key(ctx.schema, table, "Give every row an identity.")
            yield ctx.finding("table has no primary key", table=table, remediation=draft)
