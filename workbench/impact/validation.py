"""Constraints that read every row as they are added, made safe by validating later:

- a foreign key or a CHECK is added ``NOT VALID`` (a catalog change: new rows are checked
  from then on) and validated by ``VALIDATE CONSTRAINT`` in a transaction of its own, which
  reads the rows under SHARE UPDATE EXCLUSIVE: reads and writes go on;
- ``SET NOT NULL`` goes through a ``CHECK (col IS NOT NULL) NOT VALID``, validated the same
  way; ``SET NOT NULL`` then trusts the validated check instead of reading the table
  (PostgreSQL 12+), and the check is dropped by a statement of its own (in the same ALTER
  TABLE, PostgreSQL would drop it first and SET NOT NULL would read the table again).
"""
from __future__ import annotations

import copy

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from . import sqlforms as sf
from .steps import Action, Alternative, Change, NotSafer, Step, Trailing, step

FOREIGN_KEY_WHY = (
    "ADD FOREIGN KEY reads every row of {table} and looks each one up in {ref} while it holds "
    "SHARE ROW EXCLUSIVE on both tables (ACCESS EXCLUSIVE when another command of the statement "
    "needs it): writes wait for the whole scan. Added NOT VALID it only changes the catalog, and "
    "new rows are checked from then on; VALIDATE CONSTRAINT then reads the existing rows under "
    "SHARE UPDATE EXCLUSIVE, which lets reads and writes go on, in a transaction of its own.")
CHECK_WHY = (
    "ADD CONSTRAINT … CHECK reads every row of {table} under ACCESS EXCLUSIVE: reads and writes "
    "wait for the whole scan. Added NOT VALID it only changes the catalog, and new rows are "
    "checked from then on; VALIDATE CONSTRAINT then reads the existing rows under SHARE UPDATE "
    "EXCLUSIVE, which lets reads and writes go on, in a transaction of its own.")
NOT_NULL_WHY = (
    "SET NOT NULL reads every row of {table} under ACCESS EXCLUSIVE: reads and writes wait for "
    "the whole scan. A CHECK ({column} IS NOT NULL) added NOT VALID and validated in its own "
    "transaction reads the rows under SHARE UPDATE EXCLUSIVE instead (reads and writes go on); "
    "SET NOT NULL then trusts the validated check and reads nothing (PostgreSQL 12+), and the "
    "check, now redundant, is dropped in the same short transaction.")
NOT_VALID_ON_PARTITIONED = 180000  # a NOT VALID foreign key on a partitioned table, PostgreSQL 18+
VALIDATE_NOTE = ("VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE: reads and writes go on while it "
                 "reads the rows")


def validating(constraint) -> bool:
    """A foreign key or CHECK added without NOT VALID (its rows are read as it is added)."""
    return (isinstance(constraint, ast.Constraint)
            and constraint.contype in (ConstrType.CONSTR_FOREIGN, ConstrType.CONSTR_CHECK)
            and not constraint.skip_validation)


def validate_later(ctx, cmd) -> Change | NotSafer | None:
    """``ADD CONSTRAINT … FOREIGN KEY|CHECK`` → the same ``NOT VALID``, then ``VALIDATE``."""
    if cmd.subtype != AlterTableType.AT_AddConstraint or not validating(cmd.def_) or ctx.is_new:
        return None
    constraint = cmd.def_
    foreign = constraint.contype == ConstrType.CONSTR_FOREIGN
    if foreign and ctx.partitioned and ctx.schema.server_version_num < NOT_VALID_ON_PARTITIONED:
        return NotSafer("PostgreSQL before 18 cannot add a foreign key NOT VALID to a partitioned "
                        "table: add it to each partition NOT VALID, validate those, then to the parent")
    name = constraint.conname or default_name(ctx, constraint)
    not_valid = copy.copy(constraint)
    not_valid.conname, not_valid.skip_validation, not_valid.initially_valid = name, True, False
    added = copy.copy(cmd)
    added.def_ = not_valid
    table = ctx.table_sql
    drop = sf.alter(table, sf.drop_constraint(name))
    why = (FOREIGN_KEY_WHY.format(table=ctx.table_name, ref=sf.relation(constraint.pktable))
           if foreign else CHECK_WHY.format(table=ctx.table_name))
    later = step(f"Validate {name}", sf.alter(table, sf.validate(name)),
                 [drop, sf.alter(table, "ADD " + sf.printed(not_valid))], notes=(VALIDATE_NOTE,),
                 rationale="Reads the existing rows; the down SQL puts the constraint back NOT VALID.")
    alternative = Alternative(ctx.number, "foreign key" if foreign else "check",
                              f"ADD {sf.printed(constraint)}", why)
    return Change(alternative, actions=(Action(added, (drop,)),), after=(later,),
                  main_title=f"Add {name} NOT VALID")


def default_name(ctx, constraint) -> str:
    """The name PostgreSQL would give: ``table_col_fkey``, ``table_col_check``."""
    if constraint.contype == ConstrType.CONSTR_FOREIGN:
        return ctx.new_name([ctx.table_name, *(a.sval for a in constraint.fk_attrs)], "fkey")
    return ctx.new_name([ctx.table_name, *sf.column_refs(constraint.raw_expr)[:1]], "check")


def not_null_through_check(ctx, cmd) -> Change | None:
    """``ALTER COLUMN c SET NOT NULL`` → a validated ``CHECK (c IS NOT NULL)`` first."""
    if cmd.subtype != AlterTableType.AT_SetNotNull or ctx.is_new:
        return None
    known = ctx.column(cmd.name)
    if known is not None and not known.nullable:
        return None  # already NOT NULL: PostgreSQL reads nothing
    check = ctx.new_name([ctx.table_name, cmd.name], "not_null_check")
    add, validate = checked_steps(ctx.table_sql, cmd.name, check)
    table = ctx.table_sql
    dropped = Trailing(sf.alter(table, sf.drop_constraint(check)), restore_check(table, cmd.name, check))
    alternative = Alternative(ctx.number, "set not null",
                              f"ALTER COLUMN {sf.quote_ident(cmd.name)} SET NOT NULL",
                              NOT_NULL_WHY.format(table=ctx.table_name, column=cmd.name))
    return Change(alternative, before=(add, validate),
                  actions=(Action(cmd, (sf.alter(table, sf.drop_not_null(cmd.name)),)),),
                  main_title=f"SET NOT NULL on {cmd.name}, trusting {check}", trailing=(dropped,))


def checked_steps(table: str, column: str, check: str) -> tuple[Step, Step]:
    """``CHECK (column IS NOT NULL) NOT VALID`` and its ``VALIDATE``, each a step."""
    condition = sf.not_null_condition(column)
    drop = sf.alter(table, sf.drop_constraint(check))
    add = step(f"Check {column} IS NOT NULL, NOT VALID", sf.alter(table, sf.add_check(check, condition)),
               drop, rationale="A catalog change: new and updated rows are checked from now on.")
    validate = step(f"Validate {check}", sf.alter(table, sf.validate(check)),
                    [drop, sf.alter(table, sf.add_check(check, condition))], notes=(VALIDATE_NOTE,),
                    rationale="Reads the existing rows; the down SQL puts the check back NOT VALID.")
    return add, validate


def restore_check(table: str, column: str, check: str) -> tuple[str, ...]:
    """The validated check made again (the down of dropping it)."""
    return (sf.alter(table, sf.add_check(check, sf.not_null_condition(column))),
            sf.alter(table, sf.validate(check)))


def set_not_null_step(table: str, column: str, check: str) -> Step:
    """``SET NOT NULL`` trusting the validated check, then the check dropped, in one step (two
    statements: in one ALTER TABLE the drop would come first, and SET NOT NULL would read
    the table)."""
    return step(f"SET NOT NULL on {column}, trusting {check}",
                [sf.alter(table, sf.set_not_null(column)), sf.alter(table, sf.drop_constraint(check))],
                [*restore_check(table, column, check), sf.alter(table, sf.drop_not_null(column))],
                rationale="Reads nothing: PostgreSQL 12+ sees the validated check proves it.")
