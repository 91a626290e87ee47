"""Time a statement spent waiting for other sessions' locks, watched from a second connection.

A statement's wall time includes any wait for a lock another session holds; that wait says
more about the other sessions than about the statement. While a statement runs longer than
:data:`GRACE` seconds, a second connection reads ``pg_stat_activity.wait_event_type`` of the
tracing backend every :data:`INTERVAL` seconds and counts the time it saw ``Lock``. A wait
seen at the first look is counted from the statement's start (statements ask for their
locks first); shorter waits go unseen; the count is accurate to about one interval. One
watcher thread serves the whole trace, and its connection opens only when a statement first
runs past the grace period.
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
    """Watches one backend (``pid``) from a connection to ``dsn``; :meth:`close` when done."""

    def __init__(self, dsn: str, pid: int):
        self.dsn = dsn
        self.pid = pid
        self.conn: psycopg.Connection | None = None
        self.problem: str | None = None
        self._state = threading.Condition()
        self._count = 0            # statements watched so far
        self._watch = 0            # number of the statement being watched; 0: none
        self._started = 0.0
        self._waited = 0.0
        self._closing = False
        self._thread: threading.Thread | None = None

    @contextmanager
    def watching(self) -> Iterator[list[float]]:
        """Watch while the block runs; the list yielded then holds the seconds seen waiting."""
        result = [0.0]
        self._ensure_thread()
        with self._state:
            self._count += 1
            number = self._watch = self._count
            self._started, self._waited = time.perf_counter(), 0.0
            self._state.notify()
        try:
            yield result
        finally:
            with self._state:
                result[0] = self._waited
                self._watch = 0
                self._state.notify()

    def close(self) -> None:
        with self._state:
            self._closing = True
            self._state.notify()
        if self._thread is not None:
            self._thread.join()
        if self.conn is not None:
            self.conn.close()

    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="lock-wait watch", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            number, started = self._next_watch()
            if number is None:
                return
            if self._past_grace(number, started) and self._connection() is not None:
                self._poll(number, started)
            else:
                self._until_done(number)

    def _next_watch(self) -> tuple[int | None, float]:
        with self._state:
            while self._watch <= 0 and not self._closing:
                self._state.wait()
            return (None, 0.0) if self._closing else (self._watch, self._started)

    def _past_grace(self, number: int, started: float) -> bool:
        with self._state:
            while self._watch == number and not self._closing:
                remaining = started + GRACE - time.perf_counter()
                if remaining <= 0:
                    return True
                self._state.wait(remaining)
            return False

    def _until_done(self, number: int) -> None:
        with self._state:
            while self._watch == number and not self._closing:
                self._state.wait()

    def _poll(self, number: int, started: float) -> None:
        last = started
        while True:
            try:
                row = self.conn.execute(WAITING_SQL, (self.pid,)).fetchone()
            except psycopg.Error as exc:
                self.problem = f"lock waits not watched: {str(exc).strip().splitlines()[0]}"
                self._until_done(number)
                return
            now = time.perf_counter()
            with self._state:
                if self._watch != number or self._closing:
                    return
                if row and row[0]:
                    self._waited += now - last
                last = now
                self._state.wait(INTERVAL)

    def _connection(self) -> psycopg.Connection | None:
        if self.conn is None and self.problem is None:
            try:
                self.conn = psycopg.connect(self.dsn, autocommit=True, connect_timeout=5,
                                            application_name="schema-workbench lock watch")
            except psycopg.Error as exc:
                self.problem = f"lock waits not watched: {str(exc).strip().splitlines()[0]}"
        return self.conn


def dsn_of(target, conn: psycopg.Connection) -> str:
    """A DSN for a second connection like ``conn`` (a Session's own, else rebuilt from it)."""
    dsn = getattr(target, "dsn", None)
    if dsn:
        return dsn
    password = conn.info.password
    return make_conninfo(conn.info.dsn, password=password) if password else conn.info.dsn
