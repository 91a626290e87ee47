"""Default privileges (``ALTER DEFAULT PRIVILEGES``): what the objects a role creates later get.

They change at the very end of the migration, so the objects the migration itself creates get
the default privileges in force before it (and then exactly the grants the desired schema
shows). The entries of a schema the migration drops go with it.
"""
from __future__ import annotations

from ..catalog.model import DefaultPrivilege
from . import phases
from .sqltext import quote_ident

WORDS = {"table": "TABLES", "sequence": "SEQUENCES", "function": "FUNCTIONS", "type": "TYPES",
         "schema": "SCHEMAS"}
BUILT_IN = {"function": {("PUBLIC", "EXECUTE", False)}, "type": {("PUBLIC", "USAGE", False)}}


def plan(p) -> None:
    """``ALTER DEFAULT PRIVILEGES`` for every default privilege that differs: the entries
    no longer wanted are undone first, then the wanted ones made."""
    old = set(p.before.objects.default_privileges)
    new = set(p.after.objects.default_privileges)
    kept_schemas = {s.name for s in p.after.objects.schemas}
    for item in sorted(old - new, key=sort_key):
        if item.schema is None or item.schema in kept_schemas:
            emit(p, item, undo=True)
    for item in sorted(new - old, key=sort_key):
        emit(p, item, undo=False)


def sort_key(item: DefaultPrivilege) -> tuple:
    """A stable order for default privileges (their schema may be None)."""
    return (item.role, item.schema or "", item.object_type, item.grantee, item.privilege,
            item.grantable, item.revoked)


def emit(p, item: DefaultPrivilege, *, undo: bool) -> None:
    """The statement making ``item`` (``undo``: taking it back). A revoked built-in
    privilege is made with ``REVOKE`` and undone with ``GRANT``."""
    where = f" IN SCHEMA {quote_ident(item.schema)}" if item.schema else ""
    head = f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote_ident(item.role)}{where}"
    objects = WORDS[item.object_type]
    role = "PUBLIC" if item.grantee == "PUBLIC" else quote_ident(item.grantee)
    granting = item.revoked == undo
    if granting:
        option = " WITH GRANT OPTION" if item.grantable else ""
        sql = f"{head} GRANT {item.privilege} ON {objects} TO {role}{option};"
    else:
        sql = f"{head} REVOKE {item.privilege} ON {objects} FROM {role};"
    p.emit(phases.DEFAULT_PRIVILEGE, sql, f"{item.role}{where}", order=0 if granting else -1)


def starting_privileges(schema, kind: str, namespace: str, owner: str) -> set:
    """``(grantee, privilege, grantable)`` that an object of ``kind`` created by ``owner`` in
    ``namespace`` gets, with the default privileges of snapshot ``schema`` in force
    (privileges of the owner itself included)."""
    found = set(BUILT_IN.get(kind, ()))
    for item in schema.objects.default_privileges:
        if item.role != owner or item.object_type != kind or item.schema not in (None, namespace):
            continue
        entry = (item.grantee, item.privilege, item.grantable)
        if item.revoked:
            found.discard(entry)
        else:
            found.add(entry)
    return found
