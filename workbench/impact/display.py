"""A Trace for notebooks: a DataFrame of its locks and an HTML table per statement."""
from __future__ import annotations

import html

from ..plans.words import ms
from .lockmodes import blocked_statements, spoken, strongest
from .report import Trace, first_line

FRAME_COLUMNS = ["statement", "line", "sql", "traced", "relation", "kind", "mode", "documented",
                 "blocks", "rewritten", "validated", "duration_ms", "held_ms", "estimated"]


def trace_frame(trace: Trace):
    """One row per statement and lock it took (a statement without a lock gets one row)."""
    import pandas as pd

    rows = []
    for s in trace.statements:
        common = {"statement": s.number, "line": s.line, "sql": first_line(s.sql), "traced": s.traced,
                  "duration_ms": s.duration_ms, "held_ms": s.held_ms, "estimated": s.estimated}
        locks = s.locks or (None,)
        for lock in locks:
            rows.append({**common,
                         "relation": lock.relation if lock else None,
                         "kind": lock.kind if lock else None,
                         "mode": lock.mode if lock else None,
                         "documented": lock.documented if lock else False,
                         "blocks": ", ".join(lock.blocks) if lock else "",
                         "rewritten": bool(lock) and lock.relation in s.rewrites,
                         "validated": bool(lock) and lock.relation in s.validated})
    return pd.DataFrame(rows, columns=FRAME_COLUMNS)


def trace_html(trace: Trace) -> str:
    """A heading, then per statement its SQL, a table of its locks and its words."""
    parts = [f"<p><b>{html.escape(trace.headline())}</b></p>"]
    for s in trace.statements:
        status = "" if s.traced else " <i>(not traced)</i>"
        parts.append(f"<p><b>{s.number}.</b> line {s.line}{status}</p>"
                     f"<pre>{html.escape(s.sql)}</pre>{locks_table(s)}")
        parts.append("<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in s.words()) + "</ul>")
    parts += [f"<p><i>{html.escape(note)}</i></p>" for note in (*trace.notes, trace.squawk_note) if note]
    return "".join(parts)


def locks_table(s) -> str:
    """The statement's locks on existing tables, then those earlier statements of its
    transaction still hold while it runs."""
    head = "<tr><th>relation</th><th>lock</th><th>held</th><th>who waits</th><th>source</th></tr>"
    rows = [lock_row(lock.relation, lock.mode, held(s), lock.blocks, source(lock))
            for lock in s.locks if not lock.new and lock.kind == "table"]
    rows += [lock_row(relation, mode, "", blocked_statements([mode]), f"held since statement {number}")
             for relation, mode, number, table in strongest_earlier(s)]
    if not rows:
        rows = ["<tr><td colspan=\"5\">no lock on an existing table</td></tr>"]
    return f"<table>{head}{''.join(rows)}</table>"


def lock_row(relation: str, mode: str, held_for: str, blocks, origin: str) -> str:
    return (f"<tr><td>{html.escape(relation)}</td><td>{spoken(mode)}</td><td>{held_for}</td>"
            f"<td>{html.escape(', '.join(blocks))}</td><td>{html.escape(origin)}</td></tr>")


def held(s) -> str:
    if s.held_ms is None:
        return "not measured"
    return ms(s.held_ms) + (" (estimate)" if s.estimated else "")


def source(lock) -> str:
    if lock.documented:
        return "documented"
    return "pg_locks, run alone" if lock.alone else "pg_locks"


def strongest_earlier(s) -> list[tuple[str, str, int, str | None]]:
    """Earlier statements' locks on tables, the strongest modes per table."""
    by_table: dict[str, list[tuple[str, str, int, str | None]]] = {}
    for held_lock in s.earlier_locks:
        if held_lock[3] is None:
            by_table.setdefault(held_lock[0], []).append(held_lock)
    result = []
    for found in by_table.values():
        modes = strongest(m for _, m, _, _ in found)
        result += [next(h for h in found if h[1] == mode) for mode in modes]
    return result
