"""What a trace found, as data: per statement the locks it took, what it rewrote and read,
how long it ran and how long its locks stay held; and the whole migration's trace."""
from __future__ import annotations

from dataclasses import dataclass, field

from .lockmodes import blocked_statements, blocks_reads, blocks_writes


@dataclass(frozen=True)
class Lock:
    """One lock on one relation. ``kind``: table, index, sequence or view; ``new``: the
    relation was created by this migration (no other session can see it yet);
    ``documented``: the mode comes from PostgreSQL's documentation, not from ``pg_locks``;
    ``alone``: seen in ``pg_locks`` when the statement ran alone, as an earlier transaction
    of the migration already held it in the trace (see :mod:`workbench.impact.alone`)."""

    relation: str
    mode: str
    kind: str = "table"
    new: bool = False
    documented: bool = False
    table: str | None = None  # an index's table
    alone: bool = False

    @property
    def blocks(self) -> tuple[str, ...]:
        """Common statements that wait for it (none on a relation nobody else sees yet)."""
        return () if self.new else blocked_statements([self.mode])

    @property
    def blocks_reads_or_writes(self) -> bool:
        return not self.new and (blocks_reads([self.mode]) or blocks_writes([self.mode]))

    def to_dict(self) -> dict:
        return {"relation": self.relation, "mode": self.mode, "kind": self.kind,
                "new": self.new, "documented": self.documented, "alone": self.alone}


@dataclass(frozen=True)
class Scaling:
    """A duration scaled to production: the ``table`` whose row ratio set ``factor``."""

    table: str
    rows_here: float
    rows_there: int

    @property
    def factor(self) -> float:
        return self.rows_there / self.rows_here


@dataclass(frozen=True)
class Disagreement:
    """Where squawk's static verdict and the trace differ on one statement: ``rule`` (None
    when squawk was silent), what each ``squawk`` and the ``trace`` says, and ``why``."""

    statement: int
    rule: str | None
    squawk: str
    trace: str
    why: str

    def text(self) -> str:
        return f"squawk {self.squawk}; the trace {self.trace}: {self.why}"

    def to_dict(self) -> dict:
        return {"statement": self.statement, "rule": self.rule, "squawk": self.squawk,
                "trace": self.trace, "why": self.why}


@dataclass(frozen=True)
class StatementTrace:
    """One statement of the migration and what it did.

    Traced statements carry measured ``locks`` (acquired by the statement: new relations and
    stronger modes), ``rewrites`` (relations given new storage), ``validated`` (tables an
    ALTER TABLE read to check a constraint, besides those it rewrote), ``scanned`` (every table it read, with the scans counted),
    ``measured_ms`` and ``duration_ms`` (the same, or scaled to production when ``scaling``),
    and ``held_ms``: how long its locks stay held, from its start to the end of its
    transaction (statement ``held_until``); ``earlier_locks`` are the locks earlier
    statements of its transaction still hold while it runs, as ``(relation, mode, number,
    table)`` (``table``: an index's table); ``owners`` maps the indexes it locked or rebuilt
    to their tables. Statements that are not traced carry the
    documented locks (``Lock.documented``), ``reason`` and ``source``, and no times."""

    number: int
    sql: str
    line: int
    kind: str
    traced: bool
    locks: tuple[Lock, ...] = ()
    rewrites: tuple[str, ...] = ()
    validated: tuple[str, ...] = ()
    scanned: dict[str, tuple[int, int]] = field(default_factory=dict)
    created: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    measured_ms: float | None = None
    lock_wait_ms: float = 0.0
    duration_ms: float | None = None
    held_ms: float | None = None
    held_until: int | None = None
    scaling: Scaling | None = None
    sizes: dict[str, tuple[float, int]] = field(default_factory=dict)
    scans_measured: bool = True
    reason: str | None = None
    source: str | None = None
    stand_in: str | None = None
    stand_in_ms: float | None = None
    ends_transaction: bool = False
    earlier_locks: tuple[tuple[str, str, int, str | None], ...] = ()
    owners: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    squawk_rules: tuple[str, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()

    @property
    def estimated(self) -> bool:
        return self.scaling is not None

    @property
    def blocks(self) -> tuple[str, ...]:
        """Common statements that wait while this statement's locks are held."""
        return blocked_statements([lock.mode for lock in self.locks if not lock.new])

    @property
    def blocking_locks(self) -> tuple[Lock, ...]:
        """Its locks that make plain reads or writes of an existing relation wait."""
        return tuple(lock for lock in self.locks if lock.blocks_reads_or_writes)

    def modes_held_on(self, relation: str) -> tuple[str, ...]:
        """Every mode held on ``relation`` while it runs: its own and earlier statements'."""
        own = [lock.mode for lock in self.locks if lock.relation == relation and not lock.new]
        return tuple(own + [mode for name, mode, *_ in self.earlier_locks if name == relation])

    def words(self) -> list[str]:
        """The statement's effect in plain words, one sentence a line."""
        from .words import statement_words

        return statement_words(self)

    def to_dict(self) -> dict:
        return {"number": self.number, "line": self.line, "sql": self.sql, "traced": self.traced,
                "locks": [lock.to_dict() for lock in self.locks if not lock.documented],
                "documented_locks": [lock.to_dict() for lock in self.locks if lock.documented],
                "rewrites": list(self.rewrites), "validated": list(self.validated),
                "scanned": sorted(self.scanned), "created": list(self.created),
                "dropped": list(self.dropped), "duration_ms": _rounded(self.duration_ms),
                "measured_ms": _rounded(self.measured_ms),
                "lock_wait_ms": _rounded(self.lock_wait_ms), "held_ms": _rounded(self.held_ms),
                "held_until": self.held_until, "estimated": self.estimated,
                "earlier_locks": [{"relation": r, "mode": m, "from": n}
                                  for r, m, n, _ in self.earlier_locks],
                "blocks": list(self.blocks), "reason": self.reason, "source": self.source,
                "stand_in_ms": _rounded(self.stand_in_ms), "words": self.words(),
                "notes": list(self.notes), "squawk": list(self.squawk_rules),
                "disagreements": [d.to_dict() for d in self.disagreements]}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass(frozen=True)
class Hold:
    """One lock across the migration: taken by statement ``start``, held until its
    transaction ends after statement ``until``, for ``held_ms``."""

    relation: str
    mode: str
    start: int
    until: int | None
    held_ms: float | None
    documented: bool = False

    @property
    def blocks(self) -> tuple[str, ...]:
        return blocked_statements([self.mode])

    def to_dict(self) -> dict:
        return {"relation": self.relation, "mode": self.mode, "from": self.start,
                "until": self.until, "held_ms": _rounded(self.held_ms),
                "documented": self.documented, "blocks": list(self.blocks)}
