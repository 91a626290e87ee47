"""One attempt as an impersonated tenant, and the four commands' checks built from attempts.

Every attempt runs in its own savepoint that is always rolled back: ``SET LOCAL ROLE
authenticated`` and the tenant's JWT claims are undone with it, and so is whatever the
attempt wrote. UPDATE and DELETE target one row through a cursor the setup role positions
(``WHERE CURRENT OF``), so that only the command's own policies decide: a ``WHERE`` on the
row's columns would let the SELECT policies hide a row an unfiltered ``UPDATE`` still reaches.
"""
from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from ...catalog import Table
from .sql import Row, Tenant, cast_value, insert_sql, set_claims, table_name, where_row

ROLE = "authenticated"
CURSOR = "workbench_probe_target"
THROUGH = ("rows", "constraint")


@dataclass(frozen=True)
class Outcome:
    """What an attempt did: ``rows`` (affected or visible), ``none``, ``refused`` (an RLS or
    privilege error), ``constraint`` (RLS let it through, a constraint stopped it after) or
    ``error``."""

    status: str
    rows: int = 0
    message: str = ""

    @property
    def through(self) -> bool:
        """Whether RLS let the attempt through."""
        return self.status in THROUGH


def impersonate(conn: psycopg.Connection, tenant: Tenant) -> None:
    """Become the tenant's user until the savepoint ends."""
    conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(ROLE)))
    set_claims(conn, tenant)


def attempt(conn: psycopg.Connection, tenant: Tenant, statement: sql.Composable, *,
            target: tuple[Table, Row] | None = None, counts: bool = False) -> Outcome:
    """Run ``statement`` as ``tenant`` in a savepoint that is rolled back. ``target`` puts the
    cursor on a row first (as the setup role); ``counts`` reads a count instead of rowcount."""
    try:
        with conn.transaction(force_rollback=True):
            if target is not None:
                position_cursor(conn, *target)
            impersonate(conn, tenant)
            cursor = conn.execute(statement)
            rows = cursor.fetchone()[0] if counts else cursor.rowcount
    except psycopg.Error as exc:
        return classify(exc)
    return Outcome("rows" if rows else "none", rows)


def classify(exc: psycopg.Error) -> Outcome:
    """An error as an outcome: RLS and privileges refuse (42501); a constraint error (class
    23) comes after the RLS checks passed."""
    message = first_line(exc)
    state = exc.sqlstate or ""
    if state == "42501":
        return Outcome("refused", message=message)
    if state.startswith("23"):
        return Outcome("constraint", message=message)
    return Outcome("error", message=message)


def first_line(exc: Exception) -> str:
    """The first line of an error message."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def position_cursor(conn: psycopg.Connection, table: Table, row: Row) -> None:
    """Open the cursor on ``row`` as the setup role (which sees every row)."""
    conn.execute(sql.SQL("DECLARE {} NO SCROLL CURSOR FOR SELECT FROM {} WHERE {} FOR UPDATE").format(
        sql.Identifier(CURSOR), table_name(table), where_row(row)))
    if conn.execute(sql.SQL("FETCH NEXT FROM {}").format(sql.Identifier(CURSOR))).fetchone() is None:
        raise psycopg.errors.NoDataFound("the probe's own row has gone")


def count_sql(table: Table, row: Row) -> sql.Composed:
    """``SELECT count(*)`` of exactly ``row``: is it visible?"""
    return sql.SQL("SELECT count(*) FROM {} WHERE {}").format(table_name(table), where_row(row))


def update_sql(table: Table, column: str, value: str | None) -> sql.Composed:
    """Set one column of the row under the cursor to a constant."""
    return sql.SQL("UPDATE {} SET {} = {} WHERE CURRENT OF {}").format(
        table_name(table), sql.Identifier(column), cast_value(table.column(column), value),
        sql.Identifier(CURSOR))


def delete_sql(table: Table) -> sql.Composed:
    """Delete the row under the cursor."""
    return sql.SQL("DELETE FROM {} WHERE CURRENT OF {}").format(table_name(table), sql.Identifier(CURSOR))


def settable_column(table: Table, preferred: str) -> str | None:
    """A column an UPDATE may set (to its own value): ``preferred`` when it can be."""
    columns = sorted(table.columns, key=lambda c: c.name != preferred)
    return next((c.name for c in columns if c.generated is None and c.identity != "always"), None)


def privileges(conn: psycopg.Connection, table: Table) -> frozenset[str]:
    """The commands the impersonated role holds privileges for on ``table``."""
    commands = ("SELECT", "INSERT", "UPDATE", "DELETE")
    query = sql.SQL("SELECT {}").format(sql.SQL(", ").join(
        sql.SQL("has_table_privilege({}, {}::regclass, {})").format(
            sql.Literal(ROLE), sql.Literal(table.qualname), sql.Literal(c)) for c in commands))
    found = conn.execute(query).fetchone()
    return frozenset(c for c, held in zip(commands, found) if held)


@dataclass(frozen=True)
class Probe:
    """What one command's checks need: the table and its tenant ``column`` (``root`` when the
    table is the tenant table itself), the ``actor``'s row (``mine``) and the ``victim``'s
    (``theirs``)."""

    conn: psycopg.Connection
    table: Table
    column: str
    root: bool
    mine: Row
    theirs: Row
    actor: Tenant
    victim: Tenant

    def run(self, statement, *, target: Row | None = None, counts: bool = False) -> Outcome:
        """One attempt as the actor, on ``target`` through the cursor."""
        return attempt(self.conn, self.actor, statement, counts=counts,
                       target=(self.table, target) if target is not None else None)

    def select(self) -> tuple[dict[str, Outcome], Outcome]:
        """B's row visible to A? A's own row visible?"""
        return ({"read": self.run(count_sql(self.table, self.theirs), counts=True)},
                self.run(count_sql(self.table, self.mine), counts=True))

    def insert(self, theirs: dict | None, mine: dict) -> tuple[dict[str, Outcome], Outcome]:
        """A row with B's tenant accepted from A? A row of A's own?"""
        cross = {} if theirs is None else {"insert": self.run(insert_sql(self.table, theirs, False))}
        return cross, self.run(insert_sql(self.table, mine, False))

    def update(self) -> tuple[dict[str, Outcome], Outcome]:
        """B's row changed by A, taken over by A, or A's row moved to B? A's own row changed?"""
        column = settable_column(self.table, self.column)
        if column is None:
            error = Outcome("error", message="no column an UPDATE may set")
            return {"update": error}, error
        cross = {"update": self.set(column, self.theirs.values[column], on=self.theirs)}
        if not self.root:
            if cross["update"].status == "refused":
                cross["steal"] = self.set(self.column, self.mine.values[self.column], on=self.theirs)
            cross["move"] = self.set(self.column, self.theirs.values[self.column], on=self.mine)
        return cross, self.set(column, self.mine.values[column], on=self.mine)

    def set(self, column: str, value: str | None, *, on: Row) -> Outcome:
        """``UPDATE … SET column = value`` of the row ``on``, as the actor."""
        return self.run(update_sql(self.table, column, value), target=on)

    def delete(self) -> tuple[dict[str, Outcome], Outcome]:
        """B's row deleted by A? A's own row deleted?"""
        return ({"delete": self.run(delete_sql(self.table), target=self.theirs)},
                self.run(delete_sql(self.table), target=self.mine))
