"""The SQL the probe writes, and the tenants and rows it is about.

Values travel as text and are cast to the column's own type (``CAST('…' AS type)``), so that
enums, domains, arrays and ranges read them as PostgreSQL would read a literal; a row is
found again by ``tableoid`` and ``ctid`` (every table has them, with or without a key).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import psycopg
from psycopg import sql

from ...catalog import Column, Table

Key = tuple[str, str]


@dataclass(frozen=True)
class Tenant:
    """One impersonated tenant: a user (and, in org-scoped schemas, that user's organization)."""

    name: str
    user_id: str

    @property
    def claims(self) -> str:
        """The JWT claims PostgREST would set for this user."""
        return json.dumps({"sub": self.user_id, "role": "authenticated", "aud": "authenticated"})


@dataclass(frozen=True)
class Row:
    """A row the factory made: every column as text, and where it lives (for cursors)."""

    key: Key
    values: dict[str, str | None]
    tableoid: str
    ctid: str


def cast_value(column: Column, value: str | None) -> sql.Composable:
    """``CAST('value' AS type)`` for ``column`` (or NULL)."""
    if value is None:
        return sql.SQL("NULL")
    return sql.SQL("CAST({} AS {})").format(sql.Literal(value), sql.SQL(column.type))


def table_name(table: Table) -> sql.Composable:
    """The quoted, schema-qualified name of ``table``."""
    return sql.Identifier(table.schema, table.name)


def insert_sql(table: Table, values: dict[str, str | None], returning: bool = True) -> sql.Composed:
    """``INSERT INTO table (…) VALUES (…)``, returning the row as text when asked."""
    if values:
        columns = sql.SQL(", ").join(map(sql.Identifier, values))
        row = sql.SQL(", ").join(cast_value(table.column(c), v) for c, v in values.items())
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(table_name(table), columns, row)
    else:
        query = sql.SQL("INSERT INTO {} DEFAULT VALUES").format(table_name(table))
    return query + sql.SQL(" RETURNING ") + row_as_text(table) if returning else query


def row_as_text(table: Table) -> sql.Composed:
    """``tableoid::text, ctid::text, col::text…``: where a row lives and its values."""
    parts = [sql.SQL("tableoid::oid::text"), sql.SQL("ctid::text")]
    parts += [sql.SQL("{}::text").format(sql.Identifier(c.name)) for c in table.columns]
    return sql.SQL(", ").join(parts)


def set_claims(conn: psycopg.Connection, tenant: Tenant | None) -> None:
    """Make ``auth.uid()`` return the tenant's user for the rest of the transaction."""
    conn.execute("SELECT set_config('request.jwt.claims', %s, true)", (tenant.claims if tenant else "",))


def to_row(table: Table, found) -> Row:
    """The Row of a result made by :func:`row_as_text`."""
    values = dict(zip((c.name for c in table.columns), found[2:]))
    return Row(table.key, values, found[0], found[1])


def where_row(row: Row) -> sql.Composed:
    """``tableoid = … AND ctid = …``: exactly this row."""
    return sql.SQL("tableoid = {}::oid AND ctid = {}::tid").format(sql.Literal(row.tableoid),
                                                                   sql.Literal(row.ctid))
