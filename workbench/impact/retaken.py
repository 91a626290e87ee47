"""Locks a statement takes again in a later transaction, which ``pg_locks`` cannot show.

The trace runs a migration of several transactions (a ``COMMIT`` between steps) in one
rolled-back transaction. A later transaction starts with no locks in a real run, but in the
trace the locks of the earlier ones are still held, and ``pg_locks`` lists a relation's lock
once per mode: a statement asking again for a mode already held is not seen asking.
:mod:`.alone` recovers such locks by running the statement alone, which fails when the
statement needs what earlier steps made (``VALIDATE`` of a constraint an earlier step added,
``SET NOT NULL`` trusting a check, renames of a new column…).

For those, this module adds the lock PostgreSQL's documentation gives the statement
(``ALTER TABLE``: the level of each command, as ``AlterTableGetLockLevel`` in
``tablecmds.c`` sets it; ``CREATE TRIGGER``: SHARE ROW EXCLUSIVE; renames and most drops:
ACCESS EXCLUSIVE), marked documented, held until its transaction ends: its time is the
measured time of the statements of that transaction.
"""
from __future__ import annotations

from dataclasses import replace

from pglast import ast
from pglast.enums import AlterTableType, ConstrType, ObjectType

from ..drafts.sqltext import check_sql
from .lockmodes import CONFLICTS, spoken
from .model import Lock, StatementTrace
from .report import Trace
from .timing import transactions, with_held_times

AE, SRE, SUE, SHARE = ("AccessExclusiveLock", "ShareRowExclusiveLock", "ShareUpdateExclusiveLock",
                       "ShareLock")
COMMAND_LEVELS = {
    AlterTableType.AT_ValidateConstraint: SUE, AlterTableType.AT_SetStatistics: SUE,
    AlterTableType.AT_ClusterOn: SUE, AlterTableType.AT_DropCluster: SUE,
    AlterTableType.AT_SetOptions: SUE, AlterTableType.AT_ResetOptions: SUE,
    AlterTableType.AT_AttachPartition: SUE,
    AlterTableType.AT_EnableTrig: SRE, AlterTableType.AT_DisableTrig: SRE,
    AlterTableType.AT_EnableAlwaysTrig: SRE, AlterTableType.AT_EnableReplicaTrig: SRE,
    AlterTableType.AT_EnableTrigAll: SRE, AlterTableType.AT_DisableTrigAll: SRE,
    AlterTableType.AT_EnableTrigUser: SRE, AlterTableType.AT_DisableTrigUser: SRE,
}
NOTE = ("{mode} on {relation} is the documented lock of this statement: an earlier transaction "
        "of the migration held it in the trace, so pg_locks could not show it taken again")


def with_retaken(trace: Trace) -> Trace:
    """``trace`` with the documented locks its later transactions' statements take again."""
    names = relation_names(trace)
    changed: dict[int, StatementTrace] = {}
    for group in transactions(list(trace.statements))[1:]:
        held: list[tuple[str, str]] = []
        for s in group:
            found = missing_locks(s, names, held) if s.traced else ()
            if found:
                changed[s.number] = replace(s, locks=s.locks + found, notes=s.notes + tuple(
                    NOTE.format(mode=spoken(lock.mode), relation=lock.relation) for lock in found))
            held += [(lock.relation, lock.mode) for lock in (*s.locks, *found)]
    if not changed:
        return trace
    statements = with_held_times([changed.get(s.number, s) for s in trace.statements])
    return replace(trace, statements=tuple(statements))


def missing_locks(s: StatementTrace, names: set[str], held: list[tuple[str, str]]) -> tuple[Lock, ...]:
    """The documented locks of ``s`` on existing tables that neither it nor the earlier
    statements of its transaction (``held``) were seen holding, in that mode or a stronger one."""
    found = []
    for rangevar, mode in documented_levels(s.sql):
        name = resolved(rangevar, names)
        modes = [m for relation, m in (*held, *((l.relation, l.mode) for l in s.locks)) if relation == name]
        if name is not None and not any(CONFLICTS[mode] <= CONFLICTS[other] for other in modes):
            found.append(Lock(name, mode, "table", documented=True))
    return tuple(found)


def documented_levels(sql: str) -> list[tuple[ast.RangeVar, str]]:
    """The table each statement names and the mode the documentation gives it."""
    (raw,) = check_sql(sql)
    stmt = raw.stmt
    if isinstance(stmt, ast.AlterTableStmt) and stmt.objtype == ObjectType.OBJECT_TABLE:
        modes = [command_level(cmd) for cmd in stmt.cmds]
        return [(stmt.relation, AE if AE in modes else SRE if SRE in modes else SUE)]
    if isinstance(stmt, ast.RenameStmt) and stmt.relation is not None:
        return [(stmt.relation, AE)]
    if isinstance(stmt, ast.CreateTrigStmt):
        return [(stmt.relation, SRE)]
    if isinstance(stmt, ast.IndexStmt) and not stmt.concurrent:
        return [(stmt.relation, SHARE)]
    if isinstance(stmt, ast.DropStmt) and stmt.removeType == ObjectType.OBJECT_TRIGGER:
        *table, _ = (item.sval for item in stmt.objects[0])
        return [(ast.RangeVar(schemaname=table[0] if len(table) > 1 else None, relname=table[-1]), AE)]
    return []


def command_level(cmd) -> str:
    """The lock level of one ALTER TABLE command (ACCESS EXCLUSIVE unless documented lower)."""
    if cmd.subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint) \
            and cmd.def_.contype == ConstrType.CONSTR_FOREIGN:
        return SRE
    return COMMAND_LEVELS.get(cmd.subtype, AE)


def relation_names(trace: Trace) -> set[str]:
    """Every relation the trace names (``schema.name``)."""
    return {lock.relation for s in trace.statements for lock in s.locks} | \
        {name for s in trace.statements for name in s.sizes}


def resolved(rangevar: ast.RangeVar, names: set[str]) -> str | None:
    """The trace's name of the table a statement names (None: not one the trace saw)."""
    if rangevar.schemaname:
        wanted = f"{rangevar.schemaname}.{rangevar.relname}"
        return wanted if wanted in names else None
    found = [name for name in names if name.split(".", 1)[-1] == rangevar.relname]
    return found[0] if len(found) == 1 else None
