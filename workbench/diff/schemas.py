"""Schemas and extensions."""
from __future__ import annotations

import re

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
    """Create, drop, update (or recreate at an older version) and move extensions."""
    old = {e.name: e for e in p.before.objects.extensions}
    new = {e.name: e for e in p.after.objects.extensions}
    for name in sorted(new.keys() - old.keys()):
        p.emit(phases.CREATE_EXTENSION, create_extension(new[name]), name)
    for name in sorted(old.keys() - new.keys()):
        p.emit(phases.DROP_EXTENSION, f"DROP EXTENSION {quote_ident(name)};", name,
               destructive=f"drops extension {name} and the data its objects hold")
    for name in sorted(old.keys() & new.keys()):
        was, now = old[name], new[name]
        if was.version != now.version and is_older(now.version, was.version):
            downgrade(p, was, now)
            continue
        if was.version != now.version:
            p.emit(phases.CREATE_EXTENSION,
                   f"ALTER EXTENSION {quote_ident(name)} UPDATE TO {literal(now.version)};", name)
        if was.schema != now.schema:
            p.moved_schemas.add((was.schema, now.schema))
            p.emit(phases.CREATE_EXTENSION,
                   f"ALTER EXTENSION {quote_ident(name)} SET SCHEMA {quote_ident(now.schema)};", name)


def create_extension(ext) -> str:
    """``CREATE EXTENSION`` at the extension's version, in its schema."""
    return (f"CREATE EXTENSION IF NOT EXISTS {quote_ident(ext.name)} WITH SCHEMA "
            f"{quote_ident(ext.schema)} VERSION {literal(ext.version)};")


def downgrade(p, was, now) -> None:
    """An extension going back to an older version: PostgreSQL's extensions ship no
    downgrade scripts, so it is dropped and created at that version. ``DROP EXTENSION``
    without ``CASCADE`` refuses while objects of the schema use it, and drops nothing else."""
    p.note(f"extension {now.name} goes back from {was.version} to {now.version}: PostgreSQL "
           "cannot downgrade an extension, so it is dropped and created again; this fails "
           "while columns, indexes or other objects use it (drop or convert them first)")
    p.recreated_extensions.add(now.name)
    p.emit(phases.DROP_EXTENSION, f"DROP EXTENSION {quote_ident(was.name)};", was.name,
           destructive=f"drops extension {was.name} to create it at version {now.version}")
    p.emit(phases.CREATE_EXTENSION, create_extension(now), now.name)


def is_older(version: str, than: str) -> bool:
    """Whether extension version ``version`` sorts before ``than`` (numbers compared as
    numbers: ``1.10`` is newer than ``1.9``)."""
    return version_key(version) < version_key(than)


def version_key(version: str) -> tuple:
    """An extension version as a sortable key (``1.10`` after ``1.9``)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"[.\-_]", version))
