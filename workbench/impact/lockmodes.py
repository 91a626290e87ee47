"""PostgreSQL's table-level lock modes, which of them conflict, and which common statements
take which mode: the tables of the documentation's "Explicit Locking" chapter
(https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES), as data.

Modes are named as ``pg_locks.mode`` names them (``AccessExclusiveLock``); :func:`spoken`
gives the documentation's upper-case name (``ACCESS EXCLUSIVE``).
"""
from __future__ import annotations

MODES = ("AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
         "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock")

# Table 13.2, "Conflicting Lock Modes": each mode and the modes it conflicts with.
CONFLICTS: dict[str, frozenset[str]] = {
    "AccessShareLock": frozenset({"AccessExclusiveLock"}),
    "RowShareLock": frozenset({"ExclusiveLock", "AccessExclusiveLock"}),
    "RowExclusiveLock": frozenset({"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock",
                                   "AccessExclusiveLock"}),
    "ShareUpdateExclusiveLock": frozenset({"ShareUpdateExclusiveLock", "ShareLock",
                                           "ShareRowExclusiveLock", "ExclusiveLock",
                                           "AccessExclusiveLock"}),
    "ShareLock": frozenset({"RowExclusiveLock", "ShareUpdateExclusiveLock",
                            "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"}),
    "ShareRowExclusiveLock": frozenset({"RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
                                        "ShareRowExclusiveLock", "ExclusiveLock",
                                        "AccessExclusiveLock"}),
    "ExclusiveLock": frozenset(MODES[1:]),
    "AccessExclusiveLock": frozenset(MODES),
}

# Section 13.3.1: the mode common statements take on the tables they touch, in the order
# a report lists them. (Indexes and sequences are locked the same way: a SELECT plans with
# an ACCESS SHARE lock on each index of its table, an INSERT takes ROW EXCLUSIVE on them.)
COMMON_STATEMENTS: dict[str, str] = {
    "SELECT": "AccessShareLock",
    "SELECT FOR UPDATE": "RowShareLock",
    "INSERT": "RowExclusiveLock",
    "UPDATE": "RowExclusiveLock",
    "DELETE": "RowExclusiveLock",
    "VACUUM": "ShareUpdateExclusiveLock",
    "ANALYZE": "ShareUpdateExclusiveLock",
    "CREATE INDEX CONCURRENTLY": "ShareUpdateExclusiveLock",
    "CREATE INDEX": "ShareLock",
    "CREATE TRIGGER": "ShareRowExclusiveLock",
    "REFRESH MATERIALIZED VIEW CONCURRENTLY": "ExclusiveLock",
    "ALTER TABLE": "AccessExclusiveLock",
    "DROP TABLE": "AccessExclusiveLock",
    "TRUNCATE": "AccessExclusiveLock",
    "VACUUM FULL": "AccessExclusiveLock",
}
READS = ("SELECT",)
WRITES = ("INSERT", "UPDATE", "DELETE")


def check_mode(mode: str) -> str:
    """``mode`` when it is one of the eight table-level modes; ValueError otherwise."""
    if mode not in CONFLICTS:
        raise ValueError(f"not a table-level lock mode: {mode!r} (one of {', '.join(MODES)})")
    return mode


def spoken(mode: str) -> str:
    """The documentation's name of a mode: ``AccessExclusiveLock`` → ``ACCESS EXCLUSIVE``."""
    words, current = [], ""
    for char in check_mode(mode).removesuffix("Lock"):
        if char.isupper() and current:
            words.append(current)
            current = ""
        current += char
    return " ".join([*words, current]).upper()


def conflicts(held: str, wanted: str) -> bool:
    """Whether a lock in mode ``wanted`` must wait while another session holds ``held``."""
    return wanted in CONFLICTS[check_mode(held)]


def blocked_statements(modes) -> tuple[str, ...]:
    """The common statements that wait while the given modes are held, in report order."""
    held = [check_mode(m) for m in modes]
    return tuple(name for name, wanted in COMMON_STATEMENTS.items()
                 if any(conflicts(mode, wanted) for mode in held))


def blocks_reads(modes) -> bool:
    """Whether a plain SELECT waits while the given modes are held."""
    return any(name in READS for name in blocked_statements(modes))


def blocks_writes(modes) -> bool:
    """Whether INSERT, UPDATE and DELETE wait while the given modes are held."""
    return any(name in WRITES for name in blocked_statements(modes))


def strongest(modes) -> tuple[str, ...]:
    """The modes that matter: those whose conflicts no other of ``modes`` already covers
    (ACCESS SHARE next to SHARE ROW EXCLUSIVE adds nothing), in the documentation's order."""
    unique = sorted({check_mode(m) for m in modes}, key=MODES.index)
    return tuple(m for m in unique
                 if not any(other != m and CONFLICTS[m] <= CONFLICTS[other] for other in unique))
