"""Comments on schemas, tables, views, columns, constraints, indexes, types and functions,
and owners of objects both snapshots hold."""
from __future__ import annotations

from . import phases
from .sqltext import literal, qualified, quote_ident

RELATION_WORDS = {"table": "TABLE", "partitioned": "TABLE", "view": "VIEW",
                  "matview": "MATERIALIZED VIEW", "foreign": "FOREIGN TABLE"}


def plan(p) -> None:
    plan_comments(p)
    plan_owners(p)


def comment(p, what: str, old: str | None, new: str | None, *, fresh: bool = False) -> None:
    if old != new and not (fresh and new is None):
        p.emit(phases.COMMENT, f"COMMENT ON {what} IS {literal(new)};", what)


def plan_comments(p) -> None:
    old_schemas = {s.name: s for s in p.before.objects.schemas}
    for schema in p.after.objects.schemas:
        was = old_schemas.get(schema.name)
        comment(p, f"SCHEMA {quote_ident(schema.name)}", was.comment if was else None, schema.comment,
                fresh=was is None)
    old_enums = {(e.schema, e.name): e for e in p.before.objects.enums}
    for enum in p.after.objects.enums:
        was = old_enums.get((enum.schema, enum.name))
        comment(p, f"TYPE {qualified(enum.schema, enum.name)}", was.comment if was else None,
                enum.comment, fresh=was is None)
    old_functions = {f.signature: f for f in p.before.objects.functions}
    for function in p.after.objects.functions:
        was = old_functions.get(function.signature)
        word = "PROCEDURE" if function.kind == "procedure" else "FUNCTION"
        what = f"{word} {qualified(function.schema, function.name)}({function.identity_arguments})"
        comment(p, what, was.comment if was else None, function.comment, fresh=was is None)
    for table in p.after.objects.tables:
        relation_comments(p, p.old_tables.get(table.key), table)


def relation_comments(p, old, new) -> None:
    fresh = old is None or old.kind != new.kind or new.key in p.recreate_views
    if fresh:
        old = None
    comment(p, f"{RELATION_WORDS[new.kind]} {new.qualname}", old.comment if old else None, new.comment,
            fresh=fresh)
    old_columns = {c.name: c for c in old.columns} if old else {}
    for column in new.columns:
        was = old_columns.get(column.name)
        comment(p, f"COLUMN {new.qualname}.{quote_ident(column.name)}", was.comment if was else None,
                column.comment, fresh=was is None)
    old_constraints = {c.name: c for c in old.constraints} if old else {}
    for constraint in new.constraints:
        was = old_constraints.get(constraint.name)
        comment(p, f"CONSTRAINT {quote_ident(constraint.name)} ON {new.qualname}",
                was.comment if was else None, constraint.comment, fresh=was is None)
    old_indexes = {i.name: i for i in old.indexes} if old else {}
    for index in new.indexes:
        if index.constraint is not None:
            continue
        was = old_indexes.get(index.name)
        comment(p, f"INDEX {qualified(index.schema, index.name)}", was.comment if was else None,
                index.comment, fresh=was is None)


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
