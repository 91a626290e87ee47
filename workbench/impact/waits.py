"""Time a statement spent waiting for other sessions' locks, watched from a second connection.

A statement's wall time includes any wait for a lock another session holds; that wait says
more about the other sessions than about the statement. While a statement runs longer than
:data:`GRACE` seconds, a second connection reads ``pg_stat_activity.wait_event_type`` of the
tracing backend every :data:`INTERVAL` seconds and counts the time it saw ``Lock``. A wait seen
at the first look is counted from the statement's start (statements ask for their locks
first); shorter waits go unseen; the count is accurate to about one interval.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator

import psycopg
from psycopg.conninfo import make_conninfo

GRACE = 0.05
INTERVAL = 0.01
WAITING_SQL = "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s"


class LockWaits:
    """Watches one backend (``pid``) from a connection to ``dsn`` opened on first need."""

    def __init__(self, dsn: str, pid: int):
        self.dsn = dsn
        self.pid = pid
        self.conn: psycopg.Connection | None = None
        self.problem: str | None = None

    @contextmanager
    def watching(self) -> Iterator[list[float]]:
        """Watch while the block runs; the list yielded holds the seconds seen waiting."""
        waited = [0.0]
        done = threading.Event()
        thread = threading.Thread(target=self._watch, args=(done, waited, time.perf_counter()),
                                  daemon=True)
        thread.start()
        try:
            yield waited
        finally:
            done.set()
            thread.join()

    def _watch(self, done: threading.Event, waited: list[float], started: float) -> None:
        if done.wait(GRACE) or self._connection() is None:
            return
        last = started
        while not done.is_set():
            try:
                row = self.conn.execute(WAITING_SQL, (self.pid,)).fetchone()
            except psycopg.Error as exc:
                self.problem = f"lock waits not watched: {str(exc).strip().splitlines()[0]}"
                return
            now = time.perf_counter()
            if row and row[0]:
                waited[0] += now - last
            last = now
            done.wait(INTERVAL)

    def _connection(self) -> psycopg.Connection | None:
        if self.conn is None and self.problem is None:
            try:
                self.conn = psycopg.connect(self.dsn, autocommit=True, connect_timeout=5,
                                            application_name="schema-workbench lock watch")
            except psycopg.Error as exc:
                self.problem = f"lock waits not watched: {str(exc).strip().splitlines()[0]}"
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def dsn_of(target, conn: psycopg.Connection) -> str:
    """A DSN for a second connection like ``conn`` (a Session's own, else rebuilt from it)."""
    dsn = getattr(target, "dsn", None)
    if dsn:
        return dsn
    password = conn.info.password
    return make_conninfo(conn.info.dsn, password=password) if password else conn.info.dsn
