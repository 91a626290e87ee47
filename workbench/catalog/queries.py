"""The catalog SQL, one ``.sql`` file per object kind in ``sql/``, and running it.

Every file is plain SQL that runs in psql as it is. The schema filter is the setting
``workbench.schemas`` (an array literal of schema names; unset or empty: every user schema).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import psycopg

KINDS = ("database", "schemas", "tables", "columns", "constraints", "indexes", "policies",
         "triggers", "views", "sequences", "enums", "functions", "extensions", "grants",
         "default_privileges")


@dataclass(frozen=True)
class Result:
    """The rows of one catalog query, as tuples, and the names of its columns."""

    columns: tuple[str, ...]
    rows: list[tuple]

    def records(self) -> list[dict]:
        """The rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row)) for row in self.rows]


@cache
def load(name: str) -> str:
    """The text of ``sql/<name>.sql``."""
    return (files(__package__) / "sql" / f"{name}.sql").read_text(encoding="utf-8")


def fetch(conn: psycopg.Connection, name: str, params: dict | None = None) -> Result:
    """Run ``sql/<name>.sql`` and return its rows."""
    cursor = conn.execute(load(name), params)
    if cursor.description is None:
        return Result((), [])
    return Result(tuple(column.name for column in cursor.description), cursor.fetchall())


def fetch_catalog(conn: psycopg.Connection, schemas: list[str] | None) -> dict[str, Result]:
    """Run every catalog query in the transaction open on ``conn``: a fixed number of
    queries (the filter, then one per kind), whatever the size of the database."""
    fetch(conn, "filter", {"schemas": schemas})
    return {kind: fetch(conn, kind) for kind in KINDS}
