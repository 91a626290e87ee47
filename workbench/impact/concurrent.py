"""Indexes built without blocking writes:

- ``CREATE INDEX`` holds SHARE on the table while it reads every row: writes wait.
  ``CREATE INDEX CONCURRENTLY`` holds SHARE UPDATE EXCLUSIVE instead (reads and writes go
  on), reads the table twice and cannot run in a transaction block: a step of its own.
- ``ADD UNIQUE`` (``ADD PRIMARY KEY``) builds its index under ACCESS EXCLUSIVE: the unique
  index is built concurrently first, then ``ADD CONSTRAINT … UNIQUE USING INDEX`` makes it
  the constraint's, a catalog change.
"""
from __future__ import annotations

import copy

from pglast import ast
from pglast.enums import AlterTableType, ConstrType

from ..catalog.names import quote_ident
from . import sqlforms as sf
from .steps import Action, Alternative, Change, NotSafer, Step, step

INDEX_WHY = (
    "CREATE INDEX holds SHARE on {table} while it reads every row and sorts them: reads go on, "
    "but every INSERT, UPDATE and DELETE waits for the whole build. CREATE INDEX CONCURRENTLY "
    "holds SHARE UPDATE EXCLUSIVE instead (reads and writes go on); it reads the table twice "
    "and waits for transactions already running, so it takes longer, and it cannot run in a "
    "transaction block: it is a step of its own.")
UNIQUE_WHY = (
    "ADD {what} builds its unique index under ACCESS EXCLUSIVE on {table}: reads and writes "
    "wait for the whole build. The index is built CONCURRENTLY first (SHARE UPDATE EXCLUSIVE: "
    "reads and writes go on); ADD CONSTRAINT … USING INDEX then makes it the constraint's "
    "index, a catalog change under a short ACCESS EXCLUSIVE.")
ON_PARTITIONED = ("CREATE INDEX CONCURRENTLY cannot build on a partitioned table: build each "
                  "partition's index concurrently, then CREATE INDEX ON ONLY the parent and ATTACH "
                  "PARTITION each one")
CONCURRENT_NOTES = (
    "CONCURRENTLY does not block writes; it runs outside a transaction block",
    "the trace cannot run it in its rolled-back transaction: it reports the documented SHARE "
    "UPDATE EXCLUSIVE lock and no time",
    "if it fails (a duplicate key, a cancel), it leaves an INVALID index behind: drop it and "
    "run the step again")


def concurrent_index(ctx, stmt) -> Change | NotSafer | None:
    """``CREATE INDEX`` → ``CREATE INDEX CONCURRENTLY`` (named, so its down can drop it)."""
    if not isinstance(stmt, ast.IndexStmt) or stmt.concurrent or ctx.is_new:
        return None
    if ctx.partitioned:
        return NotSafer(ON_PARTITIONED)
    built = copy.copy(stmt)
    built.concurrent = True
    built.idxname = stmt.idxname or ctx.new_name([ctx.table_name, *key_labels(stmt)], "idx")
    ctx.taken.add(built.idxname)
    where = ctx.table_schema
    index_step = step(f"Build index {built.idxname} concurrently", sf.printed(built) + ";",
                      f"DROP INDEX CONCURRENTLY IF EXISTS {sf.qualified_in(where, built.idxname)};",
                      notes=CONCURRENT_NOTES)
    alternative = Alternative(ctx.number, "create index", sf.printed(stmt),
                              INDEX_WHY.format(table=ctx.table_name))
    return Change(alternative, before=(index_step,))


def key_labels(stmt: ast.IndexStmt) -> list[str]:
    """What each key adds to a default index name: the column, or ``expr``."""
    return [param.name or "expr" for param in stmt.indexParams]


def unique_over_index(ctx, cmd) -> Change | None:
    """``ADD [CONSTRAINT n] UNIQUE|PRIMARY KEY (cols)`` → the unique index built
    concurrently, then the constraint over it."""
    if cmd.subtype != AlterTableType.AT_AddConstraint or ctx.is_new or ctx.partitioned:
        return None
    constraint = cmd.def_
    kind = getattr(constraint, "contype", None)
    if kind not in (ConstrType.CONSTR_UNIQUE, ConstrType.CONSTR_PRIMARY) or constraint.indexname \
            or constraint.options or constraint.indexspace or not constraint.keys:
        return None
    columns = [key.sval for key in constraint.keys]
    primary = kind == ConstrType.CONSTR_PRIMARY
    if primary and not all_not_null(ctx, columns):
        return None  # ADD PRIMARY KEY would set NOT NULL, reading the table: not this pattern
    name = constraint.conname or ctx.new_name([ctx.table_name, *([] if primary else columns)],
                                              "pkey" if primary else "key")
    ctx.taken.add(name)
    index_step = unique_index_step(ctx, name, constraint, columns)
    what = "PRIMARY KEY" if primary else "UNIQUE"
    over = sf.parsed_command(ctx.table_sql, f"ADD CONSTRAINT {quote_ident(name)} {what} USING INDEX "
                                            f"{quote_ident(name)}{deferral(constraint)}")
    down = (sf.alter(ctx.table_sql, sf.drop_constraint(name)),)
    alternative = Alternative(ctx.number, "primary key" if primary else "unique",
                              f"ADD {sf.printed(constraint)}",
                              UNIQUE_WHY.format(what=what, table=ctx.table_name))
    return Change(alternative, before=(index_step,), actions=(Action(over, down),),
                  main_title=f"Make {name} the {what} constraint over its index")


def unique_index_step(ctx, name: str, constraint, columns: list[str]) -> Step:
    """``CREATE UNIQUE INDEX CONCURRENTLY name ON table (columns)``, as its own step."""
    keys = ", ".join(quote_ident(c) for c in columns)
    include = f" INCLUDE ({', '.join(quote_ident(k.sval) for k in constraint.including)})" \
        if constraint.including else ""
    nulls = " NULLS NOT DISTINCT" if constraint.nulls_not_distinct else ""
    up = (f"CREATE UNIQUE INDEX CONCURRENTLY {quote_ident(name)} ON {ctx.whole_table_sql} "
          f"({keys}){include}{nulls};")
    down = f"DROP INDEX CONCURRENTLY IF EXISTS {sf.qualified_in(ctx.table_schema, name)};"
    return step(f"Build unique index {name} concurrently", up, down,
                notes=(*CONCURRENT_NOTES, "the next step's down drops the index with the constraint"))


def deferral(constraint) -> str:
    if not constraint.deferrable:
        return ""
    return " DEFERRABLE INITIALLY DEFERRED" if constraint.initdeferred else " DEFERRABLE"


def all_not_null(ctx, columns: list[str]) -> bool:
    """Whether the snapshot shows every column NOT NULL (False without a snapshot)."""
    found = [ctx.column(c) for c in columns]
    return all(c is not None and not c.nullable for c in found)
