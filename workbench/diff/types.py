"""Enum types.

A label added to an enum is ``ALTER TYPE … ADD VALUE`` at its place, run before the
migration's transaction (a label added inside a transaction cannot be used by it). A label
removed or moved cannot be altered in place: the type is recreated (renamed aside, created
anew, its columns converted through text, the old type dropped), with a note saying so; the
checks and indexes whose expressions compare those columns with labels are dropped before
and made again after (their labels would keep the old type).
"""
from __future__ import annotations

from ..catalog.names import derived_name
from . import phases
from .deps import partition_key_columns
from .sqltext import literal, qualified, quote_ident


def plan(p) -> None:
    """Create, drop, extend and recreate enum types."""
    old = {(e.schema, e.name): e for e in p.before.objects.enums}
    new = {(e.schema, e.name): e for e in p.after.objects.enums}
    for key in sorted(new.keys() - old.keys()):
        p.emit(phases.CREATE_TYPE, create_enum(new[key].schema, new[key].name, new[key].labels),
               ".".join(key))
    for key in sorted(old.keys() - new.keys()):
        p.emit(phases.DROP_TYPE, f"DROP TYPE {qualified(*key)};", ".".join(key))
    for key in sorted(old.keys() & new.keys()):
        was, now = old[key].labels, new[key].labels
        if was == now:
            continue
        if is_subsequence(was, now):
            add_values(p, key, was, now)
        else:
            recreate_enum(p, key, was, now)


def create_enum(schema: str, name: str, labels) -> str:
    """``CREATE TYPE … AS ENUM`` with ``labels`` in order."""
    return f"CREATE TYPE {qualified(schema, name)} AS ENUM ({', '.join(map(literal, labels))});"


def is_subsequence(short, long) -> bool:
    """Whether ``short`` keeps its order inside ``long`` (labels only added, none moved)."""
    rest = iter(long)
    return all(label in rest for label in short)


def add_values(p, key, was, now) -> None:
    """``ADD VALUE`` for each new label in order: after the label before it, or (the first)
    before the first old one."""
    for index, label in enumerate(now):
        if label in was:
            continue
        place = f" AFTER {literal(now[index - 1])}" if index else f" BEFORE {literal(was[0])}" if was else ""
        p.emit(phases.ENUM_VALUE, f"ALTER TYPE {qualified(*key)} ADD VALUE {literal(label)}{place};",
               ".".join(key), transactional=False)


def recreate_enum(p, key, was, now) -> None:
    """Rename the type aside, create it anew, convert its columns, drop the old one. A type
    in a partition key cannot be converted: it is left as it is, with a note."""
    schema, name = key
    keys = [t for t, c in enum_columns(p.after, key) if c.name in partition_key_columns(t.partition_key)]
    if keys:
        p.note(f"enum {schema}.{name}: labels removed or reordered, but the partition key of "
               f"{', '.join(t.qualname for t in keys)} uses it and PostgreSQL cannot change a partition "
               "key's type: the enum is left as it is (recreate those tables by hand)")
        return
    p.recreated_types.add(key)
    aside = aside_name(p, schema, name)
    removed = [label for label in was if label not in now]
    why = (f"labels {', '.join(map(literal, removed))} removed from {schema}.{name}: rows holding them "
           "make the conversion fail" if removed else "")
    p.note(f"enum {schema}.{name}: labels removed or reordered, so the type is recreated and its "
           "columns converted through text")
    p.emit(phases.CREATE_TYPE, f"ALTER TYPE {qualified(schema, name)} RENAME TO {quote_ident(aside)};",
           f"{schema}.{name}", destructive=why)
    p.emit(phases.CREATE_TYPE, create_enum(schema, name, now), f"{schema}.{name}")
    for table, column in enum_columns(p.after, key):
        ref = quote_ident(column.name)
        target = f"{table.qualname}"
        if column.default is not None:
            p.emit(phases.ALTER_COLUMN, f"ALTER TABLE {target} ALTER COLUMN {ref} DROP DEFAULT;", target)
        p.emit(phases.ALTER_COLUMN, f"ALTER TABLE {target} ALTER COLUMN {ref} TYPE {column.type} "
               f"USING {ref}::text::{column.type};", target, order=1)
        if column.default is not None:
            p.emit(phases.ALTER_COLUMN, f"ALTER TABLE {target} ALTER COLUMN {ref} SET DEFAULT "
                   f"{column.default};", target, order=2)
        p.retyped_columns.add((table.key, column.name))
        p.recast_columns.add((table.key, column.name))
    p.emit(phases.DROP_OLD_TYPE, f"DROP TYPE {qualified(schema, aside)};", f"{schema}.{name}")


def aside_name(p, schema: str, name: str) -> str:
    """A free name for the old type while the new one is made: ``<name>__old``, cut to 63
    bytes and numbered if taken (type names share their schema with tables and views)."""
    taken = {e.name for s in (p.before, p.after) for e in s.objects.enums if e.schema == schema}
    taken |= {key[1] for key in p.old_tables.keys() | p.new_tables.keys() if key[0] == schema}
    return derived_name([name, ""], "old", taken)


def enum_columns(schema, key):
    """``(table, column)`` for every table column of enum ``key`` (not views, not partitions,
    not the columns an inheritance child has from its parents: they follow the parent)."""
    tables = {t.key: t for t in schema.objects.tables}
    for table in schema.objects.tables:
        if table.kind not in ("table", "partitioned") or table.partition_of:
            continue
        inherited = {c.name for parent in table.inherits if tuple(parent) in tables
                     for c in tables[tuple(parent)].columns}
        for column in table.columns:
            if names_type(column.type, key) and column.name not in inherited:
                yield table, column


def names_type(type_text: str, key) -> bool:
    """Whether a ``format_type`` text is the type ``key`` (or an array of it)."""
    text = type_text[:-2] if type_text.endswith("[]") else type_text
    schema, name = key
    spellings = {qualified(schema, name), f"{schema}.{name}"}
    if schema == "public":
        spellings |= {name, quote_ident(name)}
    return text in spellings
