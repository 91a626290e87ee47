"""Which policy let a cross-tenant attempt through.

Each permissive policy of the command is evaluated on its own against the offending row
(as the setup role, with the impersonated tenant's claims): those that admit it are named.
Where none can be singled out, every policy of the command is named.
"""
from __future__ import annotations

from typing import Callable

import psycopg
from psycopg import sql

from ...catalog import Policy, Table
from .checks import ROLE, Probe
from .sql import Row, cast_value, insert_sql, row_as_text, set_claims, table_name, to_row, where_row

WITH_CHECK = ("insert", "steal", "move")


def applicable(table: Table, command: str) -> tuple[Policy, ...]:
    """The policies that apply to ``command`` for the impersonated role."""
    return tuple(p for p in table.policies if p.command in (command, "ALL")
                 and (ROLE in p.roles or "public" in p.roles))


def blame(probe: Probe, command: str, check: str, values: dict | None = None) -> tuple[str, ...]:
    """The names of the permissive policies admitting what ``check`` did."""
    policies = applicable(probe.table, command)
    locate = locator(probe, check, values)
    field = "check" if check in WITH_CHECK else "using"
    found = tuple(p.name for p in policies if p.permissive and admits(probe, p, field, locate))
    return found or tuple(p.name for p in policies)


def locator(probe: Probe, check: str, values: dict | None) -> Callable[[], Row]:
    """How to get the row the policies are judged on (made inside the judging savepoint)."""
    if check == "insert":
        return lambda: insert_row(probe, values or {})
    if check == "steal":
        return lambda: moved_row(probe, probe.theirs, probe.mine.values[probe.column])
    if check == "move":
        return lambda: moved_row(probe, probe.mine, probe.theirs.values[probe.column])
    return lambda: probe.theirs


def admits(probe: Probe, policy: Policy, field: str, locate: Callable[[], Row]) -> bool:
    """Whether ``policy``'s USING (or WITH CHECK) is true for the located row."""
    text = policy.using if field == "using" else (policy.with_check or policy.using)
    if not text:
        return False
    conn = probe.conn
    try:
        with conn.transaction(force_rollback=True):
            row = locate()
            set_claims(conn, probe.actor)
            query = sql.SQL("SELECT ({}) FROM {} WHERE {}").format(
                sql.SQL(text), table_name(probe.table), where_row(row))
            found = conn.execute(query).fetchone()
    except psycopg.Error:
        return False
    return bool(found and found[0])


def insert_row(probe: Probe, values: dict) -> Row:
    """Insert the cross-tenant row as the setup role."""
    found = probe.conn.execute(insert_sql(probe.table, values)).fetchone()
    return to_row(probe.table, found)


def moved_row(probe: Probe, row: Row, value: str | None) -> Row:
    """Set ``row``'s tenant column to ``value`` as the setup role."""
    column = probe.table.column(probe.column)
    query = sql.SQL("UPDATE {} SET {} = {} WHERE {} RETURNING {}").format(
        table_name(probe.table), sql.Identifier(column.name), cast_value(column, value),
        where_row(row), row_as_text(probe.table))
    return to_row(probe.table, probe.conn.execute(query).fetchone())
