"""How long locks stay held, and durations scaled to production row counts.

A lock lasts until the transaction that took it ends. A migration runs in one transaction,
except that statements which cannot run in one (``CREATE INDEX CONCURRENTLY``, ``VACUUM``…)
end the transaction before them and run on their own, as do explicit ``BEGIN``/``COMMIT``.
So a statement's locks are held from its start through every later statement of its
transaction: the sum of their durations.
"""
from __future__ import annotations

from dataclasses import replace

from .model import Scaling, StatementTrace


def transactions(statements: list[StatementTrace]) -> list[list[StatementTrace]]:
    """The statements grouped by the transaction a migration runner runs them in."""
    groups: list[list[StatementTrace]] = [[]]
    for statement in statements:
        if statement.ends_transaction:
            groups.append([])
        elif not statement.traced:
            groups += [[statement], []]
        else:
            groups[-1].append(statement)
    return [group for group in groups if group]


def with_held_times(statements: list[StatementTrace]) -> list[StatementTrace]:
    """Each traced statement with ``held_ms`` (from its start to its transaction's end) and
    ``held_until`` (the number of its transaction's last statement) when it took a lock, and
    the ``earlier_locks`` of its transaction still held while it runs."""
    changes: dict[int, dict] = {}
    for group in transactions(statements):
        if not group[0].traced:
            continue
        remaining = sum(s.duration_ms or 0 for s in group)
        earlier: list[tuple[str, str, int, str | None]] = []
        for statement in group:
            change = {"earlier_locks": tuple(earlier)}
            if statement.locks:
                change.update(held_ms=remaining, held_until=group[-1].number)
            changes[statement.number] = change
            remaining -= statement.duration_ms or 0
            earlier += [(lock.relation, lock.mode, statement.number, lock.table)
                        for lock in statement.locks if not lock.new]
    return [replace(s, **changes[s.number]) if s.number in changes else s for s in statements]


def scaled(measured_ms: float, tables: set[str], rows_here: dict[str, float],
           production_rows: dict[str, int]) -> tuple[float, Scaling | None, str | None]:
    """``measured_ms`` scaled by the largest production-to-here row ratio among ``tables``
    (those the statement rewrote or read). Statements that read or rewrite no such table
    keep their time: catalog-only changes take as long on any size. Returns the duration,
    the scaling used (None: not scaled) and a note when a table has no row estimate."""
    ratios = []
    for table in sorted(tables & production_rows.keys()):
        here = rows_here.get(table, 0)
        if here <= 0:
            return measured_ms, None, (f"not scaled to production: PostgreSQL has no row estimate "
                                       f"for {table} here (run ANALYZE {table})")
        ratios.append(Scaling(table, here, production_rows[table]))
    if not ratios:
        return measured_ms, None, None
    chosen = max(ratios, key=lambda s: s.factor)
    return measured_ms * chosen.factor, chosen, None
