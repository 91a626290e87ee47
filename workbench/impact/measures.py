"""What a reviewer weighs in a trace, reduced to a few facts: the longest-held lock that makes
reads or writes wait, the tables read or rewritten while such a lock is held, the tables
rewritten, the time, and the statements that could not be traced."""
from __future__ import annotations

from dataclasses import dataclass

from ..plans.words import ms
from .lockmodes import MODES, blocks_reads, blocks_writes, spoken, strongest
from .report import Trace
from .timing import transactions


@dataclass(frozen=True)
class Blocking:
    """A lock that makes reads or writes wait: taken by ``statement`` on ``relation`` and held
    ``held_ms`` (None: a documented lock of a statement that was not traced, time unknown)."""

    statement: int
    relation: str
    mode: str
    held_ms: float | None
    estimated: bool = False

    def text(self) -> str:
        held = ("(documented; its time is not measured)" if self.held_ms is None
                else f"for {ms(self.held_ms)}{' (estimate)' if self.estimated else ''}")
        return f"{spoken(self.mode)} on {self.relation} {held}"


@dataclass(frozen=True)
class Work:
    """A table read (``validation scan``, ``scan``) or rewritten (``rewrite``) by ``statement``
    while locks in ``modes``, which make reads or writes wait, are held on it."""

    statement: int
    table: str
    what: str
    modes: tuple[str, ...]

    def text(self) -> str:
        return f"{self.what} of {self.table} under {' and '.join(spoken(m) for m in self.modes)}"


@dataclass(frozen=True)
class Measures:
    """The facts of one trace (see the module doc)."""

    statements: int
    transactions: int
    blocking: tuple[tuple[str, tuple[str, ...]], ...]
    longest: Blocking | None
    under_lock: tuple[Work, ...]
    rewrites: tuple[str, ...]
    total_ms: float
    not_traced: tuple[int, ...]
    estimated: bool

    def to_dict(self) -> dict:
        longest = self.longest
        return {"statements": self.statements, "transactions": self.transactions,
                "blocking": {relation: list(modes) for relation, modes in self.blocking},
                "longest_lock": None if longest is None else {
                    "statement": longest.statement, "relation": longest.relation,
                    "mode": longest.mode, "held_ms": longest.held_ms},
                "under_lock": [{"statement": w.statement, "table": w.table, "what": w.what,
                                "modes": list(w.modes)} for w in self.under_lock],
                "rewrites": list(self.rewrites), "total_ms": round(self.total_ms, 3),
                "not_traced": list(self.not_traced), "estimated": self.estimated}


def measures(trace: Trace) -> Measures:
    """The facts of ``trace``."""
    statements = [s for s in trace.statements if s.kind != "TransactionStmt"]
    return Measures(len(statements), len(transactions(list(trace.statements))), blocking_modes(trace),
                    longest_block(trace),
                    tuple(w for s in statements if s.traced for w in work_under_lock(s)),
                    tuple(t for s in statements for t in rewritten_tables(s)),
                    sum(s.duration_ms or 0 for s in statements),
                    tuple(s.number for s in statements if not s.traced), trace.estimated)


def table_locks(trace: Trace):
    """Each statement's locks on tables that make reads or writes wait, as ``(s, lock)``."""
    return [(s, lock) for s in trace.statements for lock in s.blocking_locks
            if lock.kind == "table" or lock.documented]


def blocking_modes(trace: Trace) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every table a lock that makes reads or writes wait is taken on, with its strongest modes."""
    modes: dict[str, list[str]] = {}
    for _, lock in table_locks(trace):
        modes.setdefault(lock.relation, []).append(lock.mode)
    return tuple((relation, strongest(found)) for relation, found in sorted(modes.items()))


def longest_block(trace: Trace) -> Blocking | None:
    """The lock on a table that makes reads or writes wait the longest (one whose time is not
    known counts as the longest); among equals, the strongest mode, then the largest table."""
    found = [(Blocking(s.number, lock.relation, lock.mode, s.held_ms if s.traced else None, s.estimated),
              s.sizes.get(lock.relation, (0.0, 0))[0]) for s, lock in table_locks(trace)]
    if not found:
        return None
    return max(found, key=lambda pair: (pair[0].held_ms is None, pair[0].held_ms or 0.0,
                                        MODES.index(pair[0].mode), pair[1]))[0]


def rewritten_tables(s) -> list[str]:
    """The tables a statement gave new storage (its rebuilt indexes left out)."""
    return [name for name in s.rewrites if name not in s.owners]


def work_under_lock(s) -> list[Work]:
    """The tables ``s`` read or rewrote while a lock making reads or writes wait was held on
    them (its own locks and those earlier statements of its transaction still hold)."""
    work = [(t, "rewrite") for t in rewritten_tables(s)]
    work += [(t, "validation scan") for t in s.validated if t not in s.rewrites]
    work += [(t, "index build" if s.kind == "IndexStmt" else "scan") for t in s.scanned
             if t not in s.validated and t not in s.rewrites]
    found = []
    for table, what in work:
        modes = strongest(s.modes_held_on(table)) if s.modes_held_on(table) else ()
        if modes and (blocks_reads(modes) or blocks_writes(modes)):
            found.append(Work(s.number, table, what, modes))
    return found
