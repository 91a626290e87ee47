"""Indexes (constraint indexes come with their constraints; a partition's copies of its
parent's indexes come with the parent's). On a table that already exists, indexes are created
and dropped ``CONCURRENTLY``, which PostgreSQL runs outside a transaction."""
from __future__ import annotations

from functools import lru_cache

from pglast.stream import RawStream

from ..catalog.model import Index, Table
from . import phases
from .sqltext import concurrent_index, index_statement, qualified, quote_ident


def plan(p) -> None:
    for table in p.added_tables(("table", "partitioned", "matview")):
        for index in own_indexes(p.after, table):
            create(p, table, index, concurrently=False)
    for old, new in p.kept_tables(("table", "partitioned", "matview")):
        if old.kind != new.kind or new.key in p.recreate_views:
            for index in own_indexes(p.after, new):
                create(p, new, index, concurrently=False)
            continue
        plan_table(p, old, new)


def own_indexes(schema, table: Table) -> list[Index]:
    """The indexes made for ``table`` itself: not a constraint's, not copies of a parent's."""
    return [i for i in table.indexes if i.constraint is None and i.partition_of is None]


def plan_table(p, old: Table, new: Table) -> None:
    was = {i.name: i for i in own_indexes(p.before, old)}
    now = {i.name: i for i in own_indexes(p.after, new)}
    live = new.kind == "table"
    for old_name, new_name in renamed(was, now):
        p.emit(phases.RENAME, f"ALTER INDEX {qualified(new.schema, old_name)} RENAME TO {quote_ident(new_name)};",
               qualified(new.schema, new_name), order=3)
        was[new_name] = now[new_name]
        del was[old_name]
    for name in sorted(was.keys() - now.keys()):
        drop(p, old, was[name], concurrently=live)
    for name in sorted(now.keys() - was.keys()):
        create(p, new, now[name], concurrently=live)
    for name in sorted(was.keys() & now.keys()):
        if anonymous(was[name].definition) != anonymous(now[name].definition):
            drop(p, old, was[name], concurrently=live)
            create(p, new, now[name], concurrently=live)


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


@lru_cache(maxsize=65536)
def anonymous(definition: str) -> str:
    """An index definition without the index's own name, in one spelling."""
    stmt = index_statement(definition)
    stmt.idxname = None
    return RawStream()(stmt)


def create(p, table: Table, index: Index, *, concurrently: bool) -> None:
    sql = concurrent_index(index.definition) if concurrently else index.definition
    phase = phases.VIEW_INDEX if table.kind == "matview" else phases.CREATE_INDEX
    p.emit(phase, sql, qualified(index.schema, index.name), transactional=not concurrently)


def drop(p, table: Table, index: Index, *, concurrently: bool) -> None:
    word = "CONCURRENTLY " if concurrently else ""
    p.emit(phases.DROP_INDEX, f"DROP INDEX {word}{qualified(index.schema, index.name)};",
           qualified(index.schema, index.name), transactional=not concurrently)
