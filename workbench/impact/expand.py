"""A rewriting type change (``int`` → ``bigint``) done by expand and contract:

1. expand: a new column of the new type, and a trigger copying each insert and update of the
   old column into it (catalog changes and a SHARE ROW EXCLUSIVE for the trigger: short);
2. backfill the existing rows in batches, each its own transaction;
3. for a NOT NULL column, a ``CHECK (new IS NOT NULL) NOT VALID`` and its ``VALIDATE``;
4. swap: rename the old column away and the new one into its name, move the default and the
   NOT NULL (trusting the check), and turn the trigger round to keep the old column filled;
5. contract, in a later release once nothing reads the old column: drop the trigger and
   the old column (a step for later: its down can bring the column back, but not its place
   among the columns).

It needs the column's current definition (a schema snapshot), and drafts nothing for a
column that indexes, constraints, identity, a sequence or other tables' foreign keys use:
those would have to be built again on the new column.
"""
from __future__ import annotations

from pglast.enums import AlterTableType

from ..catalog.names import derived_name, quote_ident
from ..drafts.builders.sqlparts import dollar_quoted
from . import sqlforms as sf
from .backfill import backfill_step
from .risk import type_change_rewrites
from .steps import Alternative, Change, NotSafer, Step, step
from .validation import checked_steps, restore_check

WHY = (
    "ALTER COLUMN {column} TYPE {new} rewrites {table} and all its indexes under ACCESS "
    "EXCLUSIVE ({old} is not binary-coercible to {new}): reads and writes wait for the whole "
    "rewrite. Expand and contract does it in short steps instead: a new column {new_column} "
    "kept in sync by a trigger, filled in batches, then swapped in by renaming (a catalog "
    "change); the old column is dropped last.")
MEANWHILE = (
    "The application keeps reading and writing {column} throughout. Until the swap, the "
    "trigger {trigger} copies every insert and update of {column} into {new_column}; after it, "
    "{column} is {new} and the trigger copies it back into {old_column} ({old}) for code that "
    "still reads that. Views, policies and functions reading {column} follow the column, not "
    "its name: after the swap they read {old_column}, so make them again in the swap step. The "
    "column comes last in the table from the swap on (SELECT * lists it there). The contract "
    "step, for a later release, drops {old_column} once nothing reads it.")
NEEDS_SNAPSHOT = ("expand and contract needs the column's current definition: pass "
                  "schema=workbench.inspect(session)")


def expand_and_contract(ctx, cmd) -> Change | NotSafer | None:
    """``ALTER COLUMN c TYPE t`` that rewrites → expand, backfill, swap, contract."""
    if cmd.subtype != AlterTableType.AT_AlterColumnType or ctx.is_new:
        return None
    column, definition = cmd.name, cmd.def_
    known = ctx.column(column)
    if not type_change_rewrites(known.type if known else None, definition.typeName, definition.raw_default):
        return None
    if known is None:
        return NotSafer(NEEDS_SNAPSHOT)
    users = column_users(ctx, column)
    if users or definition.collClause is not None:
        return NotSafer(f"{column} is used by {', '.join(users) or 'a COLLATE clause'}: expand and "
                        "contract would have to build those again on the new column; no safer "
                        "form is drafted for it")
    plan = Names.of(ctx, column)
    new_type = sf.printed(definition.typeName)
    forward_row, forward_new = conversions(column, new_type, definition.raw_default)
    sync = Sync(ctx, plan, forward_new, f"CAST(NEW.{quote_ident(column)} AS {known.type})")
    steps = [expand_step(ctx, plan, new_type, sync),
             backfill_step(ctx.table_sql, plan.new, forward_row,
                           f"{quote_ident(plan.new)} IS NULL AND {quote_ident(column)} IS NOT NULL",
                           undo="the values go with the column the expand step's down drops")]
    if not known.nullable:
        steps += checked_steps(ctx.table_sql, plan.new, plan.check)
    steps.append(swap_step(ctx, plan, known, sync))
    why = WHY.format(column=column, new=new_type, old=known.type, table=ctx.table_name, new_column=plan.new)
    meanwhile = MEANWHILE.format(column=column, new=new_type, old=known.type, trigger=plan.trigger,
                                 new_column=plan.new, old_column=plan.old)
    risky = f"ALTER COLUMN {quote_ident(column)} TYPE {new_type}"
    alternative = Alternative(ctx.number, "type change", risky, why, meanwhile, needs_rewrite=True)
    return Change(alternative, before=tuple(steps), later=(contract_step(ctx, plan, known, sync),))


def conversions(column: str, new_type: str, using) -> tuple[str, str]:
    """The new value from a row (for the backfill) and from ``NEW`` (for the trigger): the
    USING expression as written, or a cast."""
    if using is not None:
        return sf.printed(using), sf.printed(sf.on_new_row(using))
    return (f"CAST({quote_ident(column)} AS {new_type})",
            f"CAST(NEW.{quote_ident(column)} AS {new_type})")


def column_users(ctx, column: str) -> list[str]:
    """What besides its rows uses the column: indexes, constraints, foreign keys of other
    tables, identity or generation, an owned sequence."""
    table, schema = ctx.table, ctx.schema
    users = [f"index {i.name}" for i in table.indexes if column in i.columns]
    users += [f"constraint {c.name}" for c in table.constraints if column in c.columns]
    users += [f"foreign key {fk.name} of {fk.schema}.{fk.table}" for fk in schema.referenced_by(table)
              if column in fk.ref_columns]
    known = ctx.column(column)
    users += ["identity"] * bool(known.identity) + ["a generated expression"] * bool(known.generated)
    users += [f"sequence {s.name}" for s in schema.objects.sequences
              if s.owned_by == (table.schema, table.name, column)]
    return users


class Names:
    """The names expand and contract adds: the new and old columns, the sync trigger (and its
    function), the NOT NULL check."""

    def __init__(self, column: str, new: str, old: str, trigger: str, check: str, function: str):
        self.column, self.new, self.old = column, new, old
        self.trigger, self.check, self.function = trigger, check, function

    @classmethod
    def of(cls, ctx, column: str) -> Names:
        columns = {c.name for c in ctx.table.columns} | ctx.taken
        new = derived_name([column], "new", columns)
        old = derived_name([column], "old", columns | {new})
        ctx.taken |= {new, old}
        trigger = ctx.new_name([ctx.table_name, column], "sync")
        check = ctx.new_name([ctx.table_name, new], "not_null_check")
        return cls(column, new, old, trigger, check, sf.qualified_in(ctx.table_schema, trigger))


class Sync:
    """The trigger keeping both columns filled: forward (old → new) before the swap, backward
    (new → old) after it."""

    def __init__(self, ctx, plan: Names, forward: str, backward: str):
        self.ctx, self.plan = ctx, plan
        self.forward, self.backward = forward, backward

    def function(self, target: str, value: str, *, replace: bool = False) -> str:
        body = f"\nBEGIN\n    NEW.{quote_ident(target)} := {value};\n    RETURN NEW;\nEND\n"
        head = "CREATE OR REPLACE FUNCTION" if replace else "CREATE FUNCTION"
        return f"{head} {self.plan.function}() RETURNS trigger LANGUAGE plpgsql AS {dollar_quoted(body)};"

    def forward_function(self, *, replace: bool = False) -> str:
        return self.function(self.plan.new, self.forward, replace=replace)

    def backward_function(self, *, replace: bool = False) -> str:
        return self.function(self.plan.old, self.backward, replace=replace)

    def trigger(self) -> str:
        return (f"CREATE TRIGGER {quote_ident(self.plan.trigger)} BEFORE INSERT OR UPDATE ON "
                f"{self.ctx.whole_table_sql}\n    FOR EACH ROW EXECUTE FUNCTION {self.plan.function}();")

    def drop(self) -> list[str]:
        return [f"DROP TRIGGER {quote_ident(self.plan.trigger)} ON {self.ctx.whole_table_sql};",
                f"DROP FUNCTION {self.plan.function}();"]


def expand_step(ctx, plan: Names, new_type: str, sync: Sync) -> Step:
    table = ctx.table_sql
    return step(f"Expand: add {plan.new} {new_type}, kept in sync with {plan.column} by a trigger",
                [sf.alter(table, sf.add_column(plan.new, new_type)), sync.forward_function(), sync.trigger()],
                [*sync.drop(), sf.alter(table, sf.drop_column(plan.new))],
                rationale="Catalog changes; CREATE TRIGGER holds SHARE ROW EXCLUSIVE for a moment.")


def swap_step(ctx, plan: Names, known, sync: Sync) -> Step:
    """Renames, the default and NOT NULL moved to the new column, the trigger turned round."""
    table, column = ctx.table_sql, plan.column
    up = [sf.rename_column(table, column, plan.old), sf.rename_column(table, plan.new, column)]
    down: list[str] = []
    if known.default:
        up.append(sf.alter(table, sf.set_default(column, known.default)))
        down.append(sf.alter(table, sf.drop_default(column)))
    if not known.nullable:
        up += [sf.alter(table, sf.set_not_null(column)), sf.alter(table, sf.drop_constraint(plan.check))]
        down = [*restore_check(table, column, plan.check), sf.alter(table, sf.drop_not_null(column)), *down]
    up.append(sync.backward_function(replace=True))
    down += [sf.rename_column(table, column, plan.new), sf.rename_column(table, plan.old, column),
             sync.forward_function(replace=True)]
    return step(f"Swap: {plan.new} becomes {column}, the old column {plan.old}", up, down,
                rationale="Catalog changes under a short ACCESS EXCLUSIVE; SET NOT NULL trusts the "
                          "validated check and reads nothing.")


def contract_step(ctx, plan: Names, known, sync: Sync) -> Step:
    """The trigger and the old column dropped; down makes them again and copies the values
    back (a full-table UPDATE: rolling back is the expensive way)."""
    table = ctx.table_sql
    down = [sf.alter(table, sf.add_column(plan.old, known.type)),
            f"UPDATE {table} SET {quote_ident(plan.old)} = CAST({quote_ident(plan.column)} AS {known.type});"]
    if known.default:
        down.append(sf.alter(table, sf.set_default(plan.old, known.default)))
    if not known.nullable:
        down.append(sf.alter(table, sf.set_not_null(plan.old)))
    down += [sync.backward_function(), sync.trigger()]
    return step(f"Contract: drop {plan.old} and the sync trigger",
                [*sync.drop(), sf.alter(table, sf.drop_column(plan.old))], down,
                notes=("run it in a later release, once no code reads the old column",
                       "its down copies the values back with a full-table UPDATE; the old column "
                       "comes back last in the table, not in its old place"),
                rationale="Catalog changes under a short ACCESS EXCLUSIVE: DROP COLUMN rewrites nothing.")
