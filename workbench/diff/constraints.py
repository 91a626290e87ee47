"""Constraints: primary keys, unique, check, exclusion and foreign keys.

On a table that already holds rows, a new foreign key or check is added ``NOT VALID`` and then
validated, so the long scan does not block writes. A constraint whose only change is being
validated gets ``VALIDATE CONSTRAINT``. Constraints a partition inherits come with it. A
check that reads a column moved to a recreated enum, or calls a recreated function, is dropped
and added again.
"""
from __future__ import annotations

from functools import lru_cache

import pglast
from pglast import ast
from pglast.stream import RawStream

from ..catalog.model import Constraint, ForeignKey, Table
from . import phases
from .sqltext import concurrent_index, quote_ident

COMPARED = ("kind", "deferrable", "deferred")


def plan(p) -> None:
    """Add, drop, rename, rebuild and validate the constraints of every table."""
    for table in p.added_tables(("table", "partitioned")):
        for constraint in own_constraints(table):
            add(p, table, constraint, new_table=True)
    for old, new in p.kept_tables(("table", "partitioned")):
        plan_table(p, old, new)


def own_constraints(table: Table) -> list[Constraint]:
    """The constraints ``table`` declares itself (not those a partition inherits)."""
    return [c for c in table.constraints if not c.inherited]


def plan_table(p, old: Table, new: Table) -> None:
    """The constraint changes of one table both snapshots hold."""
    was = {c.name: c for c in (old.constraints if detached(old, new) else own_constraints(old))}
    now = {c.name: c for c in own_constraints(new)}
    for old_name, new_name in renamed(was, now):
        p.emit(phases.RENAME, f"ALTER TABLE {new.qualname} RENAME CONSTRAINT {quote_ident(old_name)} "
               f"TO {quote_ident(new_name)};", f"{new.qualname}.{new_name}", order=3)
        was[new_name] = now[new_name]
        del was[old_name]
    for name in sorted(was.keys() - now.keys()):
        drop(p, old, was[name])
    for name in sorted(now.keys() - was.keys()):
        add(p, new, now[name], new_table=False)
    for name in sorted(was.keys() & now.keys()):
        before, after = was[name], now[name]
        if only_deferrability(before, after):
            alter_deferrability(p, new, after)
            if not before.validated and after.validated:
                validate(p, new, after)
        elif not same_shape(before, after) or (before.validated and not after.validated) \
                or must_rebuild(p, new, after):
            drop(p, old, before)
            add(p, new, after, new_table=False)
        elif not before.validated and after.validated:
            validate(p, new, after)


def must_rebuild(p, table: Table, constraint: Constraint) -> bool:
    """Whether a constraint must be dropped and added again although it is unchanged: a
    foreign key to a table that is rebuilt, or a check that reads a column moved to a
    recreated enum (its labels would keep the old type) or calls a recreated function."""
    if isinstance(constraint, ForeignKey):
        return constraint.ref_key in p.rebuilt_tables
    if constraint.kind != "check" or not (p.recast_columns or p.recreated_functions):
        return False
    if any((table.key, column) in p.recast_columns for column in constraint.columns):
        return True
    return p.calls_recreated_function(constraint.definition)


def detached(old: Table, new: Table) -> bool:
    """Whether ``old`` leaves its partitioned parent: the constraints it inherited stay, its own."""
    return bool(old.partition_of) and not new.partition_of


def renamed(was: dict, now: dict) -> list[tuple[str, str]]:
    """Constraints that only changed name (one removed, one added, same shape): renamed."""
    gone = sorted(was.keys() - now.keys())
    came = sorted(now.keys() - was.keys())
    pairs = []
    for name in gone:
        matches = [n for n in came if same_shape(was[name], now[n]) and
                   was[name].validated == now[n].validated]
        if len(matches) == 1:
            pairs.append((name, matches[0]))
            came.remove(matches[0])
    return pairs


def only_deferrability(a: Constraint, b: Constraint) -> bool:
    """Whether two foreign keys differ in being deferrable or initially deferred only."""
    if a.kind != "foreign key" or b.kind != "foreign key" or \
            (a.deferrable, a.deferred) == (b.deferrable, b.deferred):
        return False
    return body(a.definition, timing=False) == body(b.definition, timing=False)


def alter_deferrability(p, table: Table, constraint: Constraint) -> None:
    """``ALTER CONSTRAINT … DEFERRABLE`` (foreign keys only: PostgreSQL cannot alter others)."""
    timing = "NOT DEFERRABLE" if not constraint.deferrable else \
        f"DEFERRABLE INITIALLY {'DEFERRED' if constraint.deferred else 'IMMEDIATE'}"
    p.emit(phases.ADD_FOREIGN_KEY, f"ALTER TABLE {table.qualname} ALTER CONSTRAINT "
           f"{quote_ident(constraint.name)} {timing};", f"{table.qualname}.{constraint.name}")


def same_shape(a: Constraint, b: Constraint) -> bool:
    """Whether two constraints are the same apart from being validated (and comments)."""
    if any(getattr(a, f) != getattr(b, f) for f in COMPARED):
        return False
    return a.definition == b.definition or body(a.definition) == body(b.definition)


@lru_cache(maxsize=65536)
def body(definition: str, *, timing: bool = True) -> str:
    """A constraint definition without its ``NOT VALID`` mark (nor, unless ``timing``, its
    ``DEFERRABLE``), as an ``ALTER TABLE`` text."""
    node = parsed(definition)
    node.skip_validation = False
    if not timing:
        node.deferrable = node.initdeferred = False
    return RawStream()(node)


def parsed(definition: str) -> ast.Constraint:
    """A constraint definition (``pg_get_constraintdef``) as pglast's node."""
    stmt = pglast.parse_sql(f"ALTER TABLE t ADD CONSTRAINT c {definition}")[0].stmt
    return stmt.cmds[0].def_


def add(p, table: Table, constraint: Constraint, *, new_table: bool) -> None:
    """``ADD CONSTRAINT``. On a table that already holds rows, foreign keys and checks go
    ``NOT VALID`` first and are validated after; unique keys and primary keys get their index
    built ``CONCURRENTLY`` first, then become constraints ``USING INDEX``."""
    target = table.qualname
    live = not new_table and table.kind == "table" and not table.partition_of
    index = backing_index(table, constraint)
    if live and index is not None:
        add_using_index(p, table, constraint, index)
        return
    is_fk = isinstance(constraint, ForeignKey)
    phase = phases.ADD_FOREIGN_KEY if is_fk else phases.ADD_CONSTRAINT
    defer = constraint.kind in ("foreign key", "check") and not new_table and \
        table.kind != "partitioned"
    sql = f"ALTER TABLE {target} ADD CONSTRAINT {quote_ident(constraint.name)} " \
          f"{definition_text(constraint, bool(defer or not constraint.validated))};"
    p.emit(phase, sql, f"{target}.{constraint.name}")
    if defer and constraint.validated:
        validate(p, table, constraint)


def definition_text(constraint: Constraint, not_valid: bool) -> str:
    """The constraint's definition as PostgreSQL printed it, marked ``NOT VALID`` or not."""
    node = parsed(constraint.definition)
    if node.skip_validation == not_valid:
        return constraint.definition
    if not_valid:
        return f"{constraint.definition} NOT VALID"
    node.skip_validation = False
    node.conname = None
    return RawStream()(node)


def backing_index(table: Table, constraint: Constraint):
    """The index a unique or primary key constraint owns (None for other kinds)."""
    if constraint.kind not in ("unique", "primary key"):
        return None
    return next((i for i in table.indexes if i.constraint == constraint.name), None)


def add_using_index(p, table: Table, constraint: Constraint, index) -> None:
    """The index built without blocking writes, then the constraint made from it (the
    ``ADD CONSTRAINT`` itself takes its lock only for a moment)."""
    p.emit(phases.CREATE_INDEX, concurrent_index(index.definition), f"{table.qualname}.{index.name}",
           transactional=False)
    kind = "PRIMARY KEY" if constraint.kind == "primary key" else "UNIQUE"
    timing = ""
    if constraint.deferrable:
        timing = " DEFERRABLE INITIALLY DEFERRED" if constraint.deferred else " DEFERRABLE"
    p.emit(phases.ADD_FOREIGN_KEY, f"ALTER TABLE {table.qualname} ADD CONSTRAINT "
           f"{quote_ident(constraint.name)} {kind} USING INDEX {quote_ident(index.name)}{timing};",
           f"{table.qualname}.{constraint.name}", order=-1)


def validate(p, table: Table, constraint: Constraint) -> None:
    """``VALIDATE CONSTRAINT``: the scan that a ``NOT VALID`` constraint put off."""
    p.emit(phases.VALIDATE, f"ALTER TABLE {table.qualname} VALIDATE CONSTRAINT {quote_ident(constraint.name)};",
           f"{table.qualname}.{constraint.name}")


def drop(p, table: Table, constraint: Constraint) -> None:
    """``DROP CONSTRAINT`` (foreign keys in the phase before other constraints)."""
    p.dropped.add(("constraint", table.schema, table.name, constraint.name))
    phase = phases.DROP_FOREIGN_KEY if isinstance(constraint, ForeignKey) else phases.DROP_CONSTRAINT
    p.emit(phase, f"ALTER TABLE {table.qualname} DROP CONSTRAINT {quote_ident(constraint.name)};",
           f"{table.qualname}.{constraint.name}")
