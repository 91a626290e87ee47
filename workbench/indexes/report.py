"""Index advice shown to people and scripts: text, JSON-ready data, DataFrames, HTML."""
from __future__ import annotations

from html import escape

import pandas as pd

from ..plans.words import ms, ratio, size
from .advice import Advice
from .challenge import REPLACED_BY


def queries_frame(advice: Advice) -> pd.DataFrame:
    """One row per query: estimated cost and measured time before/after, and the indexes used."""
    rows = []
    for result in advice.queries:
        rows.append({
            "query": result.number + 1, "label": result.label,
            "cost_before": result.cost_before, "cost_after": result.cost_after,
            "cost_ratio": (result.cost_before / result.cost_after)
            if result.cost_before and result.cost_after else None,
            "ms_before": result.ms_before, "ms_after": result.ms_after,
            "speedup": (result.ms_before / max(result.ms_after, 1e-3))
            if result.ms_before is not None and result.ms_after is not None else None,
            "indexes": ", ".join(result.indexes), "error": result.error,
        })
    return pd.DataFrame(rows).set_index("query")


def whatif_frame(advice: Advice) -> pd.DataFrame:
    """One row per query and candidate it proposed or used: the candidate alone, estimated."""
    evaluation, chosen = advice.run.evaluation, set(advice.run.confirmation.chosen)
    rows = []
    for (number, candidate), cost in evaluation.costs.items():
        used = evaluation.used.get((number, candidate), False)
        if not used and number not in evaluation.origins.get(candidate, {number}):
            continue
        base = evaluation.base_cost(number)
        made = evaluation.made.get(candidate)
        rows.append({
            "query": number + 1, "candidate": candidate.body(), "kinds": ", ".join(candidate.kinds),
            "cost_before": base, "cost_after": cost, "cost_ratio": base / cost if cost else None,
            "used": used,
            "size_bytes": made.size_bytes if made else None, "method": made.method if made else None,
            "recommended": candidate in chosen,
        })
    frame = pd.DataFrame(rows)
    return frame.sort_values(["query", "cost_after"]).reset_index(drop=True) if rows else frame


def recommended_frame(advice: Advice) -> pd.DataFrame:
    """One row per recommended index."""
    return pd.DataFrame([{
        "name": r.name, "table": f"{r.candidate.schema}.{r.candidate.table}",
        "definition": r.candidate.body(), "kinds": ", ".join(r.candidate.kinds),
        "size_bytes": r.size_bytes, "size_source": r.size_source,
        "queries": ", ".join(str(n + 1) for n in r.queries),
    } for r in advice.recommended], columns=["name", "table", "definition", "kinds", "size_bytes",
                                             "size_source", "queries"])


def comparison_dict(comparison) -> dict:
    after = comparison.after
    return {"case": comparison.sample.label, "params": list(comparison.sample.params or []),
            "ms_before": comparison.before.ms, "ms_after": after.ms if after else None,
            "error": comparison.before.error or (after.error if after else None)}


def advice_dict(advice: Advice) -> dict:
    """JSON-ready: per query cost before/after and chosen indexes; the ``recommended`` set."""
    return {
        "method": advice.method,
        "measured": advice.measured,
        "queries": [{
            "query": r.number + 1, "label": r.label, "sql": r.query.sql,
            "cost_before": r.cost_before, "cost_after": r.cost_after, "indexes": r.indexes,
            "measurements": [comparison_dict(c) for c in r.comparisons],
            "hints": r.hints, "policy_notes": r.policy_notes, "write_note": r.write_note, "error": r.error,
        } for r in advice.queries],
        "recommended": [{
            "name": r.name, "table": f"{r.candidate.schema}.{r.candidate.table}",
            "create_index": r.create_sql + ";", "drop_index": r.draft.down,
            "size_bytes": r.size_bytes, "size_source": r.size_source,
            "kinds": list(r.candidate.kinds), "queries": [n + 1 for n in r.queries], "notes": r.notes,
        } for r in advice.recommended],
        "left_out": [{"candidate": c.body(), "reason": reason} for c, reason in advice.left_out],
        "budget": budget_dict(advice),
        "drop_unused": drop_dict(advice),
        "as_role": advice.run.role,
        "timing_note": timing_note(advice),
        "unvacuumed": [table.to_dict() for table in advice.run.evaluation.unvacuumed],
        "tenants": [{"label": v.label, "claims": v.claims} for v in advice.run.viewers],
    }


def advice_notes(advice: Advice) -> list[str]:
    """What the reader of the advice should know about how it was timed: tables whose
    visibility map is mostly unset, and a VACUUM after the timed writes that failed."""
    notes = [table.note() for table in advice.run.evaluation.unvacuumed]
    timing = timing_note(advice)
    return notes + ([timing] if timing else [])


def timing_note(advice: Advice) -> str | None:
    """Why the reads may have been timed with a visibility map cleared by the timed writes."""
    note = advice.run.confirmation.tidy_note
    return f"{note}; index-only scans timed after the writes may look slower than they are" if note else None


def budget_dict(advice: Advice) -> dict | None:
    """The size budget: total, what the kept existing indexes and the new ones take."""
    budget = advice.budget
    if budget is None:
        return None
    new = sum(r.size_bytes or 0 for r in advice.recommended)
    return {"total_bytes": budget.total, "kept_bytes": budget.kept, "new_bytes": new,
            "within": budget.kept + new <= budget.total, "search": advice.run.selection.search}


def drop_dict(advice: Advice) -> dict | None:
    """The Draft dropping the unused existing indexes."""
    draft = advice.drop_draft
    if draft is None:
        return None
    return {"indexes": [{"name": f"{u.index.schema}.{u.index.name}", "size_bytes": u.index.size_bytes,
                         "scans": u.scans} for u in advice.unused],
            "up": draft.up, "down": draft.down}


def budget_lines(advice: Advice) -> list[str]:
    """The budget in words, and the unused indexes proposed for dropping."""
    lines = []
    budget = advice.budget
    if budget is not None:
        new = sum(r.size_bytes or 0 for r in advice.recommended)
        lines.append(f"Budget {size(budget.total)}: existing indexes kept {size(budget.kept)}, new "
                     f"{size(new)} ({'within' if budget.kept + new <= budget.total else 'OVER'} the budget; "
                     f"{advice.run.selection.search} search).")
    if advice.drop_draft is not None:
        lines += ["", f"-- {advice.drop_draft.title} (a Draft of its own; its down SQL makes them again):",
                  advice.drop_draft.up]
    return lines


def advice_text(advice: Advice) -> str:
    """A terminal report: the recommended indexes, then each query's before/after."""
    lines = [f"{len(advice.recommended)} index(es) recommended for {len(advice.queries)} quer"
             f"{'y' if len(advice.queries) == 1 else 'ies'} (what-if: {advice.method}"
             f"{', measured' if advice.measured else ''}"
             f"{f', as {advice.run.role}' if advice.run.role else ''})."]
    lines += [f"  as the {v.label}" for v in advice.run.viewers if v.claims]
    lines += [f"  note: {note}" for note in advice_notes(advice)]
    lines += budget_lines(advice)
    for rec in advice.recommended:
        lines += ["", f"{rec.create_sql};", f"  size {size(rec.size_bytes)}; serves queries "
                  f"{', '.join(str(n + 1) for n in rec.queries) or '-'}"]
        lines += [f"  note: {note}" for note in rec.notes]
    lines += replaced_lines(advice)
    lines += ["", "Queries:"]
    for result in advice.queries:
        lines.append(query_line(result))
        lines += [f"    policy: {note}" for note in result.policy_notes]
        lines += [f"    hint: {hint}" for hint in result.hints]
        lines += [f"    slower write: {result.write_note}"] if result.write_note else []
    return "\n".join(lines)


def replaced_lines(advice: Advice) -> list[str]:
    """The chosen indexes a measured challenger took the place of, and why."""
    found = [(c, reason) for c, reason in advice.left_out if reason.startswith(REPLACED_BY)]
    if not found:
        return []
    return ["", "Replaced after timing:"] + [f"  {c.body()}: {reason}" for c, reason in found]


def query_line(result) -> str:
    if result.error:
        return f"  {result.number + 1}. {result.label}: not analysed ({result.error})"
    text = (f"  {result.number + 1}. {result.label}: cost {result.cost_before:,.0f} -> "
            f"{result.cost_after:,.0f} ({ratio(result.cost_before, result.cost_after)})")
    if result.ms_before is not None and result.ms_after is not None:
        text += f", {ms(result.ms_before)} -> {ms(result.ms_after)}"
    return text + (f" using {', '.join(result.indexes)}" if result.indexes else "")


def advice_html(advice: Advice) -> str:
    recs = "".join(f"<li><code>{escape(r.create_sql)};</code> ({escape(size(r.size_bytes))})</li>"
                   for r in advice.recommended) or "<li>none</li>"
    return (f"<p><b>{len(advice.recommended)} index(es) recommended</b> "
            f"(what-if: {escape(advice.method)})</p>"
            + "".join(f"<p><i>note:</i> {escape(note)}</p>" for note in advice_notes(advice))
            + f"<ul>{recs}</ul>"
            + advice.frame().to_html(na_rep="", float_format=lambda v: f"{v:,.4g}"))
