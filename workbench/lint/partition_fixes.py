"""Remediation Drafts for indexes of partitioned tables, which refuse ``CONCURRENTLY``.

An index is built on a partitioned table without blocking writes the way PostgreSQL's
documentation describes: ``CREATE INDEX … ON ONLY`` the parent (instant, and invalid for
now), then ``CREATE INDEX CONCURRENTLY`` on each partition, each attached with ``ALTER INDEX
… ATTACH PARTITION``; the parent's index turns valid once every partition's is attached, and
partitions created later get theirs automatically.
"""
from __future__ import annotations

from ..catalog import Constraint, Index, Table
from ..catalog.names import index_name, qualified, quote_ident
from ..drafts import Draft
from ..drafts.builders.indexes import CONCURRENT_NOTE
from ..drafts.sqltext import check_sql
from .fixes import columns_sql, create_index, drop_index, new_index_name, reindex
from .identifiers import is_snake_case, relation_names
from .policy_sql import render
from .scope import Scope

PER_PARTITION = ("the parent's index is built ON ONLY the parent, then partition by "
                 "partition without blocking writes, and attached")


def index_sql(definition: str, table: Table, name: str, *, only: bool = False,
              concurrent: bool = False) -> str:
    """The ``CREATE INDEX`` statement ``definition``, made for ``table`` under ``name``."""
    (raw,) = check_sql(definition)
    stmt = raw.stmt
    stmt.idxname = name
    stmt.relation.schemaname, stmt.relation.relname = table.schema, table.name
    stmt.relation.inh = not only
    stmt.concurrent = concurrent
    return render(stmt) + ";"


def index_on(scope: Scope, table: Table, columns, why: str) -> Draft:
    """An index on ``columns`` of ``table``: ``CONCURRENTLY`` on a table with rows, partition
    by partition on a partitioned table."""
    if table.kind != "partitioned":
        return create_index(scope.schema, table, columns, why)
    name = new_index_name(scope.schema, table, columns)
    definition = f"CREATE INDEX {quote_ident(name)} ON {table.qualname} ({columns_sql(columns)})"
    up = partitioned_index(scope, table, definition, name, _name_parts(columns), set())
    return Draft(f"Index {table.name} ({', '.join(columns)}) and its partitions", "\n".join(up),
                 f"DROP INDEX {qualified(table.schema, name)};", rationale=why,
                 notes=(PER_PARTITION, CONCURRENT_NOTE))


def partitioned_index(scope: Scope, table: Table, definition: str, name: str,
                      parts: list[str], taken: set[str]) -> list[str]:
    """The statements building index ``name`` (as ``definition`` describes it) on the
    partitioned ``table`` and on each of its partitions."""
    statements = [index_sql(definition, table, name, only=True)]
    for partition in scope.partitions_of(table):
        statements += partition_index(scope, partition, definition,
                                      qualified(table.schema, name), parts, taken)
    return statements


def partition_index(scope: Scope, partition: Table, definition: str, parent_index: str,
                    parts: list[str], taken: set[str]) -> list[str]:
    """The statements building ``partition``'s copy of ``definition`` and attaching it to
    ``parent_index``; ``taken`` collects the names chosen so far."""
    name = index_name(partition.name, parts, relation_names(scope.schema, partition.schema) | taken)
    taken.add(name)
    if partition.kind == "partitioned":
        statements = partitioned_index(scope, partition, definition, name, parts, taken)
    else:
        statements = [index_sql(definition, partition, name, concurrent=True)]
    return statements + [f"ALTER INDEX {parent_index} ATTACH PARTITION "
                         f"{qualified(partition.schema, name)};"]


def _name_parts(columns) -> list[str]:
    """What an index's name says it indexes: the column names, ``expr`` for expressions."""
    return [c if is_snake_case(c) else "expr" for c in columns]


def unattached_partitions(scope: Scope, table: Table, index: Index) -> list[Table]:
    """The partitions of ``table`` with no index attached to its index ``index``."""
    attached = {t.key for t, _ in scope.attached_to(index)}
    return [p for p in scope.partitions_of(table) if p.key not in attached]


def complete_index(scope: Scope, table: Table, index: Index, why: str) -> Draft | None:
    """For an invalid index of a partitioned table: build and attach the index of every
    partition that has none attached yet (None when none is missing)."""
    missing = unattached_partitions(scope, table, index)
    if not missing:
        return None
    parent_index, parts = qualified(index.schema, index.name), _name_parts(index.columns)
    taken: set[str] = set()
    up = []
    for partition in missing:
        up += partition_index(scope, partition, index.definition, parent_index, parts, taken)
    return Draft(f"Complete index {index.name} on the partitions of {table.name}", "\n".join(up),
                 rationale=why, notes=(CONCURRENT_NOTE,),
                 irreversible="an index attached to a partitioned index is dropped only with it")


def repair_index(scope: Scope, table: Table, index: Index, why: str) -> Draft | None:
    """Make an invalid index usable: rebuild it, or on a partitioned table complete it."""
    if table.kind == "partitioned":
        return complete_index(scope, table, index, why)
    return reindex(index, why)


def drop_index_of(table: Table, index: Index, why: str,
                  constraint: Constraint | None = None) -> Draft:
    """Drop ``index`` of ``table`` (or the constraint it backs); a partitioned table's index
    is dropped with its partitions' copies, without ``CONCURRENTLY`` (refused there)."""
    if table.kind != "partitioned" or constraint is not None:
        return drop_index(index, why, constraint)
    return Draft(f"Drop index {index.name} on {index.table} and its partitions",
                 f"DROP INDEX {qualified(index.schema, index.name)};",
                 index_sql(index.definition, table, index.name), rationale=why,
                 notes=("an index of a partitioned table cannot be dropped CONCURRENTLY: the "
                        "DROP briefly locks the table and every partition",))
