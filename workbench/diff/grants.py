"""Privileges: ``GRANT`` what the desired schema grants and the current one does not,
``REVOKE`` the reverse. An object created or recreated by the migration starts from
PostgreSQL's defaults (``EXECUTE`` to ``PUBLIC`` on functions, nothing elsewhere)."""
from __future__ import annotations

from ..catalog.model import Grant
from . import phases
from .sqltext import qualified, quote_ident

ON = {"table": "TABLE", "view": "TABLE", "matview": "TABLE", "foreign table": "TABLE",
      "sequence": "SEQUENCE", "schema": "SCHEMA", "function": "FUNCTION"}


def plan(p) -> None:
    old = set(map(key, p.before.objects.grants))
    new = {key(g): g for g in p.after.objects.grants}
    fresh = created_objects(p) | p.reset_grants
    old = {k for k in old if identity(k) not in fresh} | defaults(p, fresh)
    gone = {k for k in old if identity(k) not in dropped_objects(p)} - new.keys()
    for item in sorted(new.keys() - old):
        grant(p, item)
    for item in sorted(gone):
        revoke(p, item)


def key(g: Grant) -> tuple:
    kind = "table" if g.object_type in ("view", "matview", "foreign table") else g.object_type
    return (kind, g.schema, g.name, g.grantee, g.privilege, g.grantable)


def identity(item: tuple) -> tuple:
    return (item[0], item[1], item[2])


def created_objects(p) -> set:
    made = {("table", *k) for k in p.new_tables.keys() - p.old_tables.keys()}
    made |= {("sequence", s.schema, s.name) for s in p.after.objects.sequences} - \
        {("sequence", s.schema, s.name) for s in p.before.objects.sequences}
    made |= {("schema", s.name, s.name) for s in p.after.objects.schemas} - \
        {("schema", s.name, s.name) for s in p.before.objects.schemas}
    made |= function_ids(p.after) - function_ids(p.before)
    return {("table", *x[1:]) if x[0] == "view" else x for x in made}


def dropped_objects(p) -> set:
    gone = {("table", *k) for k in p.old_tables.keys() - p.new_tables.keys()}
    gone |= {("sequence", s.schema, s.name) for s in p.before.objects.sequences} - \
        {("sequence", s.schema, s.name) for s in p.after.objects.sequences}
    gone |= {("schema", s.name, s.name) for s in p.before.objects.schemas} - \
        {("schema", s.name, s.name) for s in p.after.objects.schemas}
    gone |= function_ids(p.before) - function_ids(p.after)
    return gone


def function_ids(schema) -> set:
    return {("function", f.schema, f"{f.name}({f.argument_types})") for f in schema.objects.functions}


def defaults(p, fresh: set) -> set:
    """What PostgreSQL grants by itself on a new function: ``EXECUTE`` to ``PUBLIC``."""
    return {("function", schema, name, "PUBLIC", "EXECUTE", False)
            for kind, schema, name in fresh if kind == "function"}


def target(item: tuple) -> str:
    kind, schema, name = item[:3]
    if kind == "schema":
        return f"SCHEMA {quote_ident(schema)}"
    if kind == "function":
        bare, _, args = name.partition("(")
        return f"FUNCTION {qualified(schema, bare)}({args}"
    return f"{ON[kind]} {qualified(schema, name)}"


def grantee(name: str) -> str:
    return "PUBLIC" if name == "PUBLIC" else quote_ident(name)


def grant(p, item: tuple) -> None:
    option = " WITH GRANT OPTION" if item[5] else ""
    p.emit(phases.GRANT, f"GRANT {item[4]} ON {target(item)} TO {grantee(item[3])}{option};",
           f"{item[1]}.{item[2]}")


def revoke(p, item: tuple) -> None:
    p.emit(phases.GRANT, f"REVOKE {item[4]} ON {target(item)} FROM {grantee(item[3])};",
           f"{item[1]}.{item[2]}", order=-1)
