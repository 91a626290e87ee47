"""Schema snapshots for convergence checks: Alembic's own bookkeeping left out, and the
differences between two snapshots in words that name each object."""
from __future__ import annotations

from dataclasses import replace

from ..catalog import Schema, SchemaDiff, diff
from ..session import Session

VERSION_TABLE = "alembic_version"


def snapshot(session: Session) -> Schema:
    """The schema of the session's database, without Alembic's version table."""
    from ..catalog import inspect

    return without_version_table(inspect(session))


def without_version_table(schema: Schema) -> Schema:
    """``schema`` without ``alembic_version`` (it appears with the first upgrade, and stays)."""
    objects = schema.objects
    tables = tuple(t for t in objects.tables if t.name != VERSION_TABLE)
    grants = tuple(g for g in objects.grants if g.name != VERSION_TABLE)
    if len(tables) == len(objects.tables) and len(grants) == len(objects.grants):
        return schema
    return replace(schema, objects=replace(objects, tables=tables, grants=grants))


def differences(before: Schema, after: Schema, words: dict[str, str] | None = None) -> tuple[str, ...]:
    """Each change from ``before`` to ``after`` as ``<words[action]>: <kind> <name>``."""
    words = words or {"added": "added", "removed": "removed", "changed": "changed"}
    return describe(diff(before, after), words)


def describe(changes: SchemaDiff, words: dict[str, str]) -> tuple[str, ...]:
    """The changes in words, ``(fields)`` after a changed object."""
    lines = []
    for change in changes:
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        lines.append(f"{words[change.action]}: {change.kind} {change.name}{fields}")
    return tuple(lines)


LEFT_BEHIND = {"added": "left behind", "removed": "not restored", "changed": "changed"}
REPEATED = {"added": "only after upgrading again", "removed": "missing after upgrading again",
            "changed": "different after upgrading again"}
DRIFT = {"added": "only in the development database", "removed": "missing from the development database",
         "changed": "different in the development database"}
HEAD_VS_STAIRWAY = {"added": "only after the stairway", "removed": "missing after the stairway",
                    "changed": "different after the stairway"}
