"""Recommendations become Drafts: ``CREATE INDEX CONCURRENTLY`` up, ``DROP INDEX CONCURRENTLY`` down.

Names are ``<table>_<keys>_idx`` (PostgreSQL's 63-byte limit kept), made unique among the
relations of the schema; every identifier is quoted where needed, and the Draft re-parses
its SQL with pglast before it exists.
"""
from __future__ import annotations

from ..catalog.names import qualified, quote_ident
from ..drafts import Draft
from .model import Candidate, fit_name


def taken_names(schema, schema_name: str) -> set[str]:
    """Relation names already used in ``schema_name`` (tables, views, indexes, sequences)."""
    objects = schema.objects
    names = {t.name for t in objects.tables if t.schema == schema_name}
    names |= {i.name for i in objects.indexes if i.schema == schema_name}
    names |= {s.name for s in objects.sequences if s.schema == schema_name}
    return names


def unique_name(candidate: Candidate, taken: set[str]) -> str:
    """The candidate's default name, numbered when it is taken; added to ``taken``."""
    name = candidate.default_name()
    number = 1
    while name in taken:
        number += 1
        name = fit_name(candidate.default_name()[:-len("_idx")], f"_{number}_idx")
    taken.add(name)
    return name


def up_sql(candidate: Candidate, name: str, extension_installed: bool = True) -> str:
    """The statements that create the index (and the extension it needs, if missing)."""
    lines = []
    if candidate.extension and not extension_installed:
        lines.append(f"CREATE EXTENSION IF NOT EXISTS {quote_ident(candidate.extension)};")
    lines.append(candidate.create_sql(name, concurrently=True) + ";")
    return "\n".join(lines)


def down_sql(candidate: Candidate, name: str) -> str:
    return f"DROP INDEX CONCURRENTLY IF EXISTS {qualified(candidate.schema, name)};"


def index_draft(candidate: Candidate, name: str, rationale: str, notes=(),
                extension_installed: bool = True) -> Draft:
    """The Draft that adds ``candidate`` as index ``name``."""
    title = f"Add index {name} on {candidate.schema}.{candidate.table}"
    extra = ()
    if candidate.extension and not extension_installed:
        extra = (f"creates the extension {candidate.extension}, which the down SQL leaves in place",)
    return Draft(title, up_sql(candidate, name, extension_installed), down_sql(candidate, name),
                 rationale=rationale, notes=tuple(notes) + extra)
