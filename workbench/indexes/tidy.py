"""Putting the tables back as the timed writes found them.

A timed write runs and is rolled back, but every page it touched loses its all-visible bit,
and its aborted row versions stay in the table, until the next VACUUM. An index-only scan then
visits the table for the rows of those pages, and a sequential scan reads the dead versions
too. On a 2M-row helpdesk, after the nightly job (an UPDATE of 12,353 tickets, on 14% of the
table's pages) was run and rolled back twelve times, as a proof may, the table had grown from
9,159 to 11,884 pages, and a tenant dashboard read from ``(org_id, status, priority)`` alone
made 12,691 heap fetches and took 13.6 ms instead of 9.7 ms. On a live server autovacuum
cleans up soon after such a job; the reads are timed as they will run there.

So once timings that ran writes are done, the tables those writes change (and the tables
their foreign keys cascade to) are vacuumed, from a second connection: the advice runs in one
transaction that is rolled back at its end, and VACUUM cannot run inside a transaction.
``VACUUM (INDEX_CLEANUP ON, TRUNCATE OFF)`` takes away the rolled-back row versions and sets
the bits again; it changes nothing that autovacuum would not. When the second connection
cannot be opened, or VACUUM is refused (it needs the table's owner), the timings go on
without it and :attr:`Tidy.failed` says why.
"""
from __future__ import annotations

import psycopg
from psycopg import sql

from ..plans import Plan
from ..session import connection_of

LOCK_TIMEOUT = "2s"


class Tidy:
    """VACUUMs the tables the workload's timed writes change, from a connection of its own
    (opened on first use, closed by :meth:`close`)."""

    def __init__(self, target, tables: set[tuple[str, str]]):
        self.conn = connection_of(target)
        self.tables = sorted(tables)
        self.failed: str | None = None
        self._second: psycopg.Connection | None = None
        self._warnings: list[str] = []

    def __call__(self) -> None:
        """VACUUM every table (nothing once a VACUUM has failed)."""
        if not self.tables or self.failed:
            return
        self._warnings.clear()
        try:
            second = self._connection()
            for schema, table in self.tables:
                second.execute(sql.SQL("VACUUM (INDEX_CLEANUP ON, TRUNCATE OFF) {}").format(
                    sql.Identifier(schema, table)))
        except psycopg.Error as exc:
            self._warnings.append(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        if self._warnings:  # a VACUUM of someone else's table is skipped with a warning, not an error
            self.failed = f"could not VACUUM after the timed writes: {self._warnings[0]}"

    def _connection(self) -> psycopg.Connection:
        if self._second is None:
            info = self.conn.info
            self._second = psycopg.connect(info.dsn, password=info.password or None, autocommit=True,
                                           connect_timeout=10, application_name="workbench advice: vacuum",
                                           options=f"-c lock_timeout={LOCK_TIMEOUT}")
            self._second.add_notice_handler(
                lambda notice: self._warnings.append(notice.message_primary or "a warning"))
        return self._second

    def close(self) -> None:
        if self._second is not None:
            self._second.close()
            self._second = None


def written_tables(baseline: list[Plan | None], fires: dict[int, set[tuple[str, str]]]) -> set[tuple[str, str]]:
    """The tables the workload's writes change: each write's target, and the tables its
    foreign keys reach (a DELETE that cascades)."""
    found = set()
    for number, plan in enumerate(baseline):
        targets = {(node.schema, node.relation) for node in (plan.nodes if plan else ())
                   if node.node_type == "ModifyTable" and node.relation}
        if targets:
            found |= targets | fires.get(number, set())
    return found
