"""Performance rules about keys and indexes read from the snapshot."""
from __future__ import annotations

from ...catalog import Index, Table
from ..fixes import add_primary_key, create_index, drop_index, reindex
from ..index_shape import is_prefix, same_shape
from ..registry import rule


@rule("unindexed_foreign_key", level="warn", categories=("performance",),
      summary="A foreign key has no index on its columns",
      why="Without an index whose leading columns are the key's columns, every delete or key "
          "update in the referenced table scans the referencing table (under a lock), and "
          "joins from parent to children cannot use an index.",
      fix="`CREATE INDEX CONCURRENTLY … ON child (key columns)`.")
def unindexed_foreign_key(ctx):
    for table in ctx.tables:
        for fk in table.foreign_keys:
            if fk.covering_index(table.indexes) is None:
                target = f"{fk.ref_schema}.{fk.ref_table}"
                yield ctx.finding(
                    f"foreign key {fk.name} ({', '.join(fk.columns)}) → {target} has no index: "
                    f"deletes in {fk.ref_table} and joins from it scan {table.name}",
                    table=table, column=fk.columns[0], name=fk.name, kind="column",
                    remediation=create_index(ctx.schema, table, fk.columns,
                                             f"Support foreign key {fk.name}."))


def _keep_first(indexes: list[Index]) -> list[Index]:
    """The index to keep first: primary key, then constraint-backed, then unique, then by name."""
    return sorted(indexes, key=lambda i: (not i.primary, i.constraint is None, not i.unique, i.name))


def _constraint(table: Table, index: Index):
    return next((c for c in table.constraints if c.name == index.constraint), None)


@rule("duplicate_index", level="warn", categories=("performance",),
      summary="Two indexes on a table are the same",
      why="Identical indexes (same method, keys, operator classes, INCLUDE columns and "
          "predicate) double the write cost, the disk, the vacuum and backup work, and give "
          "no read benefit.",
      fix="Drop all but one (the draft keeps the primary key, constraint or unique index, "
          "else the first by name) with `DROP INDEX CONCURRENTLY`.")
def duplicate_index(ctx):
    for table in ctx.tables:
        seen: list[Index] = []
        for index in _keep_first(list(table.indexes)):
            kept = next((k for k in seen if same_shape(k, index)), None)
            if kept is None:
                seen.append(index)
            elif not index.primary:
                yield ctx.finding(f"index {index.name} duplicates {kept.name}", table=table,
                                  name=index.name, kind="index", detail=kept.name,
                                  remediation=drop_index(index, f"Same as {kept.name}.",
                                                         _constraint(table, index)))


@rule("redundant_index", level="warn", categories=("performance",),
      summary="A btree index's keys are the leading keys of another index",
      why="A btree on `(a)` is redundant next to one on `(a, b)`: the wider index serves the "
          "same lookups and sorts on `a`, so the narrow one only costs writes and disk.",
      fix="Drop the narrower index with `DROP INDEX CONCURRENTLY` (kept when it enforces "
          "uniqueness or a constraint).")
def redundant_index(ctx):
    for table in ctx.tables:
        for index in table.indexes:
            if index.unique or index.primary or index.constraint or not index.valid:
                continue
            wider = next((o for o in table.indexes if o.valid and is_prefix(index, o)), None)
            if wider is not None:
                yield ctx.finding(f"index {index.name} is a prefix of {wider.name}", table=table,
                                  name=index.name, kind="index", detail=wider.name,
                                  remediation=drop_index(index, f"{wider.name} serves the same "
                                                         "lookups."))


@rule("invalid_index", level="warn", categories=("performance",),
      summary="An index is invalid",
      why="A failed `CREATE INDEX CONCURRENTLY` (or `REINDEX CONCURRENTLY`) leaves an invalid "
          "index: writes still maintain it, queries never use it. (An index being built "
          "concurrently right now is invalid too, until it finishes.)",
      fix="Find why the build failed (a unique violation, a deadlock, a timeout), fix it, and "
          "rebuild with `REINDEX INDEX CONCURRENTLY`, or drop the index.")
def invalid_index(ctx):
    for table in ctx.tables:
        for index in table.indexes:
            if not index.valid:
                yield ctx.finding(f"index {index.name} is invalid: maintained on every write, "
                                  "never used", table=table, name=index.name, kind="index",
                                  remediation=reindex(index, "Make the index usable again."))


@rule("no_primary_key", level="warn", categories=("performance", "convention"),
      summary="A table has no primary key",
      why="Without a primary key rows cannot be addressed reliably (duplicates creep in), "
          "logical replication cannot replicate updates and deletes, and tools and ORMs that "
          "need a row identity break.",
      fix="Add a primary key: on `id` when the table has one, else a new identity column.")
def no_primary_key(ctx):
    for table in ctx.tables:
        if table.primary_key is None:
            draft = None if table.kind == "partitioned" else \
                add_primary_key(ctx.schema, table, "Give every row an identity.")
            yield ctx.finding("table has no primary key", table=table, remediation=draft)
