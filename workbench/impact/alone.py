"""Locks the trace could not see a statement take, because an earlier transaction of the
migration already held them in the trace; seen again by running the statement alone.

The trace runs the whole migration in one transaction, but a runner commits before each
statement that cannot run in a transaction (``CREATE INDEX CONCURRENTLY``…) and at an
explicit ``COMMIT``: the statements after it start with no locks. In the trace, the locks
of the earlier transactions are still held, and ``pg_locks`` lists a relation's lock once
per mode, so a later statement asking for a mode already held is not seen asking for it.
Each traced statement of a later transaction therefore runs once more in a fresh
rolled-back transaction, alone (after the stand-ins of the statements before it that a
transaction cannot hold, as its schema may need them): the locks it takes there, which
neither it nor the earlier statements of its own transaction showed, are added to it,
marked ``alone``. A statement that cannot run alone (it needs what an earlier statement
made) gets a note naming the locks it may take again.
"""
from __future__ import annotations

from dataclasses import replace

import psycopg

from ..session import rolled_back
from .lockmodes import blocks_reads, blocks_writes, spoken, strongest
from .model import Lock, StatementTrace
from .probe import change, snapshot, table_sizes
from .running import run_timed, set_lock_timeout
from .timing import transactions


def later_statements(statements: list[StatementTrace]) -> list[StatementTrace]:
    """Traced statements of a transaction that starts after another one took a lock or ran
    a stand-in (statements whose locks an earlier transaction may hide)."""
    later, earlier_work = [], False
    for group in transactions(statements):
        if group[0].traced and earlier_work:
            later += group
        earlier_work = earlier_work or any(s.locks or s.stand_in for s in group)
    return later


def with_hidden_locks(conn, statements: list[StatementTrace],
                      timeout: str) -> tuple[list[StatementTrace], list[str]]:
    """``statements`` with the locks earlier transactions hid added; notes for those that
    could not run alone."""
    changed, notes = {}, []
    for s in later_statements(statements):
        stand_ins = [p.stand_in for p in statements if p.number < s.number and p.stand_in]
        created = {name for p in statements if p.number < s.number for name in p.created}
        found, sizes = locks_alone(conn, s.sql, stand_ins, timeout)
        if found is None:
            notes.append(unseen_note(s, statements))
            continue
        seen = {(l.relation, l.mode) for l in s.locks} | {(r, m) for r, m, *_ in s.earlier_locks}
        hidden = tuple(replace(lock, new=lock.relation in created, alone=True) for lock in found
                       if (lock.relation, lock.mode) not in seen)
        if hidden:
            changed[s.number] = replace(s, locks=s.locks + hidden, sizes={**sizes, **s.sizes})
    return [changed.get(s.number, s) for s in statements], notes


def locks_alone(conn, sql: str, stand_ins: list[str],
                timeout: str) -> tuple[list[Lock] | None, dict[str, tuple[float, int]]]:
    """The locks ``sql`` takes run alone after ``stand_ins``, rolled back (None when it
    fails), and the sizes of the tables it locked."""
    with rolled_back(conn):
        set_lock_timeout(conn, timeout)
        for stand_in in stand_ins:
            try:
                run_timed(conn, stand_in)
            except psycopg.Error:
                pass  # a stand-in that needs earlier statements: the statement may still run
        before = snapshot(conn)
        try:
            run_timed(conn, sql)
        except psycopg.Error:
            return None, {}
        found = change(before, snapshot(conn))
    locks = [Lock(name, mode, found.kinds.get(name, "relation")) for name, mode in found.locks
             if name not in found.created]
    return locks, table_sizes(before, [lock.relation for lock in locks])


def unseen_note(s: StatementTrace, statements: list[StatementTrace]) -> str:
    """Which locks of earlier transactions statement ``s`` may take again, unseen."""
    own = {s.number} | {number for _, _, number, _ in s.earlier_locks}
    held: dict[str, list[str]] = {}
    for p in statements:
        if p.number < s.number and p.number not in own:
            for lock in p.locks:
                if not lock.new and lock.kind == "table":
                    held.setdefault(lock.relation, []).append(lock.mode)
    risky = [f"{' and '.join(spoken(m) for m in strongest(modes))} on {relation}"
             for relation, modes in held.items() if blocks_reads(modes) or blocks_writes(modes)]
    maybe = f": it may take {', '.join(risky)} again, unseen" if risky else ""
    return (f"statement {s.number} starts a new transaction in a real run, but could not run alone "
            f"to show the locks earlier transactions held in the trace{maybe}")
