"""Pooled scratch databases that a killed process left behind, found and dropped.

A process drops its pooled databases when it ends (:func:`.scratch.drop_pooled`), but not when
it is killed: a notebook kernel stopped hard, a test run interrupted. Each pooled database's
name therefore says which process made it, on which machine
(``wb_scratch_pool_<machine>_<pid>_<random>``), and the first database a process takes from
a server sweeps that server: a pooled database of this machine whose process is gone, and
nobody is connected to, is dropped (so is one named the older way, with no owner in its name).
Databases of other machines are left alone: their processes cannot be seen from here.
"""
from __future__ import annotations

import hashlib
import os
import socket
import uuid

import psycopg
from psycopg import sql

POOLED = """
SELECT d.datname, EXISTS (SELECT 1 FROM pg_stat_activity AS a WHERE a.datid = d.oid)
FROM pg_database AS d
WHERE starts_with(d.datname, %s)
"""


def machine() -> str:
    """Eight hex digits for this machine (its host name, hashed)."""
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]


def pooled_name(prefix: str) -> str:
    """A new pooled database's name: ``prefix``, this machine, this process, random."""
    return f"{prefix}_{machine()}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


def is_leftover(prefix: str, name: str) -> bool:
    """Whether ``name`` is a pooled database of a process of this machine that is gone, or
    one named the older way (``prefix`` and ten hex digits)."""
    parts = name[len(prefix) + 1:].split("_")
    if len(parts) == 1:
        return len(parts[0]) == 10 and all(ch in "0123456789abcdef" for ch in parts[0])
    if len(parts) != 3 or parts[0] != machine() or not parts[1].isdigit():
        return False
    return not process_alive(int(parts[1]))


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def sweep(admin_dsn: str, prefix: str) -> list[str]:
    """Drop the leftover pooled databases on the server of ``admin_dsn`` that nobody is
    connected to; returns their names. One that cannot be dropped (someone connected in
    between, another owner) is left."""
    dropped = []
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        for name, connected in conn.execute(POOLED, [prefix + "_"]).fetchall():
            if connected or not is_leftover(prefix, name):
                continue
            try:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
                dropped.append(name)
            except psycopg.Error:
                pass
    return dropped
