"""A Comparison for notebooks: the facts of both sides in one table, then both traces side by
side (statement, words; the safer form step by step), the reasons and the notes; a DataFrame
of the facts; a Safer form as Markdown."""
from __future__ import annotations

import html

from ..plans.words import ms
from .report import first_line

TOP = 'style="vertical-align: top; text-align: left"'


def comparison_frame(c):
    """One row per side: statements, transactions, the longest lock stopping reads or writes,
    the work done under such a lock, rewrites and times."""
    import pandas as pd

    sides = [("as written", c.as_written)] + ([("safer form", c.safer_measures)] if c.known else [])
    rows = []
    for side, m in sides:
        longest = m.longest
        rows.append({"side": side, "statements": m.statements, "transactions": m.transactions,
                     "longest_lock": longest.mode if longest else None,
                     "longest_lock_on": longest.relation if longest else None,
                     "longest_lock_ms": longest.held_ms if longest else None,
                     "under_lock": "; ".join(w.text() for w in m.under_lock),
                     "rewrites": ", ".join(m.rewrites), "total_ms": m.total_ms,
                     "not_traced": len(m.not_traced), "estimated": m.estimated})
    return pd.DataFrame(rows).set_index("side")


def comparison_html(c) -> str:
    parts = [f"<p><b>{html.escape(c.headline())}</b></p>", facts_table(c)]
    if c.known:
        safer_side = compact(c.safer_trace, c.safer, rests(c))
        parts.append(f"<table><tr><th {TOP}>as written</th><th {TOP}>safer form</th></tr>"
                     f"<tr><td {TOP}>{compact(c.risky)}</td><td {TOP}>{safer_side}</td></tr></table>")
        parts += [f"<p><b>why ({html.escape(a.pattern)})</b>: {html.escape(a.rationale)}</p>"
                  for a in c.safer.alternatives]
        parts += [f"<p><b>meanwhile</b>: {html.escape(a.meanwhile)}</p>"
                  for a in c.safer.alternatives if a.meanwhile]
    else:
        parts.append(compact(c.risky))
    parts += [f"<p><i>{html.escape(run.text())}</i></p>" for run in c.batch_runs]
    parts += [f"<p><i>kept as written: {html.escape(k.text())}</i></p>" for k in c.safer.kept]
    parts += [f"<p><i>note: {html.escape(note)}</i></p>" for note in c.all_notes()]
    return "".join(parts)


def facts_table(c) -> str:
    """The facts of both sides, a row each."""
    from .comparison import rewrite_fact, work_fact

    sides = [c.as_written] + ([c.safer_measures] if c.known else [])
    head = "<tr><th></th><th>as written</th>" + ("<th>safer form</th>" if c.known else "") + "</tr>"
    rows = [("statements (transactions)", [f"{m.statements} ({m.transactions})" for m in sides]),
            ("longest lock that stops reads or writes",
             [m.longest.text() if m.longest else "none" for m in sides]),
            ("read or rewritten under such a lock",
             [work_fact(m) if m.under_lock else "nothing" for m in sides]),
            ("tables rewritten", [rewrite_fact(m) for m in sides]),
            ("total time", [total(m) for m in sides]),
            ("not traced", [f"{len(m.not_traced)} statement(s)" if m.not_traced else "none" for m in sides])]
    body = "".join(f"<tr><td {TOP}>{html.escape(name)}</td>"
                   + "".join(f"<td {TOP}>{html.escape(value)}</td>" for value in values) + "</tr>"
                   for name, values in rows)
    return f"<table>{head}{body}</table>"


def total(m) -> str:
    text = ms(m.total_ms) + (" (estimate)" if m.estimated else "")
    if m.not_traced:
        text += f"; {len(m.not_traced)} statement(s) not traced, not counted"
    return text


def rests(c) -> set[int]:
    """The statements that run the rest of a backfill at once (the trace's stand-in)."""
    return {run.rest_statement for run in c.batch_runs if run.rest_statement}


def compact(trace, safer=None, stand_ins=frozenset()) -> str:
    """Each statement's first line and words; with ``safer``, each step's title before its
    statements and a line where a step commits; ``stand_ins`` are said to be the rest of a
    backfill, run at once."""
    owners = safer.step_of_statements() if safer is not None else [None] * len(trace.statements)
    parts, current = [], None
    for s, owner in zip(trace.statements, owners):
        if s.kind == "TransactionStmt":
            parts.append("<p><i>— commit —</i></p>")
            continue
        if safer is not None and owner != current:
            current = owner
            parts.append(f"<p><u>step {owner + 1}: {html.escape(safer.steps[owner].title)}</u></p>")
        status = " <i>(not traced)</i>" if not s.traced else ""
        status += " <i>(the rest of the backfill at once, standing in for the batches)</i>" \
            if s.number in stand_ins else ""
        parts.append(f"<p><b>{s.number}.</b> <code>{html.escape(first_line(s.sql, 80))}</code>{status}</p>"
                     "<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in s.words()) + "</ul>")
    return "".join(parts)


def safer_markdown(safer) -> str:
    """The safer form: each step's title and up SQL, then why and what to do meanwhile."""
    if not safer.known:
        return f"**{safer.title}**: no safer form known\n\n" + "\n".join(f"- {k.text()}" for k in safer.kept)
    parts = [f"**{safer.title}**: {len(safer.steps)} steps, each a transaction of its own "
             "(each step's down SQL: `.steps[i].down`)"]
    for number, draft in enumerate(safer.steps, start=1):
        repeat = " — one batch: repeat until it updates no row" if number - 1 in safer.batches else ""
        parts.append(f"{number}. {draft.title}{repeat}\n\n```sql\n{draft.up.strip()}\n```")
    parts += [f"later release: {draft.title}\n\n```sql\n{draft.up.strip()}\n```" for draft in safer.later]
    parts += [f"*why ({a.pattern})*: {a.rationale}" for a in safer.alternatives]
    parts += [f"*meanwhile*: {a.meanwhile}" for a in safer.alternatives if a.meanwhile]
    parts += [f"*kept as written*: {k.text()}" for k in safer.kept]
    return "\n\n".join(parts)
