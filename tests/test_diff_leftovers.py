"""Pooled scratch databases a killed process left behind are dropped by the next process
that takes one from the same server; those of live processes, of other machines, and any
with a session on them stay."""
from __future__ import annotations

import os
import subprocess
import uuid

import psycopg
from psycopg import sql

from workbench.diff.leftovers import is_leftover, machine, pooled_name, sweep
from workbench.diff.scratch import PREFIX


def dead_pid() -> int:
    """The pid of a process that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def databases(admin: str, prefix: str) -> set[str]:
    with psycopg.connect(admin, autocommit=True) as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
                                           [prefix])}


def test_names_say_which_process_of_which_machine_made_them():
    name = pooled_name(PREFIX)
    assert name.startswith(f"{PREFIX}_{machine()}_{os.getpid()}_") and len(name) <= 63
    assert not is_leftover(PREFIX, name)  # this process is alive
    assert is_leftover(PREFIX, f"{PREFIX}_{machine()}_{dead_pid()}_0123abcd")
    assert not is_leftover(PREFIX, f"{PREFIX}_00000000_{dead_pid()}_0123abcd")  # another machine
    assert is_leftover(PREFIX, f"{PREFIX}_{uuid.uuid4().hex[:10]}")  # named the older way
    assert not is_leftover(PREFIX, f"{PREFIX}_notours")


def test_the_sweep_drops_only_what_killed_processes_left_and_nobody_uses(server):
    prefix = f"wb_sweep_{uuid.uuid4().hex[:6]}"
    dead = f"{prefix}_{machine()}_{dead_pid()}_0123abcd"
    in_use = f"{prefix}_{machine()}_{dead_pid()}_4567abcd"
    names = {"dead": dead, "in use": in_use, "alive": pooled_name(prefix),
             "elsewhere": f"{prefix}_00000000_{dead_pid()}_89abcdef", "older": f"{prefix}_{uuid.uuid4().hex[:10]}"}
    with psycopg.connect(server, autocommit=True) as conn:
        for name in names.values():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(psycopg.conninfo.make_conninfo(server, dbname=in_use)):
        dropped = sweep(server, prefix)
    left = databases(server, prefix)
    with psycopg.connect(server, autocommit=True) as conn:
        for name in left:
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
    assert sorted(dropped) == sorted([dead, names["older"]])
    assert left == {in_use, names["alive"], names["elsewhere"]}
