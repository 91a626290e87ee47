"""Several migrations traced in order, each in a transaction of its own, as a runner applies
them (Alembic revisions one after another, the Drafts of a review): one trace of them all,
with a ``COMMIT`` between two of them, so each one sees the schema the ones before it made
and holds its locks only until its own end; then cut into one :class:`Trace` per migration,
numbered as its own SQL (statement 1 is its first statement, lines are its own lines).

A statement that fails stops the trace: the migrations before it are traced again on their
own, the one it belongs to carries the error, and those after it say they were not reached.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from ..drafts.sqltext import check_sql
from .model import StatementTrace
from .report import Trace
from .running import TraceError
from .trace import trace

SEPARATOR = "\n;\nCOMMIT;\n"
STATEMENT = re.compile(r"\bstatement (\d+)(, line (\d+))?")


@dataclass(frozen=True)
class PartTrace:
    """One migration of a series: its ``label``, and its ``trace`` or the ``error`` (one line)
    that left it without one (its own statement failed, or an earlier migration's did)."""

    label: str
    trace: Trace | None = None
    error: str = ""

    @property
    def traced(self) -> bool:
        return self.trace is not None

    def failures(self, over_ms: float) -> list[str]:
        """Its locks that stop reads or writes longer than ``over_ms``, in words; a part
        without a trace fails with its error (an error is never a pass)."""
        if self.trace is None:
            return [f"not traced: {self.error}"]
        return self.trace.failures(over_ms)

    def to_dict(self) -> dict:
        return {"label": self.label, "traced": self.traced, "error": self.error or None,
                "trace": self.trace.to_dict() if self.trace else None}


@dataclass(frozen=True)
class Span:
    """Where one migration sits in the whole text: its first statement's number, how many
    statements it has, and the line it starts on."""

    first: int
    count: int
    line: int

    def holds(self, number: int) -> bool:
        return self.first <= number < self.first + self.count


def trace_series(target, parts: Sequence[tuple[str, str]], **options) -> tuple[PartTrace, ...]:
    """Trace ``parts`` (``(label, sql)`` pairs, in order) on ``target`` in one rolled-back
    transaction, each part committed before the next as a runner would; ``options`` go to
    :func:`workbench.impact.trace`. A SQL text that does not parse is an error naming its part;
    a statement that fails is the error of its part."""
    if not parts:
        return ()
    text, spans = layout(parts)
    try:
        whole = trace(target, text, **options)
    except TraceError as exc:
        index = failed_part(exc, spans)
        if index is None:
            raise
        return stopped_at(target, parts, spans, index, exc, options)
    return tuple(PartTrace(label, cut(whole, spans, index)) for index, (label, _) in enumerate(parts))


def layout(parts: Sequence[tuple[str, str]]) -> tuple[str, list[Span]]:
    """The parts as one text, a ``COMMIT`` between two of them, and where each one sits."""
    spans, chunks, number, line = [], [], 1, 1
    for label, sql in parts:
        count = len(check_sql(sql, f"SQL of {label}"))
        spans.append(Span(number, count, line))
        chunks.append(sql)
        number += count + 1  # its statements, then the COMMIT
        line += sql.count("\n") + SEPARATOR.count("\n")
    return SEPARATOR.join(chunks), spans


def cut(whole: Trace, spans: list[Span], index: int) -> Trace:
    """Part ``index`` of the whole trace, numbered as its own SQL."""
    span = spans[index]
    statements = whole.statements[span.first - 1:span.first - 1 + span.count]
    notes = tuple(local_text(note, spans, span) for note in whole.notes if note_belongs(note, spans, span))
    return replace(whole, statements=tuple(renumbered(s, span) for s in statements), notes=notes)


def renumbered(s: StatementTrace, span: Span) -> StatementTrace:
    """Statement ``s`` numbered within its part (its transaction never leaves the part)."""
    shift = span.first - 1
    return replace(s, number=s.number - shift, line=s.line - span.line + 1,
                   held_until=None if s.held_until is None else s.held_until - shift,
                   earlier_locks=tuple((r, m, n - shift, t) for r, m, n, t in s.earlier_locks),
                   disagreements=tuple(replace(d, statement=d.statement - shift) for d in s.disagreements))


def note_belongs(note: str, spans: list[Span], span: Span) -> bool:
    """A note naming a statement belongs to that statement's part; others to every part."""
    found = STATEMENT.search(note)
    return found is None or span.holds(int(found.group(1)))


def local_text(text: str, spans: list[Span], span: Span) -> str:
    """``text`` with ``statement N`` (and ``, line L``) of ``span`` numbered within it."""
    def local(found: re.Match) -> str:
        number = int(found.group(1))
        if not span.holds(number):
            return found.group(0)
        where = f", line {int(found.group(3)) - span.line + 1}" if found.group(3) else ""
        return f"statement {number - span.first + 1}{where}"

    return STATEMENT.sub(local, text)


def failed_part(exc: TraceError, spans: list[Span]) -> int | None:
    """The part whose statement the error names (None: it names no statement)."""
    found = STATEMENT.search(exc.where or "") or STATEMENT.search(exc.what)
    if found is None:
        return None
    number = int(found.group(1))
    return next((i for i, span in enumerate(spans) if span.holds(number)), None)


def stopped_at(target, parts, spans, index: int, exc: TraceError, options) -> tuple[PartTrace, ...]:
    """The parts before ``index`` traced on their own, ``index`` with the error, the rest unreached."""
    before = trace_series(target, parts[:index], **options)
    span, label = spans[index], parts[index][0]
    where = f" ({local_text(exc.where, spans, span)})" if exc.where else ""
    failed = PartTrace(label, error=local_text(exc.what, spans, span) + where)
    unreached = tuple(PartTrace(later, error=f"the trace stopped at {label}, which comes first")
                      for later, _ in parts[index + 1:])
    return (*before, failed, *unreached)
