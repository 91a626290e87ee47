"""Privileges on tables, views, sequences, schemas, functions and columns: ``GRANT`` what
the desired schema grants and the current one does not, ``REVOKE`` the reverse.

An object the migration creates (or drops and creates again) starts from what PostgreSQL
gives a new object: ``EXECUTE`` to ``PUBLIC`` on functions, and the default privileges in
force for its owner (see :mod:`.default_privileges`, changed only after every object is
made). A column added, or dropped and added again, starts with no privileges of its own.
"""
from __future__ import annotations

from ..catalog.model import Grant
from . import phases
from .default_privileges import starting_privileges
from .sqltext import qualified, quote_ident

ON = {"table": "TABLE", "sequence": "SEQUENCE", "schema": "SCHEMA", "function": "FUNCTION"}
RELATION_TYPES = ("table", "view", "matview", "foreign table")


def plan(p) -> None:
    """``GRANT`` and ``REVOKE`` for every privilege that differs."""
    new = {key(g): g for g in p.after.objects.grants}
    fresh = created_objects(p) | {normal(item) for item in p.reset_grants}
    fresh_columns = created_columns(p)
    old = {k for k in map(key, p.before.objects.grants)
           if identity(k) not in fresh and column_identity(k) not in fresh_columns}
    old |= starting_grants(p, fresh)
    gone = dropped_objects(p)
    dropped_columns = {(("table", *table), column) for table, column in p.dropped_columns}
    for item in sorted(new.keys() - old, key=sort_key):
        grant(p, item)
    for item in sorted(old - new.keys(), key=sort_key):
        if identity(item) not in gone and column_identity(item) not in dropped_columns:
            revoke(p, item)
            for kept in swept_columns(item, old & new.keys()):
                grant(p, kept)


def swept_columns(item: tuple, kept: set) -> list:
    """The column privileges a table ``REVOKE`` takes away with it (PostgreSQL revokes the
    privilege on every column too) that must stay: they are granted again."""
    if item[0] != "table":
        return []
    return sorted((k for k in kept if k[0] == "column" and k[1:3] == item[1:3] and k[4:6] == item[4:6]),
                  key=sort_key)


def key(g: Grant) -> tuple:
    """``(kind, schema, name, column, grantee, privilege, grantable)``; views and other
    relations count as tables (``GRANT … ON TABLE`` names them all)."""
    kind = "table" if g.object_type in RELATION_TYPES else g.object_type
    return (kind, g.schema, g.name, g.column, g.grantee, g.privilege, g.grantable)


def sort_key(item: tuple) -> tuple:
    """A stable order for grant keys (a column may be None)."""
    return tuple("" if part is None else part for part in item)


def normal(item: tuple) -> tuple:
    """An object's ``(kind, schema, name)`` with views named as tables."""
    kind = "table" if item[0] in ("view", "matview") else item[0]
    return (kind, *item[1:3])


def identity(item: tuple) -> tuple:
    """The object a privilege is on: ``(kind, schema, name)`` (a column's: its table)."""
    return ("table" if item[0] == "column" else item[0], item[1], item[2])


def column_identity(item: tuple):
    """The column a column privilege is on, as ``((kind, schema, table), column)``."""
    return (identity(item), item[3]) if item[0] == "column" else None


def created_objects(p) -> set:
    """``(kind, schema, name)`` of the objects the migration creates."""
    return object_ids(p.after, p.new_tables) - object_ids(p.before, p.old_tables)


def dropped_objects(p) -> set:
    """``(kind, schema, name)`` of the objects the migration drops."""
    return object_ids(p.before, p.old_tables) - object_ids(p.after, p.new_tables)


def object_ids(schema, tables: dict) -> set:
    """``(kind, schema, name)`` of every object of a snapshot that takes grants."""
    found = {("table", *k) for k in tables}
    found |= {("sequence", s.schema, s.name) for s in schema.objects.sequences}
    found |= {("schema", s.name, s.name) for s in schema.objects.schemas}
    found |= {("function", f.schema, f"{f.name}({f.argument_types})") for f in schema.objects.functions}
    return found


def created_columns(p) -> set:
    """``(("table", schema, table), column)`` of the columns the migration adds to tables it
    keeps, or drops and adds again."""
    found = {(("table", *table), column) for table, column in p.dropped_columns}
    for key_, new in p.new_tables.items():
        old = p.old_tables.get(key_)
        if old is not None:
            names = {c.name for c in old.columns}
            found |= {(("table", *key_), c.name) for c in new.columns if c.name not in names}
    return found


def starting_grants(p, fresh: set) -> set:
    """The privileges PostgreSQL gives the objects in ``fresh`` when the migration makes them."""
    owners = owners_of(p.after)
    found = set()
    for kind, schema, name in fresh:
        owner = owners.get((kind, schema, name))
        if owner is None:
            continue
        for grantee, privilege, grantable in starting_privileges(p.before, kind, schema, owner):
            if grantee != owner:
                found.add((kind, schema, name, None, grantee, privilege, grantable))
    return found


def owners_of(schema) -> dict:
    """The owner of each object that takes grants, by ``(kind, schema, name)``."""
    found = {("table", t.schema, t.name): t.owner for t in schema.objects.tables}
    found.update({("sequence", s.schema, s.name): s.owner for s in schema.objects.sequences})
    found.update({("schema", s.name, s.name): s.owner for s in schema.objects.schemas})
    found.update({("function", f.schema, f"{f.name}({f.argument_types})"): f.owner
                  for f in schema.objects.functions})
    return found


def target(item: tuple) -> str:
    """What ``GRANT … ON`` names: ``TABLE app.t``, ``FUNCTION app.f(integer)``…"""
    kind, schema, name = item[:3]
    if kind == "schema":
        return f"SCHEMA {quote_ident(schema)}"
    if kind == "function":
        bare, _, args = name.partition("(")
        return f"FUNCTION {qualified(schema, bare)}({args}"
    if kind == "column":
        return f"TABLE {qualified(schema, name)}"
    return f"{ON[kind]} {qualified(schema, name)}"


def privilege(item: tuple) -> str:
    """The privilege as ``GRANT`` says it: ``SELECT``, or ``SELECT (column)`` for a column."""
    return f"{item[5]} ({quote_ident(item[3])})" if item[0] == "column" else item[5]


def grantee(name: str) -> str:
    """A grantee as SQL names it (``PUBLIC`` bare)."""
    return "PUBLIC" if name == "PUBLIC" else quote_ident(name)


def grant(p, item: tuple) -> None:
    """``GRANT`` one privilege (``WITH GRANT OPTION`` when grantable)."""
    option = " WITH GRANT OPTION" if item[6] else ""
    p.emit(phases.GRANT, f"GRANT {privilege(item)} ON {target(item)} TO {grantee(item[4])}{option};",
           f"{item[1]}.{item[2]}")


def revoke(p, item: tuple) -> None:
    """``REVOKE`` one privilege (before the grants, so a changed grant option is re-granted)."""
    p.emit(phases.GRANT, f"REVOKE {privilege(item)} ON {target(item)} FROM {grantee(item[4])};",
           f"{item[1]}.{item[2]}", order=-1)
