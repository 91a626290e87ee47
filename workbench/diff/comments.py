"""Comments on every object that has one (schemas, extensions, enums, sequences, functions,
tables, views, columns, constraints, indexes, policies, triggers), and owners of objects
both snapshots hold.

An object the migration drops and creates again has lost its comment: it is set again.
"""
from __future__ import annotations

from . import phases
from .sqltext import literal, qualified, quote_ident

RELATION_WORDS = {"table": "TABLE", "partitioned": "TABLE", "view": "VIEW",
                  "matview": "MATERIALIZED VIEW", "foreign": "FOREIGN TABLE"}


def plan(p) -> None:
    """``COMMENT ON`` every comment that differs, and ``OWNER TO`` every owner."""
    plan_comments(p)
    plan_owners(p)


def comment(p, what, old: str | None, new: str | None, *, fresh: bool = False) -> None:
    """``COMMENT ON what``, when the comment changes; ``fresh``: the object is new (or made
    again) and has none yet. ``what`` may be a function making the name (named only when
    needed: most comments do not change)."""
    if fresh:
        old = None
    if old != new:
        what = what() if callable(what) else what
        p.emit(phases.COMMENT, f"COMMENT ON {what} IS {literal(new)};", what)


def plan_comments(p) -> None:
    """``COMMENT ON`` every object whose comment differs (or was lost by a recreation)."""
    old_schemas = {s.name: s for s in p.before.objects.schemas}
    for schema in p.after.objects.schemas:
        was = old_schemas.get(schema.name)
        comment(p, f"SCHEMA {quote_ident(schema.name)}", was and was.comment, schema.comment,
                fresh=was is None)
    old_extensions = {e.name: e for e in p.before.objects.extensions}
    for ext in p.after.objects.extensions:
        was = old_extensions.get(ext.name)
        if was is not None and ext.name not in p.recreated_extensions:
            comment(p, f"EXTENSION {quote_ident(ext.name)}", was.comment, ext.comment)
    old_enums = {(e.schema, e.name): e for e in p.before.objects.enums}
    for enum in p.after.objects.enums:
        was = old_enums.get((enum.schema, enum.name))
        comment(p, f"TYPE {qualified(enum.schema, enum.name)}", was and was.comment, enum.comment,
                fresh=was is None or (enum.schema, enum.name) in p.recreated_types)
    old_sequences = {(s.schema, s.name): s for s in p.before.objects.sequences}
    for seq in p.after.objects.sequences:
        was = old_sequences.get((seq.schema, seq.name))
        comment(p, f"SEQUENCE {qualified(seq.schema, seq.name)}", was and was.comment, seq.comment,
                fresh=was is None)
    old_functions = {f.signature: f for f in p.before.objects.functions}
    for function in p.after.objects.functions:
        was = old_functions.get(function.signature)
        word = "PROCEDURE" if function.kind == "procedure" else "FUNCTION"
        what = f"{word} {qualified(function.schema, function.name)}({function.identity_arguments})"
        comment(p, what, was and was.comment, function.comment,
                fresh=was is None or ("function", function.signature) in p.dropped)
    for table in p.after.objects.tables:
        relation_comments(p, p.old_tables.get(table.key), table)


def relation_comments(p, old, new) -> None:
    """The comments of a relation and of its columns, constraints, indexes, policies and
    triggers."""
    if old is None or new.key in p.rebuilt_tables or new.key in p.recreate_views:
        old = None
    comment(p, lambda: f"{RELATION_WORDS[new.kind]} {new.qualname}", old and old.comment, new.comment,
            fresh=old is None)
    parts = ((new.columns, old.columns if old else (), "column"),
             (new.constraints, old.constraints if old else (), "constraint"),
             ([i for i in new.indexes if i.constraint is None], old.indexes if old else (), "index"),
             (new.policies, old.policies if old else (), "policy"),
             ([t for t in new.triggers if not t.inherited], old.triggers if old else (), "trigger"))
    for items, old_items, kind in parts:
        before = {item.name: item for item in old_items}
        for item in items:
            was = before.get(item.name)
            if item.comment is None and (was is None or was.comment is None):
                continue  # no comment either side
            comment(p, lambda: part_name(new, kind, item), was and was.comment, item.comment,
                    fresh=was is None or made_again(p, new, kind, item))


def part_name(table, kind: str, item) -> str:
    """What ``COMMENT ON`` names a part of ``table``."""
    if kind == "column":
        return f"COLUMN {table.qualname}.{quote_ident(item.name)}"
    if kind == "index":
        return f"INDEX {qualified(item.schema, item.name)}"
    return f"{kind.upper()} {quote_ident(item.name)} ON {table.qualname}"


def made_again(p, table, kind: str, item) -> bool:
    """Whether the migration drops this part and makes it again (losing its comment)."""
    if kind == "column":
        return (table.key, item.name) in p.dropped_columns
    if kind == "index":
        return ("index", item.schema, item.name) in p.dropped
    return (kind, table.schema, table.name, item.name) in p.dropped


def plan_owners(p) -> None:
    """``OWNER TO`` where an object in both snapshots changes owner (new objects belong to
    whoever runs the migration)."""
    old = {t.key: t for t in p.before.objects.tables}
    for table in p.after.objects.tables:
        was = old.get(table.key)
        if was and was.owner != table.owner and was.kind == table.kind and not table.partition_of:
            p.emit(phases.OWNER, f"ALTER {RELATION_WORDS[table.kind]} {table.qualname} OWNER TO "
                   f"{quote_ident(table.owner)};", table.qualname)
    old_schemas = {s.name: s for s in p.before.objects.schemas}
    for schema in p.after.objects.schemas:
        was = old_schemas.get(schema.name)
        if was and was.owner != schema.owner:
            p.emit(phases.OWNER, f"ALTER SCHEMA {quote_ident(schema.name)} OWNER TO "
                   f"{quote_ident(schema.owner)};", schema.name)
