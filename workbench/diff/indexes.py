"""Indexes (constraint indexes come with their constraints; a partition's copies of its
parent's indexes come with the parent's). On a table that already exists, indexes are created
and dropped ``CONCURRENTLY``, which PostgreSQL runs outside a transaction. An index on a
partitioned table is created for its partitions too (never ``ON ONLY``)."""
from __future__ import annotations

from functools import lru_cache

from pglast.stream import RawStream

from ..catalog.model import Index, Table
from . import phases
from .deps import columns_of
from .sqltext import concurrent_index, index_statement, qualified, quote_ident


def plan(p) -> None:
    """Create, drop, rename and rebuild the indexes of every table and materialized view."""
    for table in p.added_tables(("table", "partitioned", "matview")):
        for index in own_indexes(table):
            create(p, table, index, concurrently=False)
    for old, new in p.kept_tables(("table", "partitioned", "matview")):
        if new.key in p.recreate_views:
            for index in own_indexes(new):
                create(p, new, index, concurrently=False)
            continue
        plan_table(p, old, new)


def own_indexes(table: Table) -> list[Index]:
    """The indexes made for ``table`` itself: not a constraint's, not copies of a parent's."""
    return [i for i in table.indexes if i.constraint is None and i.partition_of is None]


def present_before(old: Table, new: Table) -> dict:
    """The indexes of ``old`` that stand on their own once its partition changes are made:
    its own, plus the copies a detached partition keeps; less the own indexes an attached
    partition hands to its new parent's index (same name and definition)."""
    found = {i.name: i for i in own_indexes(old)}
    if old.partition_of and not new.partition_of:
        found.update({i.name: i for i in old.indexes if i.constraint is None})
    if new.partition_of and not old.partition_of:
        copies = {i.name: i for i in new.indexes if i.constraint is None and i.partition_of}
        found = {name: i for name, i in found.items()
                 if name not in copies or anonymous(copies[name].definition) != anonymous(i.definition)}
    return found


def plan_table(p, old: Table, new: Table) -> None:
    """The index changes of one table or materialized view both snapshots hold."""
    was = present_before(old, new)
    now = {i.name: i for i in own_indexes(new)}
    live = new.kind in ("table", "matview")
    for old_name, new_name in renamed(was, now):
        p.emit(phases.RENAME, f"ALTER INDEX {qualified(new.schema, old_name)} RENAME TO {quote_ident(new_name)};",
               qualified(new.schema, new_name), order=3)
        was[new_name] = now[new_name]
        del was[old_name]
    for name in sorted(was.keys() - now.keys()):
        if was[name].partition_of:  # the copy a detached partition keeps: after the DETACH
            drop(p, old, was[name], concurrently=False, phase=phases.DETACH_PARTITION)
        else:
            drop(p, old, was[name], concurrently=live)
    for name in sorted(now.keys() - was.keys()):
        create(p, new, now[name], concurrently=live)
    for name in sorted(was.keys() & now.keys()):
        if not same_index(was[name], now[name]):
            drop(p, old, was[name], concurrently=live)
            create(p, new, now[name], concurrently=live)
        elif must_rebuild(p, new, now[name]):
            drop(p, old, was[name], concurrently=False)
            create(p, new, now[name], concurrently=False)


def must_rebuild(p, table: Table, index: Index) -> bool:
    """Whether an unchanged index must be dropped and made again: its expressions or
    predicate read a column moved to a recreated enum, or call a recreated function. (The
    table is rewritten then anyway, so this runs in the migration's transaction.)"""
    if not p.recast_columns and not p.recreated_functions:
        return False
    texts = [index.predicate, *(key for key in index.columns if key not in column_names(table))]
    read = set().union(*(columns_of(t) for t in texts if t))
    if any((table.key, column) in p.recast_columns for column in read):
        return True
    return any(p.calls_recreated_function(t) for t in texts if t)


def column_names(table: Table) -> set[str]:
    """The names of ``table``'s columns."""
    return {c.name for c in table.columns}


def renamed(was: dict, now: dict) -> list[tuple[str, str]]:
    """Indexes that only changed name (one removed, one added, same definition): renamed."""
    came = sorted(now.keys() - was.keys())
    pairs = []
    for name in sorted(was.keys() - now.keys()):
        matches = [n for n in came if anonymous(was[name].definition) == anonymous(now[n].definition)]
        if len(matches) == 1:
            pairs.append((name, matches[0]))
            came.remove(matches[0])
    return pairs


def same_index(a: Index, b: Index) -> bool:
    """Whether two indexes of one name are built alike (their definitions parsed only when
    their texts differ)."""
    return a.definition == b.definition or anonymous(a.definition) == anonymous(b.definition)


@lru_cache(maxsize=65536)
def anonymous(definition: str) -> str:
    """An index definition without the index's own name, in one spelling."""
    stmt = index_statement(definition)
    stmt.idxname = None
    return RawStream()(stmt)


@lru_cache(maxsize=65536)
def with_partitions(definition: str) -> str:
    """A partitioned table's index definition (``ON ONLY``) as the statement that makes the
    index of every partition too."""
    stmt = index_statement(definition)
    stmt.relation.inh = True
    return RawStream()(stmt)


def create(p, table: Table, index: Index, *, concurrently: bool) -> None:
    """``CREATE INDEX`` (``CONCURRENTLY`` on a table that holds rows)."""
    if table.kind == "partitioned":
        sql = with_partitions(index.definition)
    else:
        sql = concurrent_index(index.definition) if concurrently else index.definition
    phase = phases.VIEW_INDEX if table.kind == "matview" else phases.CREATE_INDEX
    p.emit(phase, sql, qualified(index.schema, index.name), transactional=not concurrently)


def drop(p, table: Table, index: Index, *, concurrently: bool, phase: int = phases.DROP_INDEX) -> None:
    """``DROP INDEX`` (``CONCURRENTLY`` on a table that holds rows)."""
    p.dropped.add(("index", index.schema, index.name))
    word = "CONCURRENTLY " if concurrently else ""
    p.emit(phase, f"DROP INDEX {word}{qualified(index.schema, index.name)};",
           qualified(index.schema, index.name), transactional=not concurrently,
           order=1 if phase == phases.DETACH_PARTITION else 0)
