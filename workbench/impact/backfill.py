"""A column with a volatile default, added without rewriting the table: the column without its
default (a catalog change), ``SET DEFAULT`` in the same short transaction so new rows get it,
then the existing rows filled in batches, each its own transaction; ``NOT NULL`` last, through
a validated check (:mod:`.validation`)."""
from __future__ import annotations

import copy

from pglast.enums import AlterTableType, ConstrType

from . import sqlforms as sf
from .risk import volatile_calls
from .steps import Action, Alternative, Batch, Change, nothing_to_undo, step
from .validation import checked_steps, set_not_null_step

BATCH_ROWS = 10_000
VOLATILE_WHY = (
    "ADD COLUMN … DEFAULT {calls} gives each existing row a value of its own ({calls} is "
    "volatile), so PostgreSQL rewrites {table} and all its indexes under ACCESS EXCLUSIVE: "
    "reads and writes wait for the whole rewrite. Added without the default the column changes "
    "only the catalog; SET DEFAULT in the same short transaction gives new rows their value "
    "from then on; the existing rows are filled in batches of {rows:,}, each a short transaction "
    "that locks only its own rows.")
MEANWHILE = ("Existing rows read NULL in {column} until a batch reaches them (new rows get the "
             "default at once): the application must accept NULL there until the last batch has run.")
NOT_NULL_LAST = " NOT NULL comes last, once every row has a value."
ALLOWED = (ConstrType.CONSTR_DEFAULT, ConstrType.CONSTR_NOTNULL)


def backfilled_default(ctx, cmd) -> Change | None:
    """``ADD COLUMN c type [NOT NULL] DEFAULT volatile()`` → add, set default, backfill."""
    if cmd.subtype != AlterTableType.AT_AddColumn or ctx.is_new:
        return None
    column = cmd.def_
    constraints = column.constraints or ()
    default = next((c for c in constraints if c.contype == ConstrType.CONSTR_DEFAULT), None)
    if default is None or any(c.contype not in ALLOWED for c in constraints):
        return None
    calls = volatile_calls(default.raw_expr, ctx.schema)
    if not calls:
        return None
    name, table, value = column.colname, ctx.table_sql, sf.printed(default.raw_expr)
    plain = copy.copy(column)
    plain.constraints = None
    added = copy.copy(cmd)
    added.def_ = plain
    actions = (Action(added, (sf.alter(table, sf.drop_column(name)),)),
               Action(sf.parsed_command(table, sf.set_default(name, value)),
                      (sf.alter(table, sf.drop_default(name)),)))
    not_null = any(c.contype == ConstrType.CONSTR_NOTNULL for c in constraints)
    after = (backfill_step(table, name, value, f"{sf.quote_ident(name)} IS NULL"),
             *(not_null_steps(ctx, name) if not_null else ()))
    why = VOLATILE_WHY.format(calls=", ".join(f"{c}()" for c in dict.fromkeys(calls)),
                              table=ctx.table_name, rows=BATCH_ROWS)
    alternative = Alternative(ctx.number, "volatile default", f"ADD COLUMN {sf.printed(column)}", why,
                              MEANWHILE.format(column=name) + (NOT_NULL_LAST if not_null else ""),
                              needs_rewrite=True)
    return Change(alternative, actions=actions, after=after,
                  main_title=f"Add column {name} without its default, then SET DEFAULT")


def backfill_step(table: str, column: str, value: str, pending: str, *, undo: str = ""):
    """One batch of the backfill, as a step repeated until it updates no row."""
    why = undo or "the values go with the column the earlier step's down drops"
    return step(f"Backfill {column} in batches of {BATCH_ROWS:,}",
                sf.batch_update(table, column, value, pending, BATCH_ROWS), nothing_to_undo(why),
                notes=("one batch: run it again, each time in its own transaction, until it "
                       "updates no row",
                       "each batch locks only the rows it updates (ROW EXCLUSIVE on the table: "
                       "reads and writes go on)",
                       "on a large table, walk the primary key in ranges instead: each batch "
                       "here looks for rows still to fill from the start of the table"),
                batch=Batch(table, BATCH_ROWS,
                            f"UPDATE {table} SET {sf.quote_ident(column)} = {value} WHERE {pending};"))


def not_null_steps(ctx, column: str):
    """The NOT NULL of a backfilled column: a check NOT VALID, VALIDATE, SET NOT NULL."""
    check = ctx.new_name([ctx.table_name, column], "not_null_check")
    add, validate = checked_steps(ctx.table_sql, column, check)
    return add, validate, set_not_null_step(ctx.table_sql, column, check)
