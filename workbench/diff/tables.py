"""Tables: created (parents before their partitions), dropped, and their own properties
(partition attach and detach, UNLOGGED, storage options, Row Level Security)."""
from __future__ import annotations

from ..catalog.model import Table
from . import columns, phases
from .deps import relations_of, resolve
from .sqltext import qualified, quote_ident

KINDS = ("table", "partitioned")


def plan(p) -> None:
    """Create, drop, rebuild and alter tables (columns: :mod:`.columns`)."""
    for table in p.added_tables(("foreign",)) + p.removed_tables(("foreign",)):
        if table.key not in p.rebuilt_tables:
            p.note(f"foreign table {table.schema}.{table.name} is not diffed: create or drop it by hand")
    for key in sorted(p.rebuilt_tables):
        note_rebuilt(p, p.old_tables[key], p.new_tables[key])
    for table in p.added_tables(KINDS):
        create(p, table)
    for table in p.removed_tables(KINDS):
        drop(p, table)
    for old, new in p.kept_tables(KINDS):
        alter(p, old, new)
        columns.plan_table(p, old, new)


def note_rebuilt(p, old: Table, new: Table) -> None:
    """Say why a relation is dropped and created again; its privileges start afresh."""
    where = f"{new.schema}.{new.name}"
    if old.kind != new.kind:
        p.note(f"{where} changes from {old.kind} to {new.kind}: PostgreSQL cannot convert it in place; "
               "it is dropped and created again")
    elif old.partition_key != new.partition_key:
        p.note(f"{where}: the partition key changes from {old.partition_key} to {new.partition_key}; "
               "PostgreSQL cannot change it in place: the table and its partitions are dropped and "
               "created again (move the rows by hand)")
    p.reset_grants.add(("table", new.schema, new.name))


def create(p, table: Table) -> None:
    """``CREATE TABLE``: columns, partitioning and inheritance; constraints and indexes come
    later."""
    unlogged = "UNLOGGED " if table.unlogged else ""
    if table.partition_of:
        parent = ".".join(quote_ident(x) for x in table.partition_of)
        body = f"PARTITION OF {parent} {table.partition_bound}"
    else:
        body = "(\n    " + ",\n    ".join(columns.definition(c) for c in table.columns) + "\n)"
    sql = f"CREATE {unlogged}TABLE {table.qualname} {body}"
    if table.inherits:
        sql += f" INHERITS ({', '.join(qualified(*parent) for parent in table.inherits)})"
    if table.partition_key:
        sql += f" PARTITION BY {table.partition_key}"
    if table.options:
        sql += f" WITH ({', '.join(table.options)})"
    p.emit(phases.CREATE_TABLE, sql + ";", table.qualname, order=depth(p.new_tables, table))
    row_security(p, None, table)


def drop(p, table: Table) -> None:
    """``DROP TABLE`` (a partition goes with its parent); its foreign keys and policies that
    use other tables dropped too go first, so the tables may go in any order."""
    if table.partition_of and p.is_gone(tuple(table.partition_of)):
        return  # dropped with its parent
    for fk in table.foreign_keys:
        if fk.ref_key != table.key and p.is_gone(fk.ref_key) and not fk.inherited:
            p.emit(phases.DROP_FOREIGN_KEY, f"ALTER TABLE {table.qualname} DROP CONSTRAINT "
                   f"{quote_ident(fk.name)};", f"{table.qualname}.{fk.name}")
    for policy in table.policies:
        used = {resolve(name, p.old_tables) for text in (policy.using, policy.with_check)
                for name in relations_of(text)}
        if any(key is not None and key != table.key and p.is_gone(key) for key in used):
            p.emit(phases.DROP_POLICY, f"DROP POLICY {quote_ident(policy.name)} ON {table.qualname};",
                   f"{table.qualname}.{policy.name}")
    why = f"drops table {table.schema}.{table.name} and its rows"
    p.emit(phases.DROP_TABLE, f"DROP TABLE {table.qualname};", table.qualname,
           order=-depth(p.old_tables, table), destructive=why)


def depth(tables: dict, table: Table, seen: frozenset = frozenset()) -> int:
    """How many levels of parents (partitioned or ``INHERITS``) sit above ``table``: parents
    are created before and dropped after their children."""
    parents = [tuple(table.partition_of)] if table.partition_of else []
    parents += [tuple(parent) for parent in table.inherits]
    parents = [key for key in parents if key in tables and key not in seen]
    if not parents:
        return 0
    return 1 + max(depth(tables, tables[key], seen | {table.key}) for key in parents)


def alter(p, old: Table, new: Table) -> None:
    """A kept table's own properties: partition, UNLOGGED, storage options, inheritance, RLS."""
    target = new.qualname
    partition(p, old, new)
    if old.unlogged != new.unlogged:
        p.emit(phases.ALTER_COLUMN, f"ALTER TABLE {target} SET {'UNLOGGED' if new.unlogged else 'LOGGED'};",
               target)
    if set(old.options) != set(new.options):
        gone = sorted({o.split("=")[0] for o in old.options} - {o.split("=")[0] for o in new.options})
        if gone:
            p.emit(phases.ALTER_COLUMN, f"ALTER TABLE {target} RESET ({', '.join(gone)});", target)
        if new.options:
            p.emit(phases.ALTER_COLUMN, f"ALTER TABLE {target} SET ({', '.join(new.options)});", target)
    if old.inherits != new.inherits or any(tuple(x) in p.rebuilt_tables for x in new.inherits):
        inherit(p, old, new)
    row_security(p, old, new)


def partition(p, old: Table, new: Table) -> None:
    """Attach, detach, or move a partition to its new bound."""
    if (old.partition_of, old.partition_bound) == (new.partition_of, new.partition_bound):
        return
    if old.partition_of and not p.is_gone(tuple(old.partition_of)):
        parent = ".".join(quote_ident(x) for x in old.partition_of)
        p.emit(phases.DETACH_PARTITION, f"ALTER TABLE {parent} DETACH PARTITION {old.qualname};",
               old.qualname)
    if new.partition_of:
        parent = ".".join(quote_ident(x) for x in new.partition_of)
        p.emit(phases.ATTACH_PARTITION,
               f"ALTER TABLE {parent} ATTACH PARTITION {new.qualname} {new.partition_bound};", new.qualname)


def row_security(p, old: Table | None, new: Table) -> None:
    """``ENABLE`` / ``DISABLE`` and ``FORCE`` / ``NO FORCE ROW LEVEL SECURITY``."""
    target = new.qualname
    if (old.rls_enabled if old else False) != new.rls_enabled:
        word = "ENABLE" if new.rls_enabled else "DISABLE"
        p.emit(phases.ROW_SECURITY, f"ALTER TABLE {target} {word} ROW LEVEL SECURITY;", target)
    if (old.rls_forced if old else False) != new.rls_forced:
        word = "FORCE" if new.rls_forced else "NO FORCE"
        p.emit(phases.ROW_SECURITY, f"ALTER TABLE {target} {word} ROW LEVEL SECURITY;", target)


def inherit(p, old: Table, new: Table) -> None:
    """``INHERIT`` / ``NO INHERIT`` for classic inheritance parents added or removed (or
    dropped and created again)."""
    for parent in [x for x in old.inherits if x not in new.inherits or tuple(x) in p.rebuilt_tables]:
        p.emit(phases.DETACH_PARTITION, f"ALTER TABLE {new.qualname} NO INHERIT {qualified(*parent)};",
               new.qualname)
    for parent in [x for x in new.inherits if x not in old.inherits or tuple(x) in p.rebuilt_tables]:
        p.emit(phases.ATTACH_PARTITION, f"ALTER TABLE {new.qualname} INHERIT {qualified(*parent)};",
               new.qualname)
