"""Schemas and extensions."""
from __future__ import annotations

from . import phases
from .sqltext import literal, quote_ident


def plan(p) -> None:
    """Create, drop and update schemas and extensions."""
    old = {s.name: s for s in p.before.objects.schemas}
    new = {s.name: s for s in p.after.objects.schemas}
    for name in sorted(new.keys() - old.keys()):
        p.emit(phases.CREATE_SCHEMA, f"CREATE SCHEMA {quote_ident(name)};", name)
    for name in sorted(old.keys() - new.keys()):
        p.emit(phases.DROP_SCHEMA, f"DROP SCHEMA {quote_ident(name)};", name)
    plan_extensions(p)


def plan_extensions(p) -> None:
    old = {e.name: e for e in p.before.objects.extensions}
    new = {e.name: e for e in p.after.objects.extensions}
    for name in sorted(new.keys() - old.keys()):
        ext = new[name]
        p.emit(phases.CREATE_EXTENSION,
               f"CREATE EXTENSION IF NOT EXISTS {quote_ident(name)} WITH SCHEMA "
               f"{quote_ident(ext.schema)} VERSION {literal(ext.version)};", name)
    for name in sorted(old.keys() - new.keys()):
        p.emit(phases.DROP_EXTENSION, f"DROP EXTENSION {quote_ident(name)};", name,
               destructive=f"drops extension {name} and the data its objects hold")
    for name in sorted(old.keys() & new.keys()):
        was, now = old[name], new[name]
        if was.version != now.version:
            p.emit(phases.CREATE_EXTENSION,
                   f"ALTER EXTENSION {quote_ident(name)} UPDATE TO {literal(now.version)};", name)
        if was.schema != now.schema:
            p.emit(phases.CREATE_EXTENSION,
                   f"ALTER EXTENSION {quote_ident(name)} SET SCHEMA {quote_ident(now.schema)};", name)
