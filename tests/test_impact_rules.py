"""The rules of lock tracing that need no server: PostgreSQL's lock conflict table and the
modes common statements take (from the "Explicit Locking" chapter), durations as typed on a
command line, and the statements a transaction cannot hold with their documented locks."""
from __future__ import annotations

import pytest
from pglast import parse_sql

from workbench.errors import WorkbenchError
from workbench.impact import parse_duration
from workbench.impact.documented import untraceable
from workbench.impact.lockmodes import (CONFLICTS, MODES, blocked_statements, blocks_reads, blocks_writes,
                                        conflicts, spoken, strongest)

# Table 13.2, "Conflicting Lock Modes", row by row: X marks a conflict, in the order of MODES.
DOCUMENTED_TABLE = """
AccessShareLock          .......X
RowShareLock             ......XX
RowExclusiveLock         ....XXXX
ShareUpdateExclusiveLock ...XXXXX
ShareLock                ..XX.XXX
ShareRowExclusiveLock    ..XXXXXX
ExclusiveLock            .XXXXXXX
AccessExclusiveLock      XXXXXXXX
"""


def test_the_conflict_table_is_the_documented_one():
    for row in DOCUMENTED_TABLE.strip().splitlines():
        mode, marks = row.split()
        assert {MODES[i] for i, mark in enumerate(marks) if mark == "X"} == CONFLICTS[mode], mode


def test_conflicts_are_symmetric():
    assert all(conflicts(a, b) == conflicts(b, a) for a in MODES for b in MODES)


def test_spoken_names():
    assert [spoken(m) for m in MODES] == [
        "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE",
        "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"]
    with pytest.raises(ValueError, match="not a table-level lock mode"):
        spoken("SIReadLock")


@pytest.mark.parametrize("mode, reads, writes", [
    ("AccessShareLock", False, False), ("RowShareLock", False, False), ("RowExclusiveLock", False, False),
    ("ShareUpdateExclusiveLock", False, False), ("ShareLock", False, True),
    ("ShareRowExclusiveLock", False, True), ("ExclusiveLock", False, True),
    ("AccessExclusiveLock", True, True),
])
def test_who_waits_behind_each_mode(mode, reads, writes):
    assert (blocks_reads([mode]), blocks_writes([mode])) == (reads, writes)


def test_blocked_statements_follow_the_modes_statements_take():
    assert blocked_statements(["ShareLock"]) == (
        "INSERT", "UPDATE", "DELETE", "VACUUM", "ANALYZE", "CREATE INDEX CONCURRENTLY", "CREATE TRIGGER",
        "REFRESH MATERIALIZED VIEW CONCURRENTLY", "ALTER TABLE", "DROP TABLE", "TRUNCATE", "VACUUM FULL")
    assert blocked_statements(["ExclusiveLock"])[:2] == ("SELECT FOR UPDATE", "INSERT")
    assert blocked_statements(["AccessShareLock"]) == ("ALTER TABLE", "DROP TABLE", "TRUNCATE", "VACUUM FULL")
    assert blocked_statements(["AccessExclusiveLock"])[0] == "SELECT"


def test_strongest_keeps_the_modes_that_stop_more():
    assert strongest(["AccessShareLock", "ShareRowExclusiveLock", "RowShareLock"]) == ("ShareRowExclusiveLock",)
    assert strongest(["ShareLock", "ShareUpdateExclusiveLock"]) == ("ShareUpdateExclusiveLock", "ShareLock")
    assert strongest(["ShareLock", "AccessExclusiveLock"]) == ("AccessExclusiveLock",)


@pytest.mark.parametrize("text, expected", [("500ms", 500), ("2s", 2000), ("1.5s", 1500), ("2min", 120_000),
                                            (" 3 s ", 3000), ("1h", 3_600_000)])
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["2", "2x", "", "-1s", "s"])
def test_bad_durations(text):
    with pytest.raises(WorkbenchError, match="bad duration"):
        parse_duration(text)


def described(sql: str, version: int = 180000):
    return untraceable(parse_sql(sql)[0].stmt, version)


@pytest.mark.parametrize("sql, relation, mode, stand_in", [
    ("CREATE INDEX CONCURRENTLY i ON app.t (a)", "app.t", "ShareUpdateExclusiveLock",
     "CREATE INDEX i ON app.t (a)"),
    ("DROP INDEX CONCURRENTLY app.i", "app.i", "ShareUpdateExclusiveLock", "DROP INDEX app.i"),
    ("REINDEX INDEX CONCURRENTLY app.i", "app.i", "ShareUpdateExclusiveLock", None),
    ("VACUUM app.t", "app.t", "ShareUpdateExclusiveLock", None),
    ("VACUUM (FULL) app.t", "app.t", "AccessExclusiveLock", None),
    ("VACUUM (FULL false) app.t", "app.t", "ShareUpdateExclusiveLock", None),
    ('VACUUM FULL "Odd Name"', '"Odd Name"', "AccessExclusiveLock", None),
    ("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", "p", "ShareUpdateExclusiveLock",
     "ALTER TABLE p DETACH PARTITION c"),
])
def test_statements_a_transaction_cannot_hold(sql, relation, mode, stand_in):
    found = described(sql)
    assert (found.locks[0].relation, found.locks[0].mode, found.stand_in) == (relation, mode, stand_in)
    assert "cannot run inside a transaction block" in found.reason and found.source.startswith("https://")


def test_statements_a_transaction_can_hold():
    for sql in ("CREATE INDEX i ON t (a)", "ANALYZE t", "DROP INDEX i", "REINDEX TABLE t",
                "ALTER TABLE p DETACH PARTITION c", "ALTER TYPE e ADD VALUE 'x'"):
        assert described(sql) is None, sql


def test_enum_values_are_added_outside_a_transaction_before_postgresql_12():
    found = described("ALTER TYPE e ADD VALUE 'x'", 110000)
    assert found.locks == () and "before PostgreSQL 12" in found.reason
    everything = described("VACUUM").locks[0]
    assert (everything.relation, everything.named) == ("every table of the database, in turn", False)
    assert described('VACUUM "Odd Name"').locks[0].named
