"""Columns: add, alter, drop, rename, with the lock-friendly pattern where one exists.

A NOT NULL column without a default is added in steps that never hold a long lock: add it
nullable, backfill it, add a ``CHECK (… IS NOT NULL) NOT VALID``, validate it, ``SET NOT NULL``
(which trusts the validated check instead of scanning), and drop the check.
"""
from __future__ import annotations

from ..draft import Draft, DraftError
from .compose import draft_of
from .names import constraint_names, derived
from .ops import (AddCheck, AddColumn, AlterColumnType, Backfill, ColumnDef, DropColumn,
                  DropConstraint, Op, Reference, RenameColumn, RenameTable, SetDefault,
                  SetNotNull, ValidateConstraint)
from .sqlparts import quote_ident

UNSET = object()
SEPARATE_NOTE = ("in one transaction the lock of ADD CONSTRAINT is held through VALIDATE: on a busy "
                 "table, commit the steps separately (one migration each)")


def not_null_steps(schema: str, table: str, column: str, backfill: str | None,
                   snapshot=None) -> list[Op]:
    """Backfill, ``CHECK NOT VALID``, ``VALIDATE``, ``SET NOT NULL``, drop the check."""
    # not "<table>_<column>_not_null": PostgreSQL 18 gives that name to the NOT NULL itself
    check = derived([table, column], "not_null_check", constraint_names(snapshot, schema, table))
    condition = f"{quote_ident(column)} IS NOT NULL"
    steps: list[Op] = [Backfill(schema, table, column, backfill)] if backfill is not None else []
    return steps + [_TemporaryCheck(schema, table, check, condition, not_valid=True),
                    ValidateConstraint(schema, table, check),
                    SetNotNull(schema, table, column),
                    _Dropped(schema, table, check)]


class _TemporaryCheck(AddCheck):
    """The helper check: dropped again within the same steps, so nothing to undo."""

    def reverse(self) -> None:
        return None


class _Dropped(DropConstraint):
    """The helper check dropped again (nothing to undo: it was added in the same steps)."""

    def reverse(self) -> None:
        return None


def add_column(schema: str, table: str, name: str, type: str, *, not_null: bool = False,
               default: str | None = None, backfill: str | None = None,
               references: Reference | None = None, snapshot=None) -> Draft:
    """Add a column. NOT NULL without a default uses the safe pattern (see the module doc);
    ``backfill`` is the SQL value existing rows get."""
    col = ColumnDef(name, type, not_null=not_null, default=default, references=references)
    title = f"Add column {name} to {schema}.{table}"
    if not (not_null and default is None):
        return draft_of(title, [AddColumn(schema, table, col)])
    ops = [AddColumn(schema, table, col.nullable()),
           *not_null_steps(schema, table, name, backfill, snapshot)]
    notes = ["added nullable first, then NOT NULL through a validated CHECK: no long lock",
             SEPARATE_NOTE]
    if backfill is None:
        notes.append(f"existing rows need a value for {name} before VALIDATE: pass backfill=… "
                     "(on a big table, backfill in batches)")
    return draft_of(title, ops, down_ops=[DropColumn(schema, table, col)], notes=notes,
                    rationale=f"{name} is required; existing rows are filled first.")


def column_of(snapshot, schema: str, table: str, name: str):
    """The catalog column ``schema.table.name`` (a clear error when it is unknown)."""
    if snapshot is None:
        raise DraftError(f"the current definition of {schema}.{table}.{name} is needed",
                         hint="pass snapshot=workbench.inspect(session)")
    try:
        return snapshot.table((schema, table)).column(name)
    except KeyError:
        raise DraftError(f"no column {name!r} in {schema}.{table}") from None


def drop_column(schema: str, table: str, name: str, *, snapshot) -> Draft:
    """Drop a column; down re-adds it as the snapshot shows it (empty: the data is gone),
    with the indexes and constraints that went with it."""
    old = column_of(snapshot, schema, table, name)
    col = ColumnDef(name, old.type, not_null=not old.nullable, default=old.default)
    restore = _dependents(snapshot.table((schema, table)), name)
    down = [AddColumn(schema, table, col.nullable()) if col.not_null and col.default is None
            else AddColumn(schema, table, col)]
    if col.not_null and col.default is None:
        down.append(SetNotNull(schema, table, name))
    return Draft(f"Drop column {name} from {schema}.{table}",
                 DropColumn(schema, table, col).up_sql(),
                 "\n".join([*(op.up_sql() for op in down), *restore]),
                 rationale=f"{name} is no longer used.",
                 notes=(f"the data in {name} is lost; down re-creates the column empty, "
                        "at the end of the table",))


def _dependents(table, name: str) -> list[str]:
    """SQL re-creating the indexes and constraints on ``table`` that use column ``name``."""
    sql = [f"ALTER TABLE {table.qualname} ADD CONSTRAINT {quote_ident(c.name)} {c.definition};"
           for c in table.constraints if name in c.columns]
    backing = {c.name for c in table.constraints}
    sql += [i.definition + ";" for i in table.indexes
            if name in i.columns and i.constraint not in backing and not i.primary]
    return sql


def alter_column(schema: str, table: str, name: str, *, type: str | None = None,
                 using: str | None = None, not_null: bool | None = None, default=UNSET,
                 backfill: str | None = None, snapshot) -> Draft:
    """Change a column's type, nullability and/or default; down restores what the snapshot
    shows. NOT NULL goes through a validated CHECK (no long lock)."""
    old = column_of(snapshot, schema, table, name)
    ops: list[Op] = []
    if type is not None and type != old.type:
        ops.append(AlterColumnType(schema, table, name, type, old.type, using))
    if default is not UNSET and default != old.default:
        ops.append(SetDefault(schema, table, name, default, old.default))
    if not_null is True and old.nullable:
        ops += not_null_steps(schema, table, name, backfill, snapshot)
    elif not_null is False and not old.nullable:
        ops.append(SetNotNull(schema, table, name, False))
    if not ops:
        raise DraftError(f"nothing to change on {schema}.{table}.{name}")
    notes = ["changing the type rewrites the table under an exclusive lock"] if type else []
    notes += [SEPARATE_NOTE] if not_null is True and old.nullable else []
    return draft_of(f"Alter column {name} of {schema}.{table}", ops, notes=notes)


def rename_column(schema: str, table: str, old: str, new: str) -> Draft:
    """Rename a column (code reading the old name breaks: deploy together)."""
    return draft_of(f"Rename column {old} of {schema}.{table} to {new}",
                    [RenameColumn(schema, table, old, new)],
                    notes=("queries, views' callers and application code using the old name "
                           "must change in the same release",))


def rename_table(schema: str, old: str, new: str) -> Draft:
    """Rename a table."""
    return draft_of(f"Rename table {schema}.{old} to {new}", [RenameTable(schema, old, new)],
                    notes=("application code using the old name must change in the same release",))
