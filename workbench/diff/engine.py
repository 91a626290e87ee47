"""``diff_sql(before, after)``: the migration from one schema snapshot to another, both ways.

The up statements take *before* to *after*; the down statements are the same planner run
from *after* back to *before*, so both directions are derived, never hand-written. Kinds are
planned in the order their decisions flow (a function recreated makes its triggers and
policies recreated; a column retyped makes its views recreated), and the statements are
ordered by phase (see :mod:`.phases`).
"""
from __future__ import annotations

from dataclasses import replace

from ..catalog import Schema
from . import columns as _columns  # noqa: F401  (planned from tables)
from . import (comments, constraints, default_privileges, functions, grants, indexes, policies, schemas,
               sequences, tables, triggers, types, views)
from .model import DiffError, Migration
from .planner import Planner
from .renames import Renames, questions_between

# Bookkeeping tables of migration tools: never part of a design.
IGNORED_TABLES = ("alembic_version",)

KINDS = (schemas, types, sequences, functions, tables, views, constraints, indexes, triggers, policies,
         grants, default_privileges, comments)


def plan(before: Schema, after: Schema, renames: Renames) -> Planner:
    """The planner of one direction, with its statements and notes."""
    planner = Planner(renames.apply(before, planner_side="before"), after)
    renames.emit(planner)
    for kind in KINDS:
        kind.plan(planner)
    return planner


def diff_sql(before: Schema, after: Schema, *, renames: dict | None = None,
             allow_destructive: bool = False) -> Migration:
    """The :class:`Migration` from ``before`` to ``after``: ordered up and down statements,
    notes, the up statements that may lose data, and possible renames to confirm.

    ``renames`` maps old names to new ones: ``{"schema.old_table": "schema.new_table",
    "schema.table.old_column": "new_column"}``. Without ``allow_destructive=True`` a
    migration that may lose data raises :class:`DiffError` naming each such statement.
    """
    before, after = without_bookkeeping(before), without_bookkeeping(after)
    chosen = Renames.of(renames, before, after)
    up = plan(before, after, chosen)
    down = plan(after, before, chosen.inverse())
    migration = Migration(up.ordered(), down.ordered(), tuple(up.notes),
                          questions_between(before, after, chosen), before, after)
    if migration.destructive and not allow_destructive:
        raise refusal(migration)
    return migration


def refusal(migration: Migration) -> DiffError:
    """The error for a migration that may lose data: each statement, and the renames to ask."""
    error = DiffError(
        "the migration may lose data: " + "; ".join(s.destructive for s in migration.destructive),
        where=" | ".join(s.sql.splitlines()[0] for s in migration.destructive),
        hint=("pass allow_destructive=True (CLI: --allow-destructive) if that is intended"
              + (", or say which are renames: " + " ".join(q.text for q in migration.questions)
                 if migration.questions else "")))
    error.questions = migration.questions
    return error


def without_bookkeeping(schema: Schema) -> Schema:
    """``schema`` without the migration tools' own tables (``alembic_version``)."""
    objects = schema.objects
    if not any(t.name in IGNORED_TABLES for t in objects.tables):
        return schema
    tables = tuple(t for t in objects.tables if t.name not in IGNORED_TABLES)
    grants = tuple(g for g in objects.grants if g.name not in IGNORED_TABLES)
    return replace(schema, objects=replace(objects, tables=tables, grants=grants))
