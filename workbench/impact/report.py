"""``Trace``: a migration's statements as traced, with the views a person or a script reads:
plain text, a dict for JSON, a DataFrame, HTML for notebooks, and the locks over a limit."""
from __future__ import annotations

from dataclasses import dataclass

from ..plans.words import ms
from .lockmodes import spoken
from .model import Disagreement, Hold, StatementTrace


@dataclass(frozen=True)
class Trace:
    """The trace of one migration: ``statements`` in order, the ``database`` and
    ``server_version`` they ran on (in a transaction that was rolled back), the
    ``lock_timeout`` in force, whether ``squawk`` ran (``squawk_note`` says why not), and
    ``notes`` on the trace as a whole."""

    statements: tuple[StatementTrace, ...]
    database: str
    server_version: int
    lock_timeout: str
    squawk_note: str
    notes: tuple[str, ...] = ()
    production_rows: tuple[tuple[str, int], ...] = ()

    def __len__(self) -> int:
        return len(self.statements)

    def __iter__(self):
        return iter(self.statements)

    def __getitem__(self, index: int) -> StatementTrace:
        return self.statements[index]

    @property
    def disagreements(self) -> tuple[Disagreement, ...]:
        """Where squawk's static verdicts and the trace differ, statement by statement."""
        return tuple(d for s in self.statements for d in s.disagreements)

    @property
    def estimated(self) -> bool:
        return any(s.estimated for s in self.statements)

    def holds(self) -> tuple[Hold, ...]:
        """Every lock on an existing relation, from the statement that took it to the end of
        its transaction: a lock taken by statement 2 is still held while 3, 4 and 5 run."""
        return tuple(Hold(lock.relation, lock.mode, s.number, s.held_until, s.held_ms,
                          lock.documented) for s in self.statements for lock in s.locks if not lock.new)

    def failures(self, over_ms: float) -> list[str]:
        """Locks that make reads or writes wait longer than ``over_ms``, in words. A
        statement that is not traced and whose documented lock blocks reads or writes
        counts too: its time is not known."""
        found = []
        for s in self.statements:
            for lock in s.blocking_locks:
                what = f"statement {s.number} holds {spoken(lock.mode)} on {lock.relation}"
                if not s.traced:
                    found.append(f"{what} (documented) for a time the trace could not measure")
                elif s.held_ms is not None and s.held_ms > over_ms:
                    estimate = " (estimate)" if s.estimated else ""
                    found.append(f"{what} for {ms(s.held_ms)}{estimate}, over {ms(over_ms)}")
        return found

    def to_dict(self) -> dict:
        """The trace as JSON-ready data."""
        return {"database": self.database, "server_version": self.server_version,
                "lock_timeout": self.lock_timeout, "rolled_back": True,
                "production_rows": dict(self.production_rows), "estimated": self.estimated,
                "squawk": self.squawk_note, "notes": list(self.notes),
                "statements": [s.to_dict() for s in self.statements],
                "holds": [hold.to_dict() for hold in self.holds()]}

    def headline(self) -> str:
        traced = sum(s.traced for s in self.statements)
        total = sum(s.duration_ms or 0 for s in self.statements)
        estimate = " (estimated for production)" if self.estimated else ""
        return (f"lock trace on {self.database}: {len(self.statements)} statement(s), {traced} traced "
                f"in {ms(total)}{estimate}, rolled back")

    def text(self) -> str:
        """Plain text: each statement with its words, then the notes."""
        lines = [self.headline()]
        for s in self.statements:
            lines.append(f"{s.number}. line {s.line}: {first_line(s.sql)}")
            lines += [f"   {sentence}" for sentence in s.words()]
        lines += [f"note: {note}" for note in (*self.notes, self.squawk_note) if note]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<Trace {self.database}: {len(self.statements)} statement(s)>"

    def frame(self):
        """DataFrame: one row per statement and lock (statements without a lock get one row)."""
        from .display import trace_frame

        return trace_frame(self)

    def _repr_html_(self) -> str:
        from .display import trace_html

        return trace_html(self)


def first_line(sql: str, limit: int = 100) -> str:
    """The statement's first line of code (comments skipped), shortened to ``limit``."""
    code = [line.strip() for line in sql.splitlines()
            if line.strip() and not line.strip().startswith("--")]
    text = code[0] if code else sql.strip()
    more = len(code) > 1 or len(text) > limit
    return (text[:limit - 1] if len(text) > limit else text) + ("…" if more else "")
