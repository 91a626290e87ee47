"""``Comparison``: a migration as written and its safer form, each traced the same way, and
what differs: the longest lock that makes reads or writes wait, the work done under such a
lock, the rewrites, the time."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from ..plans.words import count, ms
from .lockmodes import blocked_statements, spoken
from .measures import Measures, measures
from .form import Safer
from .report import Trace, first_line

NO_SAFER_FORM = "no safer form known"


@dataclass(frozen=True)
class BatchRun:
    """A backfill step as traced: one batch (statement ``statement``), then the rest of the
    rows at once (statement ``rest_statement``, the trace's stand-in for repeating the batch)."""

    step: int
    statement: int
    rest_statement: int | None
    table: str
    batch_rows: int
    table_rows: float
    batch_ms: float
    rest_ms: float

    @property
    def batches(self) -> int:
        return max(1, math.ceil(self.table_rows / self.batch_rows))

    def text(self) -> str:
        repeated = ("one batch covers them" if self.batches == 1
                    else f"repeated about {count(self.batches)} times, each its own short transaction")
        return (f"step {self.step} is one batch of {count(self.batch_rows)} rows ({ms(self.batch_ms)}); "
                f"{self.table} has about {count(self.table_rows)} rows: {repeated}; the trace ran the "
                f"rest at once ({ms(self.rest_ms)}) so the later steps see every row filled")


@dataclass(frozen=True)
class Comparison:
    """The ``risky`` trace (the migration as written), the ``safer`` form and its trace
    (``safer_trace``, None when no safer form is known), and ``notes``."""

    risky: Trace
    safer: Safer
    safer_trace: Trace | None
    notes: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.safer_trace is not None

    @cached_property
    def as_written(self) -> Measures:
        return measures(self.risky)

    @cached_property
    def safer_measures(self) -> Measures | None:
        return measures(self.safer_trace) if self.safer_trace is not None else None

    @property
    def shorter_block(self) -> bool | None:
        """Whether the safer form's longest lock stopping reads or writes is held for less time
        than the original's (True when it takes none; None without a safer form or times)."""
        mine, theirs = self.safer_measures, self.as_written
        if mine is None or theirs.longest is None:
            return None
        if mine.longest is None:
            return True
        if mine.longest.held_ms is None or theirs.longest.held_ms is None:
            return None
        return mine.longest.held_ms < theirs.longest.held_ms

    @property
    def less_work_under_lock(self) -> bool | None:
        """Whether the original reads or rewrites tables under a lock stopping reads or writes
        and the safer form does not (None without a safer form)."""
        if self.safer_measures is None:
            return None
        return bool(self.as_written.under_lock) and not self.safer_measures.under_lock

    @cached_property
    def batch_runs(self) -> tuple[BatchRun, ...]:
        """The backfill steps of the safer form, each traced as one batch and the rest."""
        if self.safer_trace is None:
            return ()
        owners = self.safer.step_of_statements()
        runs = []
        for index, batch in sorted(self.safer.batches.items()):
            updates = [s for s, owner in zip(self.safer_trace.statements, owners)
                       if owner == index and s.traced and s.kind == "UpdateStmt"]
            if updates:
                first, rest = updates[0], (updates[1] if len(updates) > 1 else None)
                table, (rows, _) = next(iter(first.sizes.items()), (batch.table, (0.0, 0)))
                runs.append(BatchRun(index + 1, first.number, rest.number if rest else None, table,
                                     batch.rows, rows, first.duration_ms or 0.0,
                                     rest.duration_ms or 0.0 if rest else 0.0))
        return tuple(runs)

    def facts(self) -> list[str]:
        """What differs, in words that stay the same from run to run (modes, tables, yes/no):
        no times."""
        lines = [f"as written: {lock_fact(self.as_written)}", f"as written: {work_fact(self.as_written)}",
                 f"as written: {rewrite_fact(self.as_written)}"]
        if not self.known:
            return lines + [f"{NO_SAFER_FORM} for this migration"] + [k.text() for k in self.safer.kept]
        mine = self.safer_measures
        lines += [f"safer form ({steps(len(self.safer.steps))}): {lock_fact(mine)}",
                  f"safer form: {work_fact(mine)}", f"safer form: {rewrite_fact(mine)}"]
        if self.shorter_block is not None:
            lines.append("the safer form holds its longest lock that stops reads or writes for less "
                         f"time: {'yes' if self.shorter_block else 'no'}")
        lines += [f"safer form: statement {n} is not traced ({first_line(self.safer_trace[n - 1].sql, 40)}): "
                  f"documented {', '.join(spoken(l.mode) for l in self.safer_trace[n - 1].locks)}, no time"
                  for n in mine.not_traced]
        return lines

    def headline(self) -> str:
        if not self.known:
            return f"{NO_SAFER_FORM}: the migration as written, traced on {self.risky.database}, rolled back"
        return (f"as written ({self.as_written.statements} statement(s)) and safer form "
                f"({steps(len(self.safer.steps))}), traced on {self.risky.database}, both rolled back")

    def text(self) -> str:
        """The facts, the safer form's times and batches, and the notes, as plain text."""
        lines = [self.headline(), *self.facts()]
        lines += [f"total time: as written {ms(self.as_written.total_ms)}"
                  + (f", safer form {ms(self.safer_measures.total_ms)}" if self.known else "")]
        lines += [run.text() for run in self.batch_runs]
        lines += [f"note: {note}" for note in self.all_notes()]
        return "\n".join(lines)

    def all_notes(self) -> list[str]:
        """The notes, and the statements kept as written that the trace saw do risky work."""
        risky = {w.statement: w for w in self.as_written.under_lock}
        kept = [f"statement {k.statement} has {NO_SAFER_FORM} and it does {risky[k.statement].text()}"
                for k in self.safer.kept if k.statement in risky]
        return [*self.notes, *kept]

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<Comparison {self.risky.database}: {'safer form known' if self.known else NO_SAFER_FORM}>"

    def frame(self):
        """DataFrame: one row per side (as written, safer form) with the facts and times."""
        from .sidebyside import comparison_frame

        return comparison_frame(self)

    def _repr_html_(self) -> str:
        from .sidebyside import comparison_html

        return comparison_html(self)

    def to_dict(self) -> dict:
        """Both traces, the safer form and the facts, as JSON-ready data."""
        return {"known": self.known, "facts": self.facts(), "notes": self.all_notes(),
                "as_written": {"measures": self.as_written.to_dict(), "trace": self.risky.to_dict()},
                "safer": None if not self.known else {
                    "form": self.safer.to_dict(), "measures": self.safer_measures.to_dict(),
                    "trace": self.safer_trace.to_dict(),
                    "batches": [{"step": r.step, "batches": r.batches, "batch_ms": round(r.batch_ms, 3)}
                                for r in self.batch_runs]}}


def lock_fact(m: Measures) -> str:
    """The locks that make reads or writes wait, by mode, with the tables they are taken on."""
    if not m.blocking:
        return "no lock that stops reads or writes of an existing table"
    tables: dict[str, list[str]] = {}
    for relation, modes in m.blocking:
        tables.setdefault(modes[-1], []).append(relation)
    return "locks that stop reads or writes: " + "; ".join(
        f"{spoken(mode)} on {', '.join(names)} ({who_waits(mode)})" for mode, names in tables.items())


def who_waits(mode: str) -> str:
    return "reads and writes wait" if "SELECT" in blocked_statements([mode]) else "writes wait"


def steps(number: int) -> str:
    return f"{number} step{'s' * (number != 1)}"


def work_fact(m: Measures) -> str:
    if not m.under_lock:
        return "no table is read or rewritten while a lock that stops reads or writes is held"
    return "; ".join(w.text() for w in m.under_lock)


def rewrite_fact(m: Measures) -> str:
    return f"rewrites {', '.join(m.rewrites)}" if m.rewrites else "no table rewritten"
